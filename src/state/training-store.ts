/**
 * Everything the page knows about the run, as plain data, updated from worker responses.
 * Curves are bounded (the latest points exact, older ones decimated); `version` changes on
 * every update so React re-renders.
 */
import { appendBounded, type CurveBounds } from '../core/decimate';
import type { ModelKind } from '../contracts/catalog';
import { TRAIN_DEFAULTS, type BackendName } from '../contracts/config';
import type { EvalResult } from '../contracts/metrics';
import type { RunSnapshot } from '../contracts/run-file';
import type {
  DatasetInfo,
  DeviceMemory,
  InspectCapabilities,
  WorkerResponse,
} from '../worker/protocol';

/** Loss terms by name over steps, in nats per image. */
export interface Series {
  steps: number[];
  terms: Record<string, number[]>;
}

export type Phase = 'starting' | 'ready' | 'failed';

export interface Notice {
  id: number;
  kind: 'info' | 'warning' | 'error';
  text: string;
}

export interface TrainingState {
  /** The run whose responses are shown; responses of other runs are dropped. */
  runId: number;
  phase: Phase;
  loadingMessage: string;
  backend: BackendName | null;
  dataset: DatasetInfo | null;
  probeLabels: Uint8Array | null;
  probeImages: Uint8Array | null;
  /** The model of the run on screen (its catalog entry names the terms). */
  model: ModelKind;
  /** The training loop is busy: training, or running the steps Step asked for. */
  running: boolean;
  /** Training until paused (Train was pressed): what a move or restart resumes. */
  playing: boolean;
  step: number;
  epoch: number;
  imagesPerSecond: number;
  /** The most threads a wasm matrix product has used (2: the page is cross-origin isolated). */
  gemmThreads: number;
  /** Schedule values in force (β, KL weight, τ …). */
  schedule: Record<string, number>;
  train: Series;
  test: Series;
  latestEval: EvalResult | null;
  notices: Notice[];
  /** Model events (dead-code restarts …) with the step they happened at. */
  events: { step: number; text: string }[];
  /** Which inspect questions the running model answers (null until the worker says). */
  capabilities: InspectCapabilities | null;
  /**
   * Diagnostics over training, one entry per evaluation: `activeUnits`, `perplexity`,
   * `codesUsed` (whichever the model reports), by name.
   */
  diagnosticsHistory: Series;
  /** Schedule values (β, KL weight, τ …) over training steps, one entry per read-back. */
  scheduleHistory: Series;
  /** The worker's tf.memory() at the latest read-back (debug value; null before training). */
  memory: DeviceMemory | null;
  /**
   * The latest autosave of the run on screen, taken with finite weights: what "Roll back" and
   * crash recovery restore (null until the worker sends one).
   */
  lastSave: RunSnapshot | null;
  /** Set when training paused on a NaN/∞ loss or weight, until the run is replaced. */
  diverged: { step: number } | null;
  version: number;
}

/**
 * The fields a training step's read-back ('metrics', every ~100 ms) and the autosave change. A
 * view that draws none of them needs to re-render only when another field changes (an
 * evaluation, a phase, a notice): see `steadyPart`.
 */
export const PER_STEP_FIELDS = [
  'train',
  'scheduleHistory',
  'schedule',
  'step',
  'epoch',
  'imagesPerSecond',
  'gemmThreads',
  'memory',
  'lastSave',
  'version',
] as const satisfies readonly (keyof TrainingState)[];
export type PerStepField = (typeof PER_STEP_FIELDS)[number];

const PER_STEP = new Set<string>(PER_STEP_FIELDS);

/**
 * `next` when a field outside PER_STEP_FIELDS differs from `previous` (by identity: the reducer
 * never mutates), else `previous`: the state as a view that ignores per-step fields sees it.
 */
export function steadyPart(previous: TrainingState | null, next: TrainingState): TrainingState {
  if (!previous) return next;
  for (const key of Object.keys(next) as (keyof TrainingState)[])
    if (!PER_STEP.has(key) && previous[key] !== next[key]) return next;
  return previous;
}

export function emptySeries(): Series {
  return { steps: [], terms: {} };
}

export function initialState(): TrainingState {
  return {
    runId: 0,
    phase: 'starting',
    loadingMessage: 'Starting the training worker…',
    backend: null,
    dataset: null,
    probeLabels: null,
    probeImages: null,
    model: TRAIN_DEFAULTS.model,
    running: false,
    playing: false,
    step: 0,
    epoch: 0,
    imagesPerSecond: 0,
    gemmThreads: 1,
    schedule: {},
    train: emptySeries(),
    test: emptySeries(),
    latestEval: null,
    notices: [],
    events: [],
    capabilities: null,
    diagnosticsHistory: emptySeries(),
    scheduleHistory: emptySeries(),
    memory: null,
    lastSave: null,
    diverged: null,
    version: 0,
  };
}

