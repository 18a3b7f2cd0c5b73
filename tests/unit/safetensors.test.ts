// The safetensors writer, read back by an independent reader written from the format's
// description (8-byte little-endian header length, JSON header, raw little-endian data).
import { describe, expect, it } from 'vitest';
import { encodeSafetensors } from '../../src/train/export/safetensors';

interface Spec {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function readSafetensors(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
    string,
    unknown
  >;
  const dataStart = 8 + n;
  const tensors: Record<string, { spec: Spec; values: number[] }> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const spec = raw as Spec;
    const [begin, end] = spec.data_offsets;
    const values: number[] = [];
    if (spec.dtype === 'F32')
      for (let o = begin; o < end; o += 4) values.push(view.getFloat32(dataStart + o, true));
    else for (let o = begin; o < end; o++) values.push(bytes[dataStart + o]!);
    tensors[name] = { spec, values };
  }
  return { n, header, dataStart, tensors };
}

describe('safetensors writer', () => {
  const w = Float32Array.from([1.5, -2, 3.25, 1e-30, -0, 7, 8, 9, 10, 11, 12, 13]);
  const b = Float32Array.from([0.1, 0.2, 0.3]);
  const labels = Uint8Array.from([3, 1, 4, 1, 5]);
  const bytes = encodeSafetensors(
    [
      { name: 'fc.weight', shape: [3, 4], data: w },
      { name: 'fc.bias', shape: [3], data: b },
      { name: 'labels', shape: [5], data: labels },
    ],
    { format: 'pt' },
  );

  it('round-trips names, dtypes, shapes and exact values', () => {
    const { tensors, header } = readSafetensors(bytes);
    expect(tensors['fc.weight']!.spec.dtype).toBe('F32');
    expect(tensors['fc.weight']!.spec.shape).toEqual([3, 4]);
    expect(tensors['fc.weight']!.values).toEqual(Array.from(w));
    expect(tensors['fc.bias']!.values).toEqual(Array.from(b));
    expect(tensors.labels!.spec.dtype).toBe('U8');
    expect(tensors.labels!.values).toEqual([3, 1, 4, 1, 5]);
    expect(header.__metadata__).toEqual({ format: 'pt' });
  });

  it('lays the data out back to back from offset 0 to the end of the file, header 8-aligned', () => {
    const { n, dataStart, tensors } = readSafetensors(bytes);
    expect(n % 8).toBe(0);
    const spans = Object.values(tensors)
      .map((t) => t.spec.data_offsets)
      .sort((p, q) => p[0] - q[0]);
    expect(spans[0]![0]).toBe(0);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBe(spans[i - 1]![1]);
    expect(dataStart + spans.at(-1)![1]).toBe(bytes.length);
    expect(tensors['fc.weight']!.spec.data_offsets).toEqual([0, 48]);
    expect(tensors['fc.bias']!.spec.data_offsets).toEqual([48, 60]);
  });

  it('refuses a shape that does not fit the data, and a name used twice', () => {
    expect(() => encodeSafetensors([{ name: 'a', shape: [2, 2], data: b }])).toThrow(/holds 4/);
    expect(() =>
      encodeSafetensors([
        { name: 'a', shape: [3], data: b },
        { name: 'a', shape: [3], data: b },
      ]),
    ).toThrow(/named twice/);
  });
});
