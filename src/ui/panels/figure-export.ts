/**
 * A panel's picture for slides: every image-grid canvas under a root (with its figure's caption,
 * or else its text alternative) under a title, enlarged without smoothing, downloaded as PNG
 * or SVG (layout and SVG text: ./figure-layout.ts).
 */
import { FONT_PX, figureSvg, layoutFigure, type FigureLayout } from './figure-layout';

const FONT = `${FONT_PX}px system-ui, sans-serif`;

export type FigureFormat = 'png' | 'svg';

function canvasesOf(root: HTMLElement): HTMLCanvasElement[] {
  return [...root.querySelectorAll('canvas')].filter((c) => c.width > 1);
}

function captionOf(canvas: HTMLCanvasElement): string {
  const fig = canvas.closest('figure')?.querySelector('figcaption')?.textContent?.trim();
  return fig ?? canvas.getAttribute('aria-label') ?? '';
}

/** The layout of the canvases under `root`, measured with the export font (null: none yet). */
function layoutOf(root: HTMLElement, title: string) {
  const canvases = canvasesOf(root);
  const ctx = document.createElement('canvas').getContext('2d');
  if (canvases.length === 0 || !ctx) return null;
  ctx.font = FONT;
  const parts = canvases.map((c) => ({ caption: captionOf(c), width: c.width, height: c.height }));
  const layout = layoutFigure(title, parts, (s) => ctx.measureText(s).width);
  return { canvases, layout };
}

function drawPng(canvases: HTMLCanvasElement[], layout: FigureLayout): HTMLCanvasElement | null {
  const out = document.createElement('canvas');
  out.width = layout.width;
  out.height = layout.height;
  const ctx = out.getContext('2d');
  if (!ctx) return null;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = '#1a1a1a';
  ctx.font = FONT;
  ctx.textBaseline = 'top';
  ctx.imageSmoothingEnabled = false;
  ctx.fillText(layout.title.text, layout.title.x, layout.title.y);
  layout.parts.forEach((p, i) => {
    for (const l of p.lines) ctx.fillText(l.text, l.x, l.y);
    const { x, y, width, height } = p.image;
    ctx.drawImage(canvases[i]!, x, y, width, height);
  });
  return out;
}

function save(blob: Blob, fileName: string) {
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
}

/** Composes the pictures under `root` and downloads them as `fileName`. Rejects with a reason. */
export async function downloadFigure(
  root: HTMLElement,
  title: string,
  fileName: string,
  format: FigureFormat,
): Promise<void> {
  const laid = layoutOf(root, title);
  if (!laid) throw new Error('nothing to export yet');
  if (format === 'svg') {
    const hrefs = laid.canvases.map((c) => c.toDataURL('image/png'));
    save(new Blob([figureSvg(laid.layout, hrefs)], { type: 'image/svg+xml' }), fileName);
    return;
  }
  const canvas = drawPng(laid.canvases, laid.layout);
  if (!canvas) throw new Error('the browser could not draw the picture');
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the browser could not encode the PNG');
  save(blob, fileName);
}
