/**
 * Build plugin: after `vite build` writes the app, prints the gzip size of every emitted JS, CSS
 * and .wasm asset, the two totals of the page-weight budget and whether each is within it, and
 * writes the same numbers to <outDir>/size-report.json (read by tests/browser/page-weight.test.mjs).
 *
 * - Initial JS: the HTML entry chunk plus every chunk it imports statically, transitively (from
 *   the bundle graph): what index.html loads before anything lazy.
 * - Whole app: every JS and CSS file (page, lazy chunks, the training worker and its chunks) plus
 *   the one .wasm binary a browser with SIMD and without cross-origin isolation loads
 *   (tfjs-backend-wasm-simd). Fonts, images and datasets/ are not counted.
 * Sizes are gzip (zlib level 6, as `gzip -c`) in kB of 1000 bytes, as Vite prints them.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Logger, Plugin } from 'vite';

export const BUDGETS_KB = { initialJs: 150, wholeApp: 900 } as const;

/** Modules of the lessons' text: their chunks load lazily, one lesson at a time. */
const LESSON_MODULE = /[\\/]src[\\/]ui[\\/]lessons[\\/]content[\\/]/;

/** A chunk made only of lesson text. */
function isLessonChunk(item: OutputItem): boolean {
  if (item.type !== 'chunk') return false;
  const ids = item.moduleIds ?? (item.facadeModuleId ? [item.facadeModuleId] : []);
  return ids.length > 0 && ids.every((id) => LESSON_MODULE.test(id));
}

/** The .wasm binary counted in the whole app (the others are alternatives, never all loaded). */
const COUNTED_WASM = /(^|\/)tfjs-backend-wasm-simd-[^/]*\.wasm$/;

export interface SizeReportFile {
  file: string;
  bytes: number;
  gzip: number;
  kind: 'js' | 'css' | 'wasm';
  initial: boolean;
  counted: boolean;
  /** A lesson's text (src/ui/lessons/content/), loaded when a learner opens it: reported apart. */
  lesson: boolean;
}

export interface SizeReport {
  unit: string;
  definitions: { initialJs: string; wholeApp: string };
  budgetsKb: typeof BUDGETS_KB;
  initialJs: { gzip: number; files: string[]; ok: boolean };
  wholeApp: { gzip: number; ok: boolean };
  /** The lessons' text chunks, outside the whole-app budget (each loads only when opened). */
  lessons: { gzip: number; files: string[] };
  files: SizeReportFile[];
}

type OutputItem =
  | {
      type: 'chunk';
      fileName: string;
      code: string;
      imports: string[];
      isEntry: boolean;
      facadeModuleId: string | null;
      moduleIds?: string[];
    }
  | { type: 'asset'; fileName: string; source: string | Uint8Array };

const kb = (bytes: number) => (bytes / 1000).toFixed(2);

/** Files reachable from the entry chunk through static imports only. */
function initialFiles(items: Map<string, OutputItem>, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const item = items.get(name);
    if (item?.type === 'chunk') item.imports.forEach(visit);
  };
  visit(entry);
  return [...seen];
}

