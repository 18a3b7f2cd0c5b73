/**
 * The models `npm run bench` measures, each a TrainConfig of the zoo at the table's defaults
 * (batch 128, Adam 1e-3, seed 1) with the model and network named; what each is, in words,
 * comes from its catalog row (benchModelText). `prior` is the transformer over a VQ-VAE's 7×7
 * codes (token-prior.ts): one of its "images" is a sequence of 49 codes (scripts/bench/plan.mjs's
 * TOKENS_PER_IMAGE turns its images/s into tokens/s).
 * Plain data: no TF.js here, so the page, the workers and the Node entry share it.
 */
import { MODEL_CATALOG } from '../contracts/catalog';
import type { TrainConfig } from '../contracts/config';
import { TRAIN_DEFAULTS } from '../contracts/config';

export const BENCH_MODEL_IDS = ['mlp-vae', 'conv-vae', 'vq-vae', 'dvae', 'prior'] as const;
export type BenchModelId = (typeof BENCH_MODEL_IDS)[number];

/** Each bench model's training settings: the defaults, with its model and network. */
export const BENCH_MODELS: Record<BenchModelId, TrainConfig> = {
  'mlp-vae': { ...TRAIN_DEFAULTS, model: 'vae', arch: 'mlp' },
  'conv-vae': { ...TRAIN_DEFAULTS, model: 'vae', arch: 'conv' },
  'vq-vae': { ...TRAIN_DEFAULTS, model: 'vqvae' },
  dvae: { ...TRAIN_DEFAULTS, model: 'dvae' },
  prior: { ...TRAIN_DEFAULTS, model: 'prior' },
};

/** "mlp-vae: vae mlp (latent 2, hidden 512, bernoulli), batch 128": the catalog's own line. */
export function benchModelText(id: BenchModelId): string {
  const c = BENCH_MODELS[id];
  return `${id}: ${MODEL_CATALOG[c.model].describe(c)}, batch ${c.batchSize}`;
}