let noticeId = 0;
export function notice(kind: Notice['kind'], text: string): Notice {
  return { id: ++noticeId, kind, text };
}

/**
 * Most points a curve keeps, and how many of the latest stay exact (older ones are compacted by
 * min/max decimation, src/core/decimate.ts): the page's memory and the cost of each update stay
 * flat however long training runs. Train losses and schedules arrive every step; test terms
 * and diagnostics once per evaluation.
 */
export const PER_STEP_BOUNDS: CurveBounds = { capacity: 2400, exact: 600 };
export const PER_EVAL_BOUNDS: CurveBounds = { capacity: 1000, exact: 250 };

/** Pure reducer: state × worker response → next state (never mutates `s`). */
export function applyResponse(s: TrainingState, msg: WorkerResponse): TrainingState {
  if ('runId' in msg && msg.runId !== s.runId) return s;
  const next = { ...s, version: s.version + 1 };
  switch (msg.type) {
    case 'loading':
      return { ...next, loadingMessage: msg.message };
    case 'ready':
      return {
        ...next,
        phase: 'ready',
        backend: msg.backend,
        dataset: msg.dataset,
        probeLabels: msg.probeLabels,
        probeImages: msg.probeImages,
        // A reset sent while the worker started (a lesson's preset choosing another model)
        // already set the model of the newer run: the init's config is then out of date.
        model: msg.initRunId === s.runId ? msg.config.model : s.model,
        notices: [
          ...s.notices,
          ...msg.backendNotices.map((t) => notice('warning', `${t}. Fell back to ${msg.backend}.`)),
        ],
      };
    case 'running':
      return { ...next, running: msg.running, playing: msg.playing };
    case 'metrics': {
      const m = msg.metrics;
      const train = appendBounded(s.train, m.steps, m.terms, PER_STEP_BOUNDS);
      const scheduleHistory = appendBounded(
        s.scheduleHistory,
        [msg.step],
        Object.fromEntries(Object.entries(msg.schedule).map(([k, v]) => [k, [v]])),
        PER_STEP_BOUNDS,
      );
      return {
        ...next,
        train,
        scheduleHistory,
        step: msg.step,
        epoch: msg.epoch,
        imagesPerSecond: msg.imagesPerSecond,
        gemmThreads: msg.gemmThreads ?? 1,
        schedule: msg.schedule,
        memory: msg.memory,
      };
    }
    case 'eval': {
      const r = msg.result;
      const last = s.test.steps[s.test.steps.length - 1];
      const test =
        last === r.step
          ? s.test
          : appendBounded(
              s.test,
              [r.step],
              Object.fromEntries(Object.entries(r.test).map(([k, v]) => [k, [v]])),
              PER_EVAL_BOUNDS,
            );
      const d = r.diagnostics;
      const tracked: Record<string, number[]> = {};
      for (const key of ['activeUnits', 'perplexity', 'codesUsed'] as const) {
        const v = d[key];
        if (v !== undefined) tracked[key] = [v];
      }
      const diagnosticsHistory =
        last === r.step
          ? s.diagnosticsHistory
          : appendBounded(s.diagnosticsHistory, [r.step], tracked, PER_EVAL_BOUNDS);
      return { ...next, test, diagnosticsHistory, latestEval: r, step: r.step, epoch: r.epoch };
    }
    case 'model':
      return { ...next, capabilities: msg.capabilities };
    case 'inspection':
    case 'imported':
    case 'dataset':
      return s; // answered through TrainingClient's promises
    case 'event':
      return {
        ...next,
        events: [...s.events, { step: msg.step, text: msg.text }],
        notices: [...s.notices, notice('info', msg.text)],
      };
    case 'diverged':
      return {
        ...next,
        running: false,
        playing: false,
        diverged: { step: msg.step },
        notices: [...s.notices, notice('error', msg.message)],
      };
    case 'autosave':
      return { ...next, lastSave: msg.snapshot };
    case 'snapshot':
    case 'restored':
    case 'pytorch':
      return s; // answered through TrainingClient's promises
    case 'device-lost':
      return { ...next, running: false, playing: false }; // the session restarts on another backend
    case 'error':
      return {
        ...next,
        phase: msg.fatal ? 'failed' : next.phase,
        running: false,
        playing: false,
        notices: [...s.notices, notice('error', msg.message)],
      };
    default: {
      const unknown: never = msg;
      return unknown;
    }
  }
}

/** State for a fresh model on the same worker (curves cleared, dataset kept). */
export function resetRun(s: TrainingState, runId: number, model: ModelKind): TrainingState {
  return {
    ...s,
    model,
    runId,
    running: false,
    playing: false,
    step: 0,
    epoch: 0,
    imagesPerSecond: 0,
    train: emptySeries(),
    test: emptySeries(),
    latestEval: null,
    events: [],
    capabilities: null,
    diagnosticsHistory: emptySeries(),
    scheduleHistory: emptySeries(),
    lastSave: null,
    diverged: null,
    version: s.version + 1,
  };
}