export function buildSizeReport(items: Map<string, OutputItem>): SizeReport {
  const entries = [...items.values()].filter(
    (c) => c.type === 'chunk' && c.isEntry && (c.facadeModuleId ?? '').endsWith('.html'),
  );
  const page =
    entries.find((c) =>
      /[\\/]index\.html$/.test((c as { facadeModuleId: string }).facadeModuleId),
    ) ?? (entries.length === 1 ? entries[0] : undefined);
  if (!page)
    throw new Error(`size report: no index.html entry among ${entries.length} HTML entries`);
  const initial = new Set(initialFiles(items, page.fileName));
  const files: SizeReportFile[] = [];
  for (const item of items.values()) {
    const kind = item.fileName.endsWith('.js')
      ? 'js'
      : item.fileName.endsWith('.css')
        ? 'css'
        : item.fileName.endsWith('.wasm')
          ? 'wasm'
          : null;
    if (!kind) continue;
    const body = item.type === 'chunk' ? item.code : item.source;
    const buf = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    files.push({
      file: item.fileName,
      bytes: buf.length,
      gzip: gzipSync(buf, { level: 6 }).length,
      kind,
      initial: initial.has(item.fileName),
      counted: !isLessonChunk(item) && (kind !== 'wasm' || COUNTED_WASM.test(item.fileName)),
      lesson: isLessonChunk(item),
    });
  }
  if (!files.some((f) => f.kind === 'wasm' && f.counted)) {
    throw new Error('size report: no tfjs-backend-wasm-simd binary among the emitted assets');
  }
  files.sort((a, b) => b.gzip - a.gzip);
  const initialJs = files.filter((f) => f.initial && f.kind === 'js');
  const initialGzip = initialJs.reduce((s, f) => s + f.gzip, 0);
  const wholeGzip = files.filter((f) => f.counted).reduce((s, f) => s + f.gzip, 0);
  const lessons = files.filter((f) => f.lesson);
  return {
    unit: 'bytes; gzip level 6; budgets in kB of 1000 bytes',
    definitions: {
      initialJs:
        'the HTML entry chunk and the chunks it imports statically (transitively): JS loaded before anything lazy',
      wholeApp:
        "all JS and CSS (page, lazy chunks, worker) + tfjs-backend-wasm-simd.wasm (the binary a SIMD browser loads); fonts, images, datasets, trained checkpoints and the lessons' text (reported apart) excluded",
    },
    budgetsKb: BUDGETS_KB,
    initialJs: {
      gzip: initialGzip,
      files: initialJs.map((f) => f.file),
      ok: initialGzip <= BUDGETS_KB.initialJs * 1000,
    },
    wholeApp: { gzip: wholeGzip, ok: wholeGzip <= BUDGETS_KB.wholeApp * 1000 },
    lessons: { gzip: lessons.reduce((s, f) => s + f.gzip, 0), files: lessons.map((f) => f.file) },
    files,
  };
}

export function formatSizeReport(r: SizeReport): string {
  const width = Math.max(...r.files.map((f) => f.file.length), 10);
  const lines = [
    '',
    `Page weight (gzip, kB = 1000 bytes)`,
    `${'file'.padEnd(width)}  ${'raw kB'.padStart(9)}  ${'gzip kB'.padStart(8)}  note`,
  ];
  for (const f of r.files) {
    const note = [
      f.initial ? 'initial' : '',
      f.lesson ? 'lesson text (apart)' : f.counted ? '' : 'not counted (other wasm variant)',
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `${f.file.padEnd(width)}  ${kb(f.bytes).padStart(9)}  ${kb(f.gzip).padStart(8)}  ${note}`,
    );
  }
  const verdict = (ok: boolean) => (ok ? 'OK' : 'OVER');
  lines.push(
    '',
    `Initial JS: ${kb(r.initialJs.gzip)} kB gzip of ${r.budgetsKb.initialJs} kB budget: ${verdict(r.initialJs.ok)}` +
      `  (${r.definitions.initialJs})`,
    `Whole app:  ${kb(r.wholeApp.gzip)} kB gzip of ${r.budgetsKb.wholeApp} kB budget: ${verdict(r.wholeApp.ok)}` +
      `  (${r.definitions.wholeApp})`,
    `Lessons:    ${kb(r.lessons.gzip)} kB gzip in ${r.lessons.files.length} chunks, each loaded when its lesson opens`,
    '',
  );
  return lines.join('\n');
}

/** Registers the report on `vite build` (the page build only: worker builds have their own plugins). */
export function sizeReportPlugin(): Plugin {
  let outDir = 'dist';
  let logger: Logger | null = null;
  let report: SizeReport | null = null;
  return {
    name: 'latent-lab-size-report',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      logger = config.logger;
    },
    writeBundle(_options, bundle) {
      const items = new Map<string, OutputItem>();
      for (const [name, item] of Object.entries(bundle)) items.set(name, item as OutputItem);
      report = buildSizeReport(items);
      writeFileSync(join(outDir, 'size-report.json'), JSON.stringify(report, null, 2) + '\n');
    },
    // Printed last, after Vite's own list of files.
    closeBundle() {
      if (report) logger?.info(formatSizeReport(report));
      report = null;
    },
  };
}
