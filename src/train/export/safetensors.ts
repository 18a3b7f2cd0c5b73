/**
 * The safetensors format (Hugging Face, https://github.com/huggingface/safetensors), written by
 * hand since it is tiny:
 *   bytes 0..8      N, the header's length, unsigned 64-bit little-endian
 *   bytes 8..8+N    a JSON header {name: {dtype, shape, data_offsets: [begin, end]}, …,
 *                   "__metadata__": {string: string}}, padded with spaces to a multiple of 8
 *   bytes 8+N..     the tensors' raw little-endian data, back to back in header order; the
 *                   offsets count from the start of this buffer
 * Pure: no TF.js.
 */

export type SafetensorsDtype = 'F32' | 'U8';

export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array | Uint8Array;
}

const dtypeOf = (a: NamedArray['data']): SafetensorsDtype =>
  a instanceof Float32Array ? 'F32' : 'U8';

/** Little-endian bytes of `data` (Float32Array's own byte order is the platform's). */
function littleEndianBytes(data: NamedArray['data']): Uint8Array {
  if (data instanceof Uint8Array) return data;
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
  return out;
}

/** One safetensors file of `tensors` (in this order) with string `metadata`. */
export function encodeSafetensors(
  tensors: readonly NamedArray[],
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  const parts: Uint8Array[] = [];
  for (const t of tensors) {
    const count = t.shape.reduce((p, d) => p * d, 1);
    if (count !== t.data.length)
      throw new Error(
        `${t.name}: shape [${t.shape}] holds ${count} values, the data has ${t.data.length}`,
      );
    if (Object.hasOwn(header, t.name)) throw new Error(`${t.name} is named twice`);
    const bytes = littleEndianBytes(t.data);
    header[t.name] = {
      dtype: dtypeOf(t.data),
      shape: t.shape,
      data_offsets: [offset, offset + bytes.length],
    };
    parts.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  const encoded = new TextEncoder().encode(json);
  const padded = Math.ceil(encoded.length / 8) * 8;
  json += ' '.repeat(padded - encoded.length);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
