/**
 * Everything the page knows about the run, as plain data, updated from worker responses.
 * Curves are kept in growing arrays; `version` changes on every update so React re-renders.
 */
import type { BackendName } from '../train/config';
import type { EvalResult } from '../train/metrics';
import type { DatasetInfo, WorkerResponse } from '../worker/protocol';

export interface Series {
  steps: number[];
  recon: number[];
  kl: number[];
  negElbo: number[];
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
  running: boolean;
  step: number;
  epoch: number;
  imagesPerSecond: number;
  beta: number;
  train: Series;
  test: Series;
  latestEval: EvalResult | null;
  notices: Notice[];
  version: number;
}

export function emptySeries(): Series {
  return { steps: [], recon: [], kl: [], negElbo: [] };
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
    running: false,
    step: 0,
    epoch: 0,
    imagesPerSecond: 0,
    beta: 1,
    train: emptySeries(),
    test: emptySeries(),
    latestEval: null,
    notices: [],
    version: 0,
  };
}

let noticeId = 0;
export function notice(kind: Notice['kind'], text: string): Notice {
  return { id: ++noticeId, kind, text };
}

function appendSeries(
  s: Series,
  steps: number[],
  recon: number[],
  kl: number[],
  negElbo: number[],
): Series {
  return {
    steps: s.steps.concat(steps),
    recon: s.recon.concat(recon),
    kl: s.kl.concat(kl),
    negElbo: s.negElbo.concat(negElbo),
  };
}

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
        beta: msg.config.beta,
        notices: [
          ...s.notices,
          ...msg.backendNotices.map((t) => notice('warning', `${t}. Fell back to ${msg.backend}.`)),
        ],
      };
    case 'running':
      return { ...next, running: msg.running };
    case 'metrics': {
      const m = msg.metrics;
      const train = appendSeries(s.train, m.steps, m.recon, m.kl, m.negElbo);
      return {
        ...next,
        train,
        step: msg.step,
        epoch: msg.epoch,
        imagesPerSecond: msg.imagesPerSecond,
        beta: msg.beta,
      };
    }
    case 'eval': {
      const r = msg.result;
      const last = s.test.steps[s.test.steps.length - 1];
      const test =
        last === r.step
          ? s.test
          : appendSeries(s.test, [r.step], [r.test.recon], [r.test.kl], [r.test.negElbo]);
      return { ...next, test, latestEval: r, step: r.step, epoch: r.epoch };
    }
    case 'diverged':
      return { ...next, running: false, notices: [...s.notices, notice('error', msg.message)] };
    case 'error':
      return {
        ...next,
        phase: msg.fatal ? 'failed' : next.phase,
        running: false,
        notices: [...s.notices, notice('error', msg.message)],
      };
    default: {
      const unknown: never = msg;
      return unknown;
    }
  }
}

/** State for a fresh model on the same worker (curves cleared, dataset kept). */
export function resetRun(s: TrainingState, runId: number): TrainingState {
  return {
    ...s,
    runId,
    running: false,
    step: 0,
    epoch: 0,
    imagesPerSecond: 0,
    train: emptySeries(),
    test: emptySeries(),
    latestEval: null,
    version: s.version + 1,
  };
}
