/**
 * Questions the page asks the trained model between (or during) training steps, and their
 * answers, as plain data (no TF.js here, so the page may import these types). The worker answers
 * each with src/train/inspect/inspector.ts; all decoding is batched into one device call per question.
 *
 * Images are row-major float intensities in [0, 1], `count × P` with P = H·W (784 for MNIST).
 * "Plane" coordinates are those of the latent scatter: the latent itself when it is 2-D, else
 * the first two principal components of the probe digits' embeddings at the latest evaluation.
 */

import type { MaskSpec } from '../core/digit-masks';
import type { DigitMeasure } from '../core/digit-measures';

/** A digit to start from: one of the fixed probe test digits, or pixels drawn by the user. */
export type DigitRef = { probe: number } | { pixels: Float32Array };

/**
 * Inference by optimisation (src/train/infer/): find a code z for one digit by Adam steps on the
 * reconstruction loss of its visible pixels, the decoder frozen. Restoration is the same with
 * part of the digit erased.
 */
export interface InferSpec {
  digit: DigitRef;
  /** The pixels the loss sees; the rest are erased (restoration). */
  mask: MaskSpec;
  /** z at step 0: zero (uniform logits for categorical codes), the encoder's code, or N(0, I). */
  start: 'zero' | 'encoder' | 'random';
  /** Squared error, or Bernoulli cross-entropy in nats, summed over the visible pixels. */
  loss: 'squared' | 'bernoulli';
  /** Adam's step size for z. */
  learningRate: number;
  /** Categorical codes: decode softmax(ℓ), or one-hot forward with the softmax's gradient. */
  relax: 'soft' | 'straight-through';
  seed: number;
}

/** Two groups of probe digits whose mean codes differ by an editing direction (b − a). */
export type DirectionGroups =
  /** The digits labelled a, and those labelled b. */
  | { by: 'label'; a: number; b: number }
  /** The digits below the median of a measure computed from their pixels (a), and above (b). */
  | { by: 'measure'; measure: DigitMeasure }
  /** Probe digits picked by hand (indices). */
  | { by: 'hand'; a: number[]; b: number[] };

/** What kind of code inference optimises (null: the model has no decoder to invert). */
export interface InferenceCodes {
  /** A latent vector (AE, VAE …), VQ-VAE's z_e before quantisation, or logits per position. */
  kind: 'continuous' | 'pre-quantised' | 'categorical';
  /** Numbers in one code. */
  size: number;
  /** Whether an encoder gives a code in one shot (GLO has none). */
  encoder: boolean;
  /** Continuous codes that a direction can move (editing). */
  editable: boolean;
}

