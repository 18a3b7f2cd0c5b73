/**
 * PNG/JPG bytes → a 28×28 MNIST-like image on the page: createImageBitmap decodes, a canvas
 * (OffscreenCanvas where there is one) hands over the RGBA pixels, data/image-to-digit.ts does
 * the rest (grey, invert dark-on-light scans, centre like MNIST).
 */
import { digitFromRgba } from '../data/image-to-digit';

/** Larger images are scaled down to this longer side first, so every image costs about the same. */
const MAX_SIDE = 256;

type Canvas2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

function context(width: number, height: number): Canvas2D | null {
  if (typeof OffscreenCanvas !== 'undefined') {
    return new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas.getContext('2d', { willReadFrequently: true });
}

export async function decodeImageToDigit(bytes: Uint8Array, path: string): Promise<Uint8Array> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart]));
  } catch {
    throw new Error(`${path}: not an image (it could not be decoded as PNG or JPG)`);
  }
  try {
    const s = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const w = Math.max(1, Math.round(bitmap.width * s));
    const h = Math.max(1, Math.round(bitmap.height * s));
    const ctx = context(w, h);
    if (!ctx) throw new Error(`${path}: this browser has no 2-D canvas to read the image with`);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, w, h);
    return digitFromRgba(ctx.getImageData(0, 0, w, h).data, w, h);
  } finally {
    bitmap.close();
  }
}
