import { describe, expect, it } from 'vitest';
import { fallbackLine } from '../../src/ui/controls/Notices';

const n = (text: string) => ({ text });
const WEBGPU_SOFT =
  'WebGPU here is a software renderer (SwiftShader), skipped by default. Fell back to wasm.';
const WEBGL_SOFT =
  'WebGL here is a software renderer (SwiftShader), skipped by default. Fell back to wasm.';
const WEBGPU_FAILED = 'webgpu could not start: webgpu failed to initialise. Fell back to wasm.';
const URL_NOTICE = 'Ignored beta=abc in the URL';

describe('fallbackLine', () => {
  it('folds the software-renderer notices into one line naming the running backend', () => {
    const { line, rest } = fallbackLine(
      [n(WEBGPU_SOFT), n(WEBGL_SOFT), n(URL_NOTICE)],
      'wasm',
      false,
    );
    expect(line).toBe(
      'Running on wasm: no GPU found (WebGPU is a software renderer here (SwiftShader); ' +
        'WebGL is a software renderer here (SwiftShader)).',
    );
    expect(rest).toEqual([n(URL_NOTICE)]);
  });

  it('folds a GPU backend that failed to start only when nobody chose the backend', () => {
    const automatic = fallbackLine([n(WEBGPU_FAILED), n(WEBGL_SOFT)], 'wasm', true);
    expect(automatic.line).toBe(
      'Running on wasm: no GPU found (webgpu did not start (webgpu failed to initialise); ' +
        'WebGL is a software renderer here (SwiftShader)).',
    );
    expect(automatic.rest).toEqual([]);
    const chosen = fallbackLine([n(WEBGPU_FAILED)], 'wasm', false);
    expect(chosen.line).toBeNull();
    expect(chosen.rest).toEqual([n(WEBGPU_FAILED)]);
  });
});