export type InspectQuery =
  /** Decode an n×n grid over the plane, spaced by the inverse Gaussian CDF (Kingma & Welling fig. 4). */
  | { kind: 'manifold'; n: number; dims?: [number, number] }
  /** Decode single points of the plane (click in the scatter).   points: [x0, y0, x1, y1, …] */
  | { kind: 'decodePoints'; points: number[] }
  /** Encode a digit: its point in the plane and its reconstruction (draw your own, hover). */
  | { kind: 'encode'; digit: DigitRef }
  /** Decoded path between two digits: linear and spherical (slerp) interpolation of the codes. */
  | { kind: 'interpolate'; a: DigitRef; b: DigitRef; steps: number }
  /** n×n bilinear grid between four corner digits [top-left, top-right, bottom-left, bottom-right]. */
  | { kind: 'bilinear'; corners: [DigitRef, DigitRef, DigitRef, DigitRef]; n: number }
  /** Vary latent dimensions one at a time from −range to +range, the others at the digit's code. */
  | { kind: 'traversal'; digit: DigitRef; dims: number[]; steps: number; range: number }
  /** New images from the generative side (prior, fitted Gaussian, random codes). */
  | { kind: 'samples'; count: number; seed: number }
  /** Decode each code alone (every position set to code k): the naive codebook visualisation. */
  | { kind: 'codebookAtlas' }
  /** Code indices of probe digits at each latent position. */
  | { kind: 'codeMap'; probes: number[] }
  /** One probe digit, one latent position: q(c|x), a Gumbel draw, soft and hard samples at τ. */
  | { kind: 'gumbel'; probe: number; position: number; tau: number; seed: number; top: number }
  /**
   * VQ-VAE, dVAE: the codebook vectors and the encoder outputs of the first `probes` probe digits
   * (every position, at most CODEBOOK_VIEW_MAX_VECTORS of them) in one PCA plane.
   */
  | { kind: 'codebookView'; probes: number }
  /**
   * Every probe digit and its deterministic reconstruction by the model now, as grey levels: the
   * page keeps them to show a hovered point of the latent scatter at once (one batched call).
   */
  | { kind: 'probeReconstructions' }
  /**
   * PCA beside a model with an affine decoder (the linear AE), or PCA's own fit: PCA of the
   * training images with the same d, both errors, principal angles and both bases.
   */
  | { kind: 'subspaces' }
  /** Mixture models: p(k | x) of one digit over the K components. */
  | { kind: 'responsibilities'; digit: DigitRef }
  /**
   * `steps` more Adam steps of inference job `job` (restart: begin it again from `spec`). The
   * page asks again for each batch, so steps stream back and the worker stays responsive.
   */
  | { kind: 'infer'; job: number; spec: InferSpec; steps: number; restart: boolean }
  /**
   * Editing: the direction d = mean code of group b − mean code of group a of the probe digits
   * (encoder codes, or codes found by inference for models without an encoder), and `digit`'s
   * code moved along it: decode(z + t·d) for each t of `values`.
   */
  | { kind: 'direction'; groups: DirectionGroups; digit: DigitRef; values: number[] }
  /** Conditional models: `count` samples of one label, z ~ N(0, I) decoded given the label. */
  | { kind: 'conditionalSamples'; label: number; count: number; seed: number }
  /** Conditional models: a probe digit's z (encoded with its own label) decoded with every label. */
  | { kind: 'everyLabel'; probe: number }
  /**
   * The prior over codes: `count` code grids drawn token by token in raster order, given a class
   * (null: the "any" token), at a temperature, from the top-k codes (0: all); with every partial
   * grid decoded, and as many grids of uniformly random codes beside them.
   */
  | {
      kind: 'generate';
      label: number | null;
      count: number;
      temperature: number;
      topK: number;
      /** Classifier-free guidance w ≥ 0 (0: the prior's own p(c | y); see GenerateOptions). */
      guidance: number;
      seed: number;
    }
  /** The prior over codes: each head's attention on one grid of codes (after its class token). */
  | { kind: 'attention'; codes: number[]; label: number | null };

export interface ImageBatch {
  count: number;
  height: number;
  width: number;
  /** count × H·W intensities in [0, 1]. */
  pixels: Float32Array;
}

