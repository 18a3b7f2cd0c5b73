/**
 * Turns a hand-drawn digit into an MNIST-like 28×28 image, the way the MNIST digits were
 * normalised (LeCun et al., http://yann.lecun.com/exdb/mnist/): the ink's bounding box is
 * scaled, keeping its aspect ratio, so that its longer side is 20 px (anti-aliased by area
 * averaging), then placed in a 28×28 field so that its centre of mass is at the field's centre.
 * Pure: no imports.
 *
 * Coordinates are continuous: pixel (i, j) covers [j, j+1) × [i, i+1), so its centre is at
 * (j + ½, i + ½) and the centre of a 28×28 field is (14, 14).
 *
 *   bbox    = smallest box holding every pixel above `inkThreshold`          [ch, cw]
 *   s       = box / max(cw, ch)                                              (20 / longer side)
 *   scaled  = area-average of bbox onto round(cw·s) × round(ch·s) pixels     (mean intensity kept)
 *   shift   = (14, 14) − centreOfMass(scaled)                                (sub-pixel)
 *   out     = bilinear splat of scaled by shift into 28×28                   (mass and CoM exact)
 */

export interface MnistCentreOptions {
  /** Output side, px (28). */
  size?: number;
  /** Longer side of the ink's box after scaling, px (20). */
  box?: number;
  /** Intensities at or below this are paper when finding the bounding box. */
  inkThreshold?: number;
}

/** Half-open pixel box [x0, x1) × [y0, y1). */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Smallest box holding every pixel above `threshold`; null when there is no ink. */
export function inkBoundingBox(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  threshold = 0,
): PixelBox | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      if (pixels[i * width + j]! > threshold) {
        if (j < x0) x0 = j;
        if (j > x1) x1 = j;
        if (i < y0) y0 = i;
        if (i > y1) y1 = i;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/** Centre of mass (x, y) in continuous coordinates; null when the total mass is 0. */
export function centreOfMass(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
): [number, number] | null {
  let m = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      const v = pixels[i * width + j]!;
      m += v;
      mx += v * (j + 0.5);
      my += v * (i + 0.5);
    }
  }
  return m > 0 ? [mx / m, my / m] : null;
}

/** Overlap of [a0, a1) and [b0, b1). */
function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/**
 * Resamples `box` of a width×height image onto dw×dh pixels by area averaging: each output
 * pixel is the mean of the source area it covers (fractional pixels weighted by their overlap).
 * Keeps the mean intensity, so values stay in the source's range.
 */
export function resampleArea(
  pixels: ArrayLike<number>,
  width: number,
  box: PixelBox,
  dw: number,
  dh: number,
): Float32Array {
  const out = new Float32Array(dw * dh);
  const sx = (box.x1 - box.x0) / dw; // source px per output px
  const sy = (box.y1 - box.y0) / dh;
  for (let oi = 0; oi < dh; oi++) {
    const ya = box.y0 + oi * sy;
    const yb = ya + sy;
    for (let oj = 0; oj < dw; oj++) {
      const xa = box.x0 + oj * sx;
      const xb = xa + sx;
      let sum = 0;
      for (let i = Math.floor(ya); i < Math.min(Math.ceil(yb), box.y1); i++) {
        const wy = overlap(ya, yb, i, i + 1);
        if (wy === 0) continue;
        for (let j = Math.floor(xa); j < Math.min(Math.ceil(xb), box.x1); j++) {
          const wx = overlap(xa, xb, j, j + 1);
          if (wx > 0) sum += wx * wy * pixels[i * width + j]!;
        }
      }
      out[oi * dw + oj] = sum / (sx * sy);
    }
  }
  return out;
}

/**
 * Adds a w×h image into a size×size field, moved by (dx, dy) px: each source pixel spreads over
 * the (up to) four pixels it lands on with bilinear weights. Those weights sum to 1 and are
 * linear in the position, so the mass and the centre of mass move exactly (unless ink falls off
 * the edge), and each output pixel is a convex combination of inputs (values stay in [0, 1]).
 */
function splatShifted(
  src: Float32Array,
  w: number,
  h: number,
  dx: number,
  dy: number,
  size: number,
): Float32Array {
  const out = new Float32Array(size * size);
  const fx = Math.floor(dx);
  const fy = Math.floor(dy);
  const ax = dx - fx; // fraction going one pixel further right
  const ay = dy - fy;
  const put = (i: number, j: number, v: number) => {
    if (i >= 0 && i < size && j >= 0 && j < size) out[i * size + j]! += v;
  };
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const v = src[i * w + j]!;
      if (v === 0) continue;
      const ti = i + fy;
      const tj = j + fx;
      put(ti, tj, v * (1 - ax) * (1 - ay));
      put(ti, tj + 1, v * ax * (1 - ay));
      put(ti + 1, tj, v * (1 - ax) * ay);
      put(ti + 1, tj + 1, v * ax * ay);
    }
  }
  return out;
}

/**
 * A drawn digit (width×height intensities in [0, 1], ink = 1) as an MNIST-style size×size image
 * (row-major, intensities in [0, 1]). An empty drawing gives an empty (all-zero) image.
 */
export function centreLikeMnist(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  options: MnistCentreOptions = {},
): Float32Array {
  const size = options.size ?? 28;
  const boxSide = options.box ?? 20;
  const bbox = inkBoundingBox(pixels, width, height, options.inkThreshold ?? 0);
  if (!bbox) return new Float32Array(size * size);
  const cw = bbox.x1 - bbox.x0;
  const ch = bbox.y1 - bbox.y0;
  const s = boxSide / Math.max(cw, ch);
  const dw = Math.max(1, Math.round(cw * s));
  const dh = Math.max(1, Math.round(ch * s));
  const scaled = resampleArea(pixels, width, bbox, dw, dh);
  for (let k = 0; k < scaled.length; k++) scaled[k] = Math.min(1, Math.max(0, scaled[k]!));
  const com = centreOfMass(scaled, dw, dh);
  if (!com) return new Float32Array(size * size);
  return splatShifted(scaled, dw, dh, size / 2 - com[0], size / 2 - com[1], size);
}
