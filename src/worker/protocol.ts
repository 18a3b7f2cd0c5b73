/**
 * Messages between the page and the training worker. Type-only: both sides import these
 * types and nothing else from each other. The worker owns every tensor; the page sees plain
 * numbers and transferable typed arrays.
 */
import type { ImageDataset } from '../data/image-dataset';
import type { BackendName, TrainConfig } from '../contracts/config';
import type { InspectAnswer, InspectCapabilities, InspectQuery } from '../contracts/inspect';
import type { DeviceMemory, EvalResult, StepMetrics } from '../contracts/metrics';
import type { DivergenceCause } from '../contracts/divergence';
import type { RunSnapshot } from '../contracts/run-file';

export type {
  DeviceMemory,
  EvalResult,
  InspectAnswer,
  InspectCapabilities,
  InspectQuery,
  StepMetrics,
};

/** Page → worker. */
export type WorkerRequest =
  | {
      type: 'init';
      backend: BackendName;
      config: TrainConfig;
      /** Absolute URL of the datasets/ folder, ending in "/". */
      datasetsUrl: string;
      datasetId: string;
      /** Stamped on every response about this run, so stale ones can be dropped. */
      runId: number;
      /**
       * True when `backend` is only the default (no link, person or benchmark named it): a GPU
       * backend that is a software renderer here (SwiftShader …) is then skipped with a notice.
       */
      backendIsDefault?: boolean;
    }
  | { type: 'play' }
  | { type: 'pause' }
  /** Train exactly `count` steps, then evaluate and stay paused. */
  | { type: 'step'; count: number }
  /** New model with this config; keeps the dataset and backend. */
  | { type: 'reset'; config: TrainConfig; runId: number }
  /** Applies settings that do not need a new model (the settings table's `live` rows). */
  | { type: 'configure'; config: TrainConfig }
  /** A question about the current model (decode a grid, interpolate, …); answered by `inspection`. */
  | { type: 'inspect'; id: number; query: InspectQuery }
  /**
   * Replace the run by a checkpoint (checkpoint.json's parsed JSON + weights.bin), validated
   * first; on any problem the current run stays as it was. Answered by `imported`.
   */
  | {
      type: 'import';
      id: number;
      runId: number;
      fileName: string;
      meta: unknown;
      weights: ArrayBuffer;
    }
  /** Take a snapshot now (between steps if training), answered by `autosave`: page hide. */
  | { type: 'save' }
  /** The run as a snapshot (for export), answered by `snapshot`. */
  | { type: 'snapshot'; id: number }
  /**
   * The model as a zip for PyTorch (weights, model.py, train.py …), answered by `pytorch`; the
   * Python templates are read from `templatesUrl` (the app's pytorch/ folder, ending in "/").
   */
  | { type: 'exportPytorch'; id: number; templatesUrl: string }
  /**
   * Replace the run by a snapshot (a saved run, a .latentlab file, a rollback, a restart after a
   * crash), validated first; on any problem the current run stays. Answered by `restored`.
   */
  | {
      type: 'restore';
      id: number;
      runId: number;
      fileName: string;
      meta: unknown;
      weights: ArrayBuffer;
      state: ArrayBuffer;
      order: Int32Array;
    }
  /**
   * Train on other data (an upload or a download; its buffers are transferred): a fresh model
   * with the current settings. Checked first; on any problem the current run stays as it was.
   * Answered by `dataset`.
   */
  | { type: 'dataset'; id: number; runId: number; dataset: ImageDataset };

export interface DatasetInfo {
  id: string;
  name: string;
  source: string;
  license: string;
  trainCount: number;
  testCount: number;
  height: number;
  width: number;
  /** Label classes (1 = unlabelled), and their names when known. */
  classes?: number;
  classNames?: string[];
}

