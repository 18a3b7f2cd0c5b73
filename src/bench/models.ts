/**
 * The models `npm run bench` measures, each a TrainConfig of the zoo at the table's defaults
 * (batch 128, Adam 1e-3, seed 1) with the model and network named; what each is, in words,
 * comes from its catalog row (benchModelText).
 * Plain data: no TF.js here, so the page, the workers and the Node entry share it.
 */
import { MODEL_CATALOG } from '../contracts/catalog';
import type { TrainConfig } from '../contracts/config';
import { TRAIN_DEFAULTS } from '../contracts/config';

export const BENCH_MODEL_IDS = ['mlp-vae', 'conv-vae', 'vq-vae', 'dvae'] as const;
export type BenchModelId = (typeof BENCH_MODEL_IDS)[number];

/** Each bench model's training settings: the defaults, with its model and network. */
export const BENCH_MODELS: Record<BenchModelId, TrainConfig> = {
  'mlp-vae': { ...TRAIN_DEFAULTS, model: 'vae', arch: 'mlp' },
  'conv-vae': { ...TRAIN_DEFAULTS, model: 'vae', arch: 'conv' },
  'vq-vae': { ...TRAIN_DEFAULTS, model: 'vqvae' },
  dvae: { ...TRAIN_DEFAULTS, model: 'dvae' },
};

/** "mlp-vae: vae mlp (latent 2, hidden 512, bernoulli), batch 128": the catalog's own line. */
export function benchModelText(id: BenchModelId): string {
  const c = BENCH_MODELS[id];
  return `${id}: ${MODEL_CATALOG[c.model].describe(c)}, batch ${c.batchSize}`;
}
