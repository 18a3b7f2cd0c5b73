/**
 * The lab's "Export for PyTorch": the export's files (pytorch-export.ts) in one zip, in a
 * folder named after the model and step. Loaded on demand by the worker (its own chunk).
 * The zip is "stored" (no compression: the weights are floats that hardly deflate), written here
 * in a few lines (PKWARE APPNOTE §4.3: local headers, data, central directory, end record).
 */
import { buildPytorchExport, type ExportFile, type PytorchExportInput } from './pytorch-export';

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE 802.3), as zip stores it. */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip of `files` without compression (each under 4 GiB; no zip64). */
export function storedZip(files: readonly ExportFile[]): Uint8Array {
  const names = files.map((f) => new TextEncoder().encode(f.path));
  const size = files.reduce((a, f, i) => a + 30 + names[i]!.length + f.data.length, 0);
  const dirSize = names.reduce((a, n) => a + 46 + n.length, 0);
  const out = new Uint8Array(size + dirSize + 22);
  const view = new DataView(out.buffer);
  const offsets: number[] = [];
  const crcs = files.map((f) => crc32(f.data));
  let at = 0;
  // Fields shared by the local header (from its byte 4) and the central entry (from byte 6).
  const common = (p: number, i: number) => {
    view.setUint16(p, 20, true); // version needed: 2.0
    view.setUint16(p + 2, 0x0800, true); // flags: names in UTF-8
    view.setUint16(p + 4, 0, true); // method: stored
    view.setUint16(p + 6, 0, true); // time
    view.setUint16(p + 8, (1 << 5) | 1, true); // date: 1980-01-01
    view.setUint32(p + 10, crcs[i]!, true);
    view.setUint32(p + 14, files[i]!.data.length, true); // compressed size
    view.setUint32(p + 18, files[i]!.data.length, true); // size
    view.setUint16(p + 22, names[i]!.length, true);
    view.setUint16(p + 24, 0, true); // extra field length
  };
  files.forEach((f, i) => {
    offsets.push(at);
    view.setUint32(at, 0x04034b50, true);
    common(at + 4, i);
    out.set(names[i]!, at + 30);
    out.set(f.data, at + 30 + names[i]!.length);
    at += 30 + names[i]!.length + f.data.length;
  });
  const dirStart = at;
  files.forEach((_, i) => {
    view.setUint32(at, 0x02014b50, true);
    view.setUint16(at + 4, 20, true); // version made by
    common(at + 6, i);
    // comment length, disk number, internal and external attributes: 0
    view.setUint32(at + 42, offsets[i]!, true);
    out.set(names[i]!, at + 46);
    at += 46 + names[i]!.length;
  });
  view.setUint32(at, 0x06054b50, true);
  view.setUint16(at + 8, files.length, true);
  view.setUint16(at + 10, files.length, true);
  view.setUint32(at + 12, at - dirStart, true);
  view.setUint32(at + 16, dirStart, true);
  return out;
}

export async function pytorchZip(
  input: PytorchExportInput,
): Promise<{ fileName: string; zip: Uint8Array }> {
  const files = await buildPytorchExport(input);
  const folder = `latent-lab-${input.config.model}-step${input.step}-pytorch`;
  return {
    fileName: `${folder}.zip`,
    zip: storedZip(files.map((f) => ({ path: `${folder}/${f.path}`, data: f.data }))),
  };
}