/** Worker → page. */
export type WorkerResponse =
  | { type: 'loading'; message: string }
  | {
      type: 'ready';
      backend: BackendName;
      /** Why backends before `backend` in the fallback chain did not start. */
      backendNotices: string[];
      dataset: DatasetInfo;
      probeLabels: Uint8Array;
      /** RECON_COUNT × H·W grey levels of the reconstruction probes. */
      probeImages: Uint8Array;
      /** The init's config, and the run it started (a reset sent meanwhile supersedes both). */
      config: TrainConfig;
      initRunId: number;
    }
  /**
   * running: the training loop is busy (training, or running the steps that Step asked for);
   * playing: it trains until paused (Train was pressed), which a restart resumes.
   */
  | { type: 'running'; running: boolean; playing: boolean }
  | {
      type: 'metrics';
      runId: number;
      metrics: StepMetrics;
      step: number;
      epoch: number;
      imagesPerSecond: number;
      /** Schedule values in force after these steps (β, KL weight, τ …). */
      schedule: Record<string, number>;
      /** tf.memory() after this read-back (read-only debug value for leak checks). */
      memory: DeviceMemory;
      /**
       * 2 once a wasm matrix product has run on two threads in this worker (a cross-origin
       * isolated page: backends/wasm/wasm-gemm-team), else 1.
       */
      gemmThreads?: number;
    }
  | { type: 'eval'; runId: number; result: EvalResult }
  /** After every new model: which inspect questions it can answer. */
  | { type: 'model'; runId: number; capabilities: InspectCapabilities }
  /** The answer to inspect request `id` (or why there is none). */
  | { type: 'inspection'; runId: number; id: number; answer: InspectAnswer }
  | { type: 'inspection'; runId: number; id: number; error: string }
  /** The answer to import request `id`: the run now on screen, or why the file was refused. */
  | { type: 'imported'; id: number; config: TrainConfig; step: number; epoch: number }
  | { type: 'imported'; id: number; error: string }
  /** Something the model did that a user should see (e.g. dead codes restarted). */
  | { type: 'event'; runId: number; step: number; text: string }
  /** Training stopped on a non-finite loss; the run is paused, not lost. */
  | {
      type: 'diverged';
      runId: number;
      step: number;
      message: string;
      /** Whether the loss or a weight stopped being finite. */
      cause?: DivergenceCause;
    }
  /**
   * A snapshot of the run taken between steps with finite weights: every few seconds while
   * training, when training stops, after a new model or restore, and on `save`.
   */
  | {
      type: 'autosave';
      runId: number;
      snapshot: RunSnapshot;
      /**
       * The snapshot's two buffers again as Blobs, copied here: what the page stores in
       * IndexedDB without copying ~10 MB on its own thread (state/run-db.ts).
       */
      stored?: { weights: Blob; state: Blob };
    }
  /** The answer to snapshot request `id`. */
  | { type: 'snapshot'; id: number; snapshot: RunSnapshot }
  | { type: 'snapshot'; id: number; error: string }
  /** The answer to exportPytorch request `id`: the zip's name and bytes, or why there is none. */
  | { type: 'pytorch'; id: number; fileName: string; zip: ArrayBuffer }
  | { type: 'pytorch'; id: number; error: string }
  /** The answer to restore request `id`: the run now on screen, or why it was refused. */
  | { type: 'restored'; id: number; config: TrainConfig; step: number; epoch: number }
  | { type: 'restored'; id: number; error: string }
  /** The GPU device was lost (driver reset, GPU removed); this worker cannot train any more. */
  | { type: 'device-lost'; backend: BackendName; message: string }
  /** The answer to dataset request `id`: the data now trained on, or why it was refused. */
  | {
      type: 'dataset';
      id: number;
      runId: number;
      dataset: DatasetInfo;
      probeLabels: Uint8Array;
      probeImages: Uint8Array;
    }
  | { type: 'dataset'; id: number; error: string }
  | { type: 'error'; message: string; fatal: boolean };
