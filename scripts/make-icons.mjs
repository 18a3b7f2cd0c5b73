// Draws the app's PNG icons (public/icon-192.png, public/icon-512.png) from the same design as
// public/favicon.svg: two latent "blobs" on the Tol-palette indigo. Full-bleed square, the
// circles inside the central 80 % (the "maskable" safe zone). Run: node scripts/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BG = [0x33, 0x22, 0x88];
// Circles of favicon.svg, in its 32-unit box: centre x, centre y, radius, colour.
const CIRCLES = [
  [11, 13, 4, [0x88, 0xcc, 0xee]],
  [21, 19, 5, [0xdd, 0xcc, 0x77]],
];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** An RGB PNG of `size` × `size` px; each pixel 4×4 supersampled for smooth edges. */
function icon(size) {
  const unit = size / 32;
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + 3 * size); // filter byte 0 (None)
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0];
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) {
          const px = (x + (sx + 0.5) / 4) / unit;
          const py = (y + (sy + 0.5) / 4) / unit;
          let colour = BG;
          for (const [cx, cy, r, c] of CIRCLES)
            if ((px - cx) ** 2 + (py - cy) ** 2 <= r * r) colour = c;
          for (let k = 0; k < 3; k++) acc[k] += colour[k];
        }
      for (let k = 0; k < 3; k++) row[1 + 3 * x + k] = Math.round(acc[k] / 16);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of [192, 512]) writeFileSync(`public/icon-${size}.png`, icon(size));
