/**
 * The PyTorch export, one entry per model kind: the PyTorch names and layouts of its saved
 * variables (in `savedVariables ?? variables` order, then `stateVariables`, null = not exported)
 * and its Python class (public/pytorch/<kind>.py, a `Model(LabModel)` with TERMS, terms() and
 * loss()). Adding a model: a row here and its .py file (and its case in
 * tests/browser/pytorch-export.test.mjs); the export tests cover every kind.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ModelKind } from '../../contracts/catalog';
import type { TrainConfig } from '../../contracts/config';
import type { LatentModel } from '../../models/latent-model';
import {
  causalTransformer,
  convDecoder,
  convEncoder,
  decoderNet,
  encoderBody,
  head,
  linear,
  plain,
  type WeightEntry,
} from './nets';

export interface ExportEntry {
  /** The saved variables' names and layouts, in order; null for those PyTorch need not load. */
  weights(c: TrainConfig): (WeightEntry | null)[];
  /** The state variables' (EMA statistics …); null for those PyTorch need not load. */
  state?(c: TrainConfig): (WeightEntry | null)[];
  /** The file of public/pytorch/ with its class Model (uses common.py's pieces and CONFIG). */
  python: string;
  /**
   * The probe digits' codes, for a model without an encoder, found the lab's way (GLO: inference
   * by optimisation, which another framework would not repeat bit for bit). They go to
   * probes.safetensors as `codes` [N, d]; the lab's reported terms and model.py's terms(x,
   * codes=…) both decode exactly these.   x [N, P] → [N, d]
   */
  probeCodes?(model: LatentModel, x: tf.Tensor2D): tf.Tensor2D;
}

export const PYTORCH_EXPORTS: Partial<Record<ModelKind, ExportEntry>> = {
  vae: {
    weights: (c) => [
      ...encoderBody(c.arch),
      ...head('mu', c.arch),
      ...head('log_var', c.arch),
      ...decoderNet(c.arch),
    ],
    python: 'vae.py',
  },
  ae: {
    weights: (c) => [...encoderBody(c.arch), ...head('head', c.arch), ...decoderNet(c.arch)],
    python: 'ae.py',
  },
  vqvae: {
    weights: () => [...convEncoder(), ...convDecoder(), plain('codebook')],
    // EMA: N_k and m_k, then the two code-usage counters (not exported).
    state: (c) => [
      ...(c.ema ? [plain('ema_cluster_size'), plain('ema_embed_sum')] : []),
      null,
      null,
    ],
    python: 'vqvae.py',
  },
  dvae: {
    weights: () => [...convEncoder(), ...convDecoder(), plain('embedding')],
    python: 'dvae.py',
  },
  pca: {
    // μ [1,P], W [P,d], λ [d], tr C [1]: PyTorch buffers of the same names and shapes.
    weights: () => ['mean', 'basis', 'variances', 'total'].map(plain),
    python: 'pca.py',
  },
  kmeans: {
    weights: () => [plain('centroids')],
    python: 'kmeans.py',
  },
  mixture: {
    // θ (μ [K,P], log π [K]) and θ before the last M-step; the E-step statistics S, N, H are not
    // needed to evaluate (the PyTorch fit recomputes them).
    weights: () => [
      plain('means'),
      plain('log_weights'),
      plain('prev_means'),
      plain('prev_log_weights'),
      null,
      null,
      null,
    ],
    python: 'mixture.py',
  },
  glo: {
    // The decoder (the AE's), then the code table Z [N, d] (row i: training image i). The codes'
    // per-row Adam state (m, v, t) is not exported: PyTorch's optimisers start afresh.
    weights: (c) => [...decoderNet(c.arch), plain('codes')],
    state: (c) => (c.codeOptimizer === 'adam' ? [null, null, null] : []),
    python: 'glo.py',
    // The probe digits have no rows: their codes are inferred (all at once, as the lab's test
    // terms infer them).
    probeCodes: (model, x) => model.embed(x),
  },
  cvae: {
    // The VAE's, with the one-hot e_y [K] joined on: the MLP body's input [x, e_y] (its first P
    // columns are the pixels), the conv heads' input [features, e_y] (denseFromNhwc keeps the K
    // rows after the NHWC features in order) and the decoder's input [z, e_y].
    weights: (c) => [
      ...encoderBody(c.arch),
      ...head('mu', c.arch),
      ...head('log_var', c.arch),
      ...decoderNet(c.arch),
    ],
    python: 'cvae.py',
  },
  catvae: {
    weights: () => [0, 1, 2, 3, 4, 5].flatMap((i) => linear(`layers.${i}`)),
    python: 'catvae.py',
  },
  prior: {
    // The frozen tokenizer's weights (the VQ-VAE's or dVAE's own export, under `tokenizer.`),
    // the transformer's, then the training codes' counts n [K] (a buffer: the unigram baseline).
    weights: (c) => [
      ...PYTORCH_EXPORTS[c.tokenizerKind]!.weights(c).map(
        (w) => w && { ...w, name: `tokenizer.${w.name}` },
      ),
      ...causalTransformer('transformer', c.priorLayers),
      plain('counts'),
    ],
    python: 'prior.py',
  },
};
