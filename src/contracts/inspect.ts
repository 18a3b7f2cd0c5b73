/**
 * Questions the page asks the trained model between (or during) training steps, and their
 * answers, as plain data (no TF.js here, so the page may import these types). The worker answers
 * each with src/train/inspect/inspector.ts; all decoding is batched into one device call per question.
 *
 * Images are row-major float intensities in [0, 1], `count × P` with P = H·W (784 for MNIST).
 * "Plane" coordinates are those of the latent scatter: the latent itself when it is 2-D, else
 * the first two principal components of the probe digits' embeddings at the latest evaluation.
 */

/** A digit to start from: one of the fixed probe test digits, or pixels drawn by the user. */
export type DigitRef = { probe: number } | { pixels: Float32Array };

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
  | { kind: 'probeReconstructions' };

export interface ImageBatch {
  count: number;
  height: number;
  width: number;
  /** count × H·W intensities in [0, 1]. */
  pixels: Float32Array;
}

export type InspectAnswer =
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
}
