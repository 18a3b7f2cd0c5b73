/**
 * The fused Adam kernel's name and attributes: the contract between the optimizer that calls it
 * (src/train/fused-adam.ts) and the backends that register it (src/backends/shared/fused-adam.ts).
 * Inputs x, m, v, g (float32, one shape) and accBeta1, accBeta2 (β1ᵗ, β2ᵗ as float32 scalars);
 * outputs [x', m', v'].
 */
export const FUSED_ADAM = 'LatentLabFusedAdam';

export interface FusedAdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}
