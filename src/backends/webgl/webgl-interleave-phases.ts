/**
 * The last step of our webgl Conv2DBackpropInput (./conv-input-by-phases): interleave the
 * sub-pixel phase outputs and crop, in one shader. The composed route (Pack of the sh·sw phases,
 * a 5-D transpose, a reshape and a Slice) copies dX two or three times through unpacked shaders;
 * here each dX value is read once from its phase:
 *
 *   Y_(rh,rw) [B, Qh, Qw, Ci]   phase outputs (null: a phase without taps, all zeros)
 *   dX[b, i, j, c] = Y_(rh,rw)[b, q, p, c]   with i + offH = q·sh + rh,  j + offW = p·sw + rw
 *                                                                        dX [B, H, W, Ci]
 * (offH, offW: the plan's crop offsets, ./conv-phases; the hook's types: ./conv-interleave).
 * Not specific to software renderers.
 */
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import type { Interleave } from '../shared/conv-interleave';
import type { WebglProgramRunner } from './webgl-conv-by-taps';

/** The interleave as one webgl program (backend: tfjs-backend-webgl's MathBackendWebGL). */
export const interleavePhasesWebgl: Interleave = (backend, plan) => {
  const [sh, sw] = plan.strides;
  const [offH, offW] = plan.offsets;
  const inputs: TensorInfo[] = [];
  const branches: string[] = [];
  plan.phases.forEach((y, k) => {
    if (y === null) return;
    const name = `P${inputs.length}`;
    inputs.push(y);
    branches.push(`if (ph == ${k}) v = get${name}(c.x, q, p, c.w);`);
  });
  const program = {
    variableNames: inputs.map((_, i) => `P${i}`),
    outputShape: plan.outShape,
    userCode: `
      void main() {
        ivec4 c = getOutputCoords(); // b, i, j, ch
        int i = c.y + ${offH};
        int j = c.z + ${offW};
        int q = i / ${sh};
        int p = j / ${sw};
        int ph = (i - q * ${sh}) * ${sw} + (j - p * ${sw});
        float v = 0.0;
        ${branches.join('\n        else ')}
        setOutput(v);
      }
    `,
  };
  return (backend as KernelBackend & WebglProgramRunner).runWebGLProgram(
    program,
    inputs,
    'float32',
  );
};
