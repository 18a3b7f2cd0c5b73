/**
 * "Export PNG" for the interpolation panel: every <figure> under a root (its caption and its
 * image-grid canvas) stacked into one PNG, enlarged without smoothing, and downloaded.
 */

const SCALE = 3; // output px per image px
const PAD = 12;
const LINE = 18; // caption line height, px
const FONT = '14px system-ui, sans-serif';

interface Part {
  caption: string;
  canvas: HTMLCanvasElement;
}

function partsOf(root: HTMLElement): Part[] {
  const parts: Part[] = [];
  for (const fig of root.querySelectorAll('figure')) {
    const canvas = fig.querySelector('canvas');
    if (!canvas || canvas.width <= 1) continue;
    const caption = fig.querySelector('figcaption')?.textContent?.trim() ?? '';
    parts.push({ caption, canvas });
  }
  return parts;
}

/** Draws the figures under `root` into one canvas (null when there is nothing to export). */
export function composeFigures(root: HTMLElement, title: string): HTMLCanvasElement | null {
  const parts = partsOf(root);
  if (parts.length === 0) return null;
  const out = document.createElement('canvas');
  const ctx = out.getContext('2d');
  if (!ctx) return null;
  ctx.font = FONT;
  let width = ctx.measureText(title).width;
  let height = PAD + LINE;
  for (const p of parts) {
    width = Math.max(width, p.canvas.width * SCALE, ctx.measureText(p.caption).width);
    height += PAD + LINE + p.canvas.height * SCALE;
  }
  out.width = Math.ceil(width + 2 * PAD);
  out.height = Math.ceil(height + PAD);
  // Resizing resets the context: set everything again.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = '#1a1a1a';
  ctx.font = FONT;
  ctx.textBaseline = 'top';
  ctx.imageSmoothingEnabled = false;
  let y = PAD;
  ctx.fillText(title, PAD, y);
  y += LINE;
  for (const p of parts) {
    y += PAD;
    ctx.fillText(p.caption, PAD, y);
    y += LINE;
    const w = p.canvas.width * SCALE;
    const h = p.canvas.height * SCALE;
    ctx.drawImage(p.canvas, PAD, y, w, h);
    y += h;
  }
  return out;
}

/** Composes the figures under `root` and downloads them as `fileName`. Rejects with a reason. */
export function downloadFiguresPng(root: HTMLElement, title: string, fileName: string) {
  return new Promise<void>((resolve, reject) => {
    const canvas = composeFigures(root, title);
    if (!canvas) {
      reject(new Error('nothing to export yet'));
      return;
    }
    canvas.toBlob((blob) => {
      if (!blob) {
        reject(new Error('the browser could not encode the PNG'));
        return;
      }
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      a.style.display = 'none';
      document.body.appendChild(a);
      a.click();
      a.remove();
      // Give the download a moment to start before the blob URL goes away.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      resolve();
    }, 'image/png');
  });
}
