/**
 * Answers the page's inspect questions (src/contracts/inspect.ts) about a trainer's model.
 * Each answer decodes in one batched model call (VQ-VAE interpolation: two, quantised and not),
 * reads back with `await t.data()` and leaves no tensor behind.
 *
 *   question       VAE / AE               VQ-VAE                 dVAE / categorical VAE
 *   manifold       ✓                      —                      —
 *   decodePoints   ✓                      —                      —
 *   encode         ✓ (plane point)        ✓ (PCA of embed)       ✓ (PCA of embed)
 *   interpolate    ✓ codes                ✓ z_e (+ unquantised)  —
 *   bilinear       ✓ codes                ✓ z_e, quantised       —
 *   traversal      ✓                      —                      —
 *   samples        prior / fitted Gauss.  random codes           random codes
 *   codebookAtlas  —                      ✓                      ✓
 *   codeMap        —                      ✓                      ✓
 *   gumbel         —                      —                      ✓
 *   codebookView   —                      ✓ codebook + z_e       ✓ dVAE only: E + Σ q e
 *   probeReconstructions  ✓ every model: all probe digits and their reconstructions
 *   subspaces      PCA, and the AE when linear with a Gaussian likelihood (affine decoder)
 *   responsibilities      mixture of Bernoullis only: p(k | x) of one digit
 *   conditionalSamples, everyLabel   the conditional VAE only (conditional.ts)
 *   generate, attention              the prior over codes only (prior.ts)
 *   infer          ✓ latent z             ✓ z_e                  ✓ logits (decodeSoft)
 *   direction      ✓                      ✓ z_e, quantised       —
 * (infer and direction: any model whose code space src/train/infer/code-space.ts finds.)
 * "—" rejects with an Error that says which models can answer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { codebookView } from './codebook-view';
import { conditionalSamples, everyLabel } from './conditional';
import { codebookAtlas, codeMap, gumbel, responsibilities } from './codes';
import { probeReconstructions } from './probes';
import { attention, generate } from './prior';
import { subspaces } from './subspaces';
import { checkInt, imageBatch, LIMITS } from './io';
import { bilinear, decodePoints, encode, interpolate, manifold, traversal } from './latent';
import type { InspectAnswer, InspectCapabilities, InspectQuery } from '../../contracts/inspect';
import type { Trainer } from '../trainer';
import { codeSpaceOf } from '../infer/code-space';
import { direction } from '../infer/direction';
import type { InferenceJobs } from '../infer/jobs';

export function capabilitiesOf(trainer: Trainer): InspectCapabilities {
  const m = trainer.model;
  const layout = m.codeLayout;
  return {
    latentDim: m.latentDim ?? 0,
    codes: layout
      ? {
          positions: layout.positions,
          gridHeight: layout.gridHeight,
          gridWidth: layout.gridWidth,
          size: layout.size,
        }
      : null,
    gumbel: Boolean(m.codeLogits),
    preQuantised: Boolean(m.decodeContinuous),
    affineDecoder: hasAffineDecoder(trainer),
    ...(m.responsibilities ? { responsibilities: true } : {}),
    inference: codeSpaceOf(m)?.info ?? null,
    ...(m.labelClasses ? { labelClasses: m.labelClasses } : {}),
    ...(m.priorShape ? { prior: { ...m.priorShape } } : {}),
  };
}

/** Whether the model's decoder is affine in z now (PCA; an AE with linear layers, Gaussian). */
function hasAffineDecoder(trainer: Trainer): boolean {
  const affine = trainer.model.affineDecoder?.() ?? null;
  if (affine) tf.dispose([affine.weight, affine.bias]);
  return affine !== null;
}

/** Where trainer.sample draws from, in words. */
function sampleSource(trainer: Trainer): string {
  const m = trainer.model;
  if (m.fitLatentGaussian) return 'Gaussian fitted to the codes';
  if (m.latentDim) return 'prior N(0, I)';
  if (m.responsibilities) return 'the mixture: a component k ~ π, then each pixel ~ Bernoulli(μ_k)';
  if (m.priorShape) return 'the learned prior over codes, token by token, class token "any"';
  if (m.labelClasses) return `prior N(0, I), labels 0 … ${m.labelClasses - 1} in turn`;
  return 'uniformly random codes';
}

async function samples(
  trainer: Trainer,
  q: Extract<InspectQuery, { kind: 'samples' }>,
): Promise<InspectAnswer> {
  const count = checkInt('count', q.count, 1, LIMITS.samples);
  const pixels = await trainer.sample(count, q.seed);
  return { kind: 'samples', images: imageBatch(trainer, pixels), source: sampleSource(trainer) };
}

/** `jobs` holds inference's state between `infer` questions (the worker session owns it). */
export async function inspect(
  trainer: Trainer,
  query: InspectQuery,
  jobs?: InferenceJobs,
): Promise<InspectAnswer> {
  switch (query.kind) {
    case 'manifold':
      return manifold(trainer, query);
    case 'decodePoints':
      return decodePoints(trainer, query);
    case 'encode':
      return encode(trainer, query);
    case 'interpolate':
      return interpolate(trainer, query);
    case 'bilinear':
      return bilinear(trainer, query);
    case 'traversal':
      return traversal(trainer, query);
    case 'samples':
      return samples(trainer, query);
    case 'codebookAtlas':
      return codebookAtlas(trainer);
    case 'codeMap':
      return codeMap(trainer, query);
    case 'gumbel':
      return gumbel(trainer, query);
    case 'codebookView':
      return codebookView(trainer, query);
    case 'probeReconstructions':
      return probeReconstructions(trainer);
    case 'subspaces':
      return subspaces(trainer);
    case 'responsibilities':
      return responsibilities(trainer, query);
    case 'infer':
      if (!jobs) throw new Error('inference by optimisation runs in the training worker');
      return jobs.run(trainer, query);
    case 'direction':
      return direction(trainer, query);
    case 'conditionalSamples':
      return conditionalSamples(trainer, query);
    case 'everyLabel':
      return everyLabel(trainer, query);
    case 'generate':
      return generate(trainer, query);
    case 'attention':
      return attention(trainer, query);
    default: {
      const unknown: never = query;
      throw new Error(`unknown inspect question ${JSON.stringify(unknown)}`);
    }
  }
}
