/**
 * "Benchmark this device": measures training images/s of the current model on every backend
 * this browser offers (a few seconds each, in a separate worker, training paused meanwhile),
 * shows them as a table with the fastest marked, and hands the result to the page, which switches
 * to the fastest backend and remembers it for this browser. The remembered result is shown until
 * a new one runs.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { MODEL_CATALOG } from '../../contracts/catalog';
import {
  fastestBackend,
  formatBenchmarkDate,
  type BackendRate,
  type DeviceBenchmark,
} from '../../state/device-benchmark';
import { trainConfigOf, type Settings } from '../../state/settings';
import { BACKENDS } from '../../contracts/config';
import { runDeviceBenchmark, type BenchmarkProgress } from '../../worker/device-benchmark-client';
import { userAgentHash } from '../../state/device-benchmark-storage';
import { count } from '../format';
import './device-benchmark.css';

export interface DeviceBenchmarkProps {
  settings: Settings;
  /** True while the training worker starts (a benchmark then would compete with it). */
  starting: boolean;
  /** True while the model trains (it is paused for the benchmark, and resumed after). */
  training: boolean;
  /** This browser's remembered benchmark, shown until a new one runs. */
  remembered: DeviceBenchmark | null;
  pauseTraining: () => void;
  /** Trains again after a benchmark that changed nothing (stopped, or nothing finished). */
  resumeTraining: () => void;
  /**
   * Stores and applies a finished benchmark (switching backend if need be); resolves to a
   * sentence saying what happened.
   */
  onResult: (benchmark: DeviceBenchmark, wasTraining: boolean) => Promise<string>;
}

/** The model measured, e.g. "VAE (MLP), batch 128"; the network only where the model offers two. */
export function workloadOf(s: Settings): string {
  const choosesArch = MODEL_CATALOG[s.model].traits.archs.length > 1;
  const arch = choosesArch ? ` (${s.arch === 'mlp' ? 'MLP' : 'conv'})` : '';
  return `${MODEL_CATALOG[s.model].label}${arch}, batch ${s.batchSize}`;
}

export function formatRate(rate: number): string {
  return rate >= 10 ? count(rate) : rate.toFixed(1);
}

function progressText(p: BenchmarkProgress): string {
  const which = `${p.backend} (${p.index + 1} of ${p.count})`;
  switch (p.stage) {
    case 'starting':
      return `Starting ${which}…`;
    case 'warming-up':
      return `Warming up ${which}: compiling kernels and a first step…`;
    case 'measuring':
      return `Measuring ${which}: round ${p.done} of ${p.total}…`;
  }
}

function progressValue(p: BenchmarkProgress): number {
  const within =
    p.stage === 'starting' ? 0 : p.stage === 'warming-up' ? 0.2 : 0.2 + (0.8 * p.done) / p.total;
  return (p.index + within) / p.count;
}

export function DeviceBenchmark({
  settings,
  starting,
  training,
  remembered,
  pauseTraining,
  resumeTraining,
  onResult,
}: DeviceBenchmarkProps) {
  const hintId = useId();
  const [progress, setProgress] = useState<BenchmarkProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  /** A run whose results were not kept (nothing finished): shown instead of the remembered one. */
  const [unkept, setUnkept] = useState<Measured | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const run = async () => {
    const controller = new AbortController();
    abort.current = controller;
    const wasTraining = training;
    if (wasTraining) pauseTraining();
    setBusy(true);
    setOutcome(null);
    setUnkept(null);
    try {
      const results = await runDeviceBenchmark(
        trainConfigOf(settings),
        setProgress,
        controller.signal,
      );
      const date = new Date().toISOString();
      const workload = workloadOf(settings);
      const backend = fastestBackend(results);
      if (controller.signal.aborted || !backend) {
        setUnkept({ backend: null, date, workload, results });
        if (wasTraining) resumeTraining();
        setOutcome(
          controller.signal.aborted
            ? 'Benchmark stopped; the backend is unchanged.'
            : 'No backend finished a measurement; the backend is unchanged.',
        );
        return;
      }
      const benchmark: DeviceBenchmark = {
        backend,
        date,
        userAgent: userAgentHash(),
        workload,
        results,
      };
      setOutcome(await onResult(benchmark, wasTraining));
    } catch (err) {
      if (wasTraining) resumeTraining();
      setOutcome(`The benchmark could not run: ${(err as Error).message}`);
    } finally {
      setBusy(false);
      setProgress(null);
      abort.current = null;
    }
  };

  const shown: Measured | null = unkept ?? remembered;
  return (
    <section className="device-benchmark" aria-label="Device benchmark">
      <div className="device-benchmark-bar">
        <button
          type="button"
          data-testid="benchmark-device"
          aria-describedby={hintId}
          disabled={busy || starting}
          onClick={() => void run()}
        >
          Benchmark this device
        </button>
        {busy ? (
          <button type="button" onClick={() => abort.current?.abort()}>
            Stop benchmark
          </button>
        ) : null}
        <span id={hintId} className="hint">
          Measures training images/s of the current model on each backend (a few seconds each;
          training pauses meanwhile), then switches to the fastest and remembers it in this browser.
        </span>
      </div>
      <div aria-live="polite" className="device-benchmark-progress">
        {progress ? (
          <>
            <progress value={progressValue(progress)} max={1} aria-label="Benchmark progress" />{' '}
            <span data-testid="benchmark-progress">{progressText(progress)}</span>
          </>
        ) : null}
        {outcome ? <p data-testid="benchmark-outcome">{outcome}</p> : null}
      </div>
      {shown ? <BenchmarkTable benchmark={shown} /> : null}
    </section>
  );
}

/** What the table shows: a benchmark, or a run with no fastest backend (stopped, or all failed). */
type Measured = Pick<DeviceBenchmark, 'date' | 'workload' | 'results'> & {
  backend: DeviceBenchmark['backend'] | null;
};

function BenchmarkTable({ benchmark }: { benchmark: Measured }) {
  const rows = BACKENDS.map((b) => benchmark.results.find((r) => r.backend === b)).filter(
    (r): r is BackendRate => r !== undefined,
  );
  return (
    <table className="device-benchmark-table" data-testid="benchmark-table">
      <caption>
        Training speed on this device: {benchmark.workload || 'the model then selected'},
        benchmarked {formatBenchmarkDate(benchmark.date)}
      </caption>
      <thead>
        <tr>
          <th scope="col">Backend</th>
          <th scope="col">Training images/s</th>
          <th scope="col">Ran on, or why not</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const chosen = r.backend === benchmark.backend;
          return (
            <tr
              key={r.backend}
              data-testid={`benchmark-row-${r.backend}`}
              data-chosen={chosen ? 'true' : undefined}
              className={chosen ? 'chosen' : undefined}
            >
              <th scope="row">
                {r.backend}
                {chosen ? <strong> (fastest, chosen)</strong> : null}
              </th>
              <td className="num" data-testid="benchmark-rate">
                {r.imagesPerSec === null ? '—' : formatRate(r.imagesPerSec)}
              </td>
              <td>{r.detail}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