export type InspectAnswer =
  | ResponsibilitiesAnswer
  | {
      kind: 'manifold';
      n: number;
      /** Row-major tiles: row r (top = largest y), column c (left = smallest x). */
      images: ImageBatch;
      /** Plane coordinates of the columns and of the rows (top to bottom). */
      xs: number[];
      ys: number[];
      /** What the axes are: "z₁, z₂", "dims 3, 7", "PC 1, PC 2". */
      axes: string;
    }
  | { kind: 'decodePoints'; images: ImageBatch }
  | { kind: 'encode'; point: [number, number]; reconstruction: ImageBatch; input: ImageBatch }
  | {
      kind: 'interpolate';
      /** Each path has `steps` images from a to b. */
      linear: ImageBatch;
      slerp: ImageBatch;
      /** VQ-VAE: interpolating z_e before quantisation (decoded unquantised), and the same path quantised. */
      preQuantised?: ImageBatch;
      quantised?: ImageBatch;
    }
  | { kind: 'bilinear'; n: number; images: ImageBatch }
  | { kind: 'traversal'; dims: number[]; values: number[]; images: ImageBatch }
  | { kind: 'samples'; images: ImageBatch; source: string }
  | { kind: 'codebookAtlas'; images: ImageBatch }
  | {
      kind: 'codeMap';
      /** probes.length × positions code indices. */
      indices: Int32Array;
      positions: number;
      gridHeight: number;
      gridWidth: number;
      codebookSize: number;
    }
  | {
      kind: 'gumbel';
      tau: number;
      /** The top categories of q(c|x) at this position, most probable first. */
      rows: {
        code: number;
        prob: number;
        logit: number;
        gumbel: number;
        /** softmax((log π + g)/τ) entry: the relaxed sample. */
        soft: number;
      }[];
      /** argmax(log π + g): the hard (Gumbel-max) sample, over all K codes. */
      hard: number;
      codebookSize: number;
      positions: number;
    }
  | {
      kind: 'codebookView';
      /**
       * K × 2 row-major: each code vector (VQ-VAE codebook e_k, dVAE embedding row E_k) on the
       * two principal components of the union of code vectors and encoder outputs.
       */
      codebook: Float32Array;
      /**
       * M × 2 row-major: encoder outputs on the same two components. VQ-VAE: z_e at each position;
       * dVAE: the expected embedding Σ_k q(k|x) e_k (no Gumbel noise, independent of τ).
       */
      encoder: Float32Array;
      /** M: the code of each encoder output, model.codes (VQ-VAE nearest code, dVAE argmax q). */
      codeOf: Int32Array;
      /** M: the probe digit (its index among the probe digits) each output came from. */
      labels: Int32Array;
      /** M: the latent position (0 … positions − 1, row-major in the grid) of each output. */
      position: Int32Array;
      /** Fractions of the union's total variance along PC 1 and PC 2. */
      variance: [number, number];
      codebookSize: number;
    }
  | { kind: 'conditionalSamples'; label: number; images: ImageBatch }
  | {
      kind: 'generate';
      label: number | null;
      /** The question's temperature, top-k, guidance and seed, echoed: what the grids were drawn with. */
      temperature: number;
      topK: number;
      guidance: number;
      seed: number;
      /** The drawn grids, row-major in raster order.   [count · positions] */
      codes: Int32Array;
      /**
       * Partial grids decoded: frame t (1 … positions) of sample i is image (t − 1)·count + i,
       * with the first t positions drawn and the rest set to `fill`. The last frame is the sample.
       */
      frames: ImageBatch;
      /** The code the not-yet-drawn positions show: the most frequent training code (background). */
      fill: number;
      /** Grids of uniformly random codes, decoded: what the tokenizer alone gives.   [count] */
      uniform: ImageBatch;
    }
  | {
      kind: 'attention';
      layers: number;
      heads: number;
      /** Sequence length T = 1 + positions (the class token first). */
      length: number;
      /** weights[((l·heads + h)·T + query)·T + key]; each query's row sums to 1.   [L·H·T·T] */
      weights: Float32Array;
    }
  | {
      kind: 'everyLabel';
      /** The probe digit's own label, which its z was encoded with. */
      label: number;
      input: ImageBatch;
      /** One image per label 0 … K−1, all from the same z. */
      images: ImageBatch;
    }
  | {
      kind: 'subspaces';
      step: number;
      latentDim: number;
      /** PCA of the training images with d = latentDim (the running PCA's own fit, if PCA). */
      pca: {
        /** Σ_p (x_p − x̂_p)² per image on the probe (test) digits, x̂ not clipped. */
        squaredError: number;
        /** λ₁ … λ_d: variance per image along each component (squared-error units). */
        variances: number[];
        /** tr C: the total variance per image. */
        totalVariance: number;
        /** Training images it was fitted on. */
        images: number;
        /** The d orthonormal eigen-digits, each scaled so that 0 is mid-grey. */
        basis: ImageBatch;
      };
      /** The running model's affine decoder x̂ = b + z W (the linear AE); null for PCA itself. */
      model: {
        /** The same squared error with the model's own x̂ (not clipped). */
        squaredError: number;
        /** Principal angles between span(W's rows) and PCA's subspace, degrees, smallest first. */
        anglesDeg: number[];
        /** The d decoder directions (rows of W), each scaled so that 0 is mid-grey. */
        columns: ImageBatch;
      } | null;
    }
  | {
      kind: 'probeReconstructions';
      /** The training step of the weights that made them. */
      step: number;
      count: number;
      height: number;
      width: number;
      /** count × H·W grey levels 0..255 (ink = 255) of the probe digits as the model sees them. */
      inputs: Uint8Array;
      /** count × H·W grey levels 0..255 of their reconstructions. */
      reconstructions: Uint8Array;
    }
  | {
      kind: 'infer';
      job: number;
      /** Adam steps taken so far. */
      step: number;
      /** The loss per image at steps firstStep, firstStep + 1, … (step 0 = before any step). */
      losses: Float32Array;
      firstStep: number;
      /** The loss's unit, e.g. "squared error per image, summed over 588 visible pixels". */
      unit: string;
      /** The code after each of those steps in the plane (2 numbers a step); null: no plane. */
      path: Float32Array | null;
      /** The plane's axes ("z₁, z₂", "PC 1, PC 2"), null with no plane. */
      axes: string | null;
      /** The encoder's code in one shot: its point, its loss on the same pixels, its image. */
      encoder: { point: [number, number] | null; loss: number; image: ImageBatch } | null;
      /** The digit with its erased pixels set to 0, and as it was. */
      input: ImageBatch;
      original: ImageBatch;
      /** The current code decoded (continuous, unquantised or soft). */
      reconstruction: ImageBatch;
      /** The same code read discretely (VQ-VAE quantised, categorical argmax), or null. */
      discrete: ImageBatch | null;
      discreteLabel: string | null;
      /** Squared error of the reconstruction on the erased pixels only (null: none erased). */
      erasedError: number | null;
    }
  | {
      kind: 'direction';
      values: number[];
      /** decode(z + t·d) for each t of values. */
      images: ImageBatch;
      /** ‖d‖, the group sizes, and the groups in words. */
      norm: number;
      sizes: [number, number];
      groups: [string, string];
      /** Where the codes came from: the encoder, or inference (models without an encoder). */
      source: 'encoder' | 'inferred';
    };

