import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isZip, readZip } from '../../src/data/zip-entries';

const bytes = (n: number, v = 1) => new Uint8Array(n).fill(v);

describe('readZip', () => {
  it('lists files in path order, leaving out folders, hidden files and __MACOSX', () => {
    const zip = zipSync({
      'digits/3/b.png': bytes(10),
      'digits/1/a.png': bytes(5),
      'digits/.DS_Store': bytes(3),
      '__MACOSX/digits/._a.png': bytes(3),
    });
    expect(isZip(zip)).toBe(true);
    const { entries, errors } = readZip(zip, 'd.zip');
    expect(errors).toEqual([]);
    expect(entries.map((e) => [e.path, e.bytes.length])).toEqual([
      ['digits/1/a.png', 5],
      ['digits/3/b.png', 10],
    ]);
  });

  it('refuses an entry over the per-file limit, naming it, and keeps the others', () => {
    const zip = zipSync({ 'big.png': bytes(2000), 'ok.png': bytes(10) });
    const { entries, errors } = readZip(zip, 'd.zip', { maxFileBytes: 1000, maxTotalBytes: 1e6 });
    expect(entries.map((e) => e.path)).toEqual(['ok.png']);
    expect(errors[0]).toMatch(/d\.zip\/big\.png: .* unpacked, over the .* limit per file/);
  });

  it('refuses a zip that unpacks past the total limit (a zip bomb)', () => {
    const zip = zipSync({ 'a.png': bytes(800, 0), 'b.png': bytes(800, 0) });
    expect(() => readZip(zip, 'bomb.zip', { maxFileBytes: 1000, maxTotalBytes: 1000 })).toThrow(
      /bomb\.zip: unpacks to more than/,
    );
  });

  it('refuses bytes that are not a zip', () => {
    expect(() => readZip(Uint8Array.from([0x50, 0x4b, 3, 4, 9, 9]), 'bad.zip')).toThrow(
      /bad\.zip: not a readable zip archive/,
    );
  });
});
