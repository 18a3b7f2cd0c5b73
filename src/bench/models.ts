/**
 * The models `npm run bench` measures, each a TrainConfig of the zoo at batch 128 (TRAIN_DEFAULTS):
 *   mlp-vae   VAE 784-512-2, MLP (the app's default model)
 *   conv-vae  VAE with arch conv, latent 2 (TensorFlow's CVAE tutorial layout, layers/conv-image-nets)
 *   vq-vae    the zoo's default VQ-VAE (7×7×16 grid, K = 64, k-means init; layers/conv-nets)
 *   dvae      the zoo's default dVAE (7×7 grid of K = 64 Gumbel-softmax codes, D = 16)
 * Plain data: no TF.js here, so the page, the workers and the Node entry share it.
 */
import type { TrainConfig } from '../contracts/config';
import { TRAIN_DEFAULTS } from '../contracts/config';

export const BENCH_MODEL_IDS = ['mlp-vae', 'conv-vae', 'vq-vae', 'dvae'] as const;
export type BenchModelId = (typeof BENCH_MODEL_IDS)[number];

/** Each bench model's training settings (batch 128, Adam 1e-3, seed 1 from TRAIN_DEFAULTS). */
export const BENCH_MODELS: Record<BenchModelId, TrainConfig> = {
  'mlp-vae': { ...TRAIN_DEFAULTS, model: 'vae', arch: 'mlp' },
  'conv-vae': { ...TRAIN_DEFAULTS, model: 'vae', arch: 'conv' },
  'vq-vae': { ...TRAIN_DEFAULTS, model: 'vqvae' },
  dvae: { ...TRAIN_DEFAULTS, model: 'dvae' },
};
