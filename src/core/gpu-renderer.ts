/**
 * Is a browser's GPU a real one, or a software renderer that only emulates a GPU on the CPU
 * (SwiftShader, llvmpipe/lavapipe, softpipe, Microsoft's Basic Render Driver / WARP)? Such a
 * "GPU" is much slower than the wasm backend for training, so the default backend choice skips
 * it. Pure: it classifies what the browser reports (WebGPU's GPUAdapterInfo and
 * isFallbackAdapter, WebGL's WEBGL_debug_renderer_info strings); src/backends/setup.ts asks.
 */

/** What the browser says about its GPU; every field optional (browsers hide some). */
export interface GpuDescription {
  /** WebGPU: the adapter is a fallback (software) adapter. */
  isFallbackAdapter?: boolean;
  /** WebGPU GPUAdapterInfo fields. */
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** WebGL: UNMASKED_VENDOR_WEBGL / UNMASKED_RENDERER_WEBGL (or VENDOR / RENDERER). */
  glVendor?: string;
  glRenderer?: string;
}

export interface GpuClass {
  /** True for a software renderer or a fallback adapter. */
  software: boolean;
  /** The software renderer's name ("SwiftShader", "llvmpipe" …), when one is named. */
  softwareName: string | null;
  /** A short human description, e.g. "SwiftShader (software)" or "nvidia ampere". */
  summary: string;
}

/** Names of software renderers, as they appear (case-insensitively) in the strings above. */
const SOFTWARE_RENDERERS: { pattern: RegExp; name: string }[] = [
  { pattern: /swift\s*shader/i, name: 'SwiftShader' },
  { pattern: /lavapipe/i, name: 'lavapipe' },
  { pattern: /llvmpipe/i, name: 'llvmpipe' },
  { pattern: /softpipe/i, name: 'softpipe' },
  { pattern: /basic render driver/i, name: 'Microsoft Basic Render Driver' },
  { pattern: /software (rasteri[sz]er|renderer|adapter)/i, name: 'a software renderer' },
];

const clean = (s: string | undefined) => (typeof s === 'string' ? s.trim() : '');

/** Classifies one GPU description (see GpuDescription). */
export function classifyGpu(info: GpuDescription): GpuClass {
  const fields = [
    info.vendor,
    info.architecture,
    info.device,
    info.description,
    info.glVendor,
    info.glRenderer,
  ]
    .map(clean)
    .filter((s) => s !== '');
  const text = fields.join(' ');
  const named = SOFTWARE_RENDERERS.find((r) => r.pattern.test(text))?.name ?? null;
  const software = named !== null || info.isFallbackAdapter === true;
  const softwareName = named ?? (software ? 'a fallback adapter' : null);
  let summary: string;
  if (software) summary = `${named ?? 'fallback adapter'} (software)`;
  else if (clean(info.glRenderer)) summary = clean(info.glRenderer);
  else {
    const parts = [info.vendor, info.architecture, info.description].map(clean).filter(Boolean);
    summary = parts.length ? [...new Set(parts)].join(' ') : 'GPU not named by the browser';
  }
  return { software, softwareName, summary };
}
