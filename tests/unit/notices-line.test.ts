import { describe, expect, it } from 'vitest';
import { softwareLine } from '../../src/ui/controls/Notices';

const n = (id: number, text: string) => ({ id, kind: 'warning' as const, text });

describe('softwareLine', () => {
  it('folds both software-renderer notices into one line naming the running backend', () => {
    const line = softwareLine(
      [
        n(
          1,
          'WebGPU here is a software renderer (SwiftShader), skipped by default. Fell back to wasm.',
        ),
        n(
          2,
          'WebGL here is a software renderer (SwiftShader), skipped by default. Fell back to wasm.',
        ),
        n(3, 'Ignored beta=abc in the URL'),
      ],
      'wasm',
    );
    expect(line).toBe(
      'Running on wasm: no GPU found (WebGPU and WebGL here are software renderers: SwiftShader).',
    );
  });

  it('says nothing when no backend was skipped for being a software renderer', () => {
    expect(softwareLine([n(1, 'webgpu could not start. Fell back to wasm.')], 'wasm')).toBeNull();
  });
});