export type ResponsibilitiesAnswer = {
  kind: 'responsibilities';
  /** p(k | x) for k = 0 … K − 1; sums to 1. */
  probs: Float32Array;
};

/** Most encoder outputs in a codebook view; more are subsampled (fixed seed, so stable). */
export const CODEBOOK_VIEW_MAX_VECTORS = 2000;

/** Which questions a model can answer (the page hides panels for the others). */
export interface InspectCapabilities {
  /** Continuous latent of this size (VAE, AE); 0 for discrete models. */
  latentDim: number;
  /** Discrete codes: positions × K (VQ-VAE, dVAE, categorical VAE); null otherwise. */
  codes: { positions: number; gridHeight: number; gridWidth: number; size: number } | null;
  /** Gumbel-softmax models (dVAE, categorical VAE). */
  gumbel: boolean;
  /** VQ-VAE: z_e can be decoded before quantisation. */
  preQuantised: boolean;
  /** The decoder is affine in z (PCA, the linear AE): the `subspaces` question applies. */
  affineDecoder?: boolean;
  /** Mixture models: the posterior over components, p(k | x) (absent = no). */
  responsibilities?: boolean;
  /** Inference by optimisation, restoration and editing (absent or null: not offered). */
  inference?: InferenceCodes | null;
  /** Conditional models (CVAE): the K label classes they decode given; absent otherwise. */
  labelClasses?: number;
  /**
   * The prior over codes: it generates (`generate`) and shows attention (`attention`); `classes`
   * is the number of class tokens it was trained with (0: unconditional, the "any" token only).
   */
  prior?: { layers: number; heads: number; classes: number };
}
