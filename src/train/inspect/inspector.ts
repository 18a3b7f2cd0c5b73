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
 * "—" rejects with an Error that says which models can answer.
 */
import { codebookView } from './codebook-view';
import { codebookAtlas, codeMap, gumbel } from './codes';
import { probeReconstructions } from './probes';
import { checkInt, imageBatch, LIMITS } from './io';
import { bilinear, decodePoints, encode, interpolate, manifold, traversal } from './latent';
import type { InspectAnswer, InspectCapabilities, InspectQuery } from '../../contracts/inspect';
import type { Trainer } from '../trainer';

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
  };
}

/** Where trainer.sample draws from, in words. */
function sampleSource(trainer: Trainer): string {
  const m = trainer.model;
  if (m.fitLatentGaussian) return 'Gaussian fitted to the codes';
  if (m.latentDim) return 'prior N(0, I)';
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

export async function inspect(trainer: Trainer, query: InspectQuery): Promise<InspectAnswer> {
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
    default: {
      const unknown: never = query;
      throw new Error(`unknown inspect question ${JSON.stringify(unknown)}`);
    }
  }
}
