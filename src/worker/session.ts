/**
 * The worker's training run as one object: the dataset on the device, the trainer (which owns
 * every tensor of the model), the settings in force and the run id stamped on every response.
 *
 * Its scheduler runs trainer steps while playing (or a fixed count on Step), reads the loss back
 * asynchronously at most every READBACK_MS, evaluates the probe set on a time budget (both paced
 * by worker/pacing.ts) and hands safe points to the autosaver. Every way of getting a new run (the first model, reset, import,
 * restore, other data) builds it first, then goes through `swapIn`: stop the loop, dispose the
 * old trainer, install the new one, announce it, reset the timers, evaluate and autosave step 0.
 * A run that cannot be built is refused and the current one trains on unchanged.
 */
import { ThroughputMeter } from '../core/throughput';
import type { ImageDataset } from '../data/image-dataset';
import { capabilitiesOf, inspect } from '../train/inspect/inspector';
import { explainDivergence } from '../contracts/divergence';
import type { DeviceMemory } from '../contracts/metrics';
import { captureRun } from '../train/run-state';
import type { TrainConfig } from '../contracts/config';
import { Trainer } from '../train/trainer';
import { InferenceJobs } from '../train/infer/jobs';
import { parallelMatMulStats } from '../backends/wasm/wasm-parallel-matmul';
import { Autosaver } from './autosave';
import { Pacing } from './pacing';
import { exportPytorch } from './pytorch-export';
import { snapshotBuffers, transferablesOf } from './transfer';
import type { WorkerRequest, WorkerResponse } from './protocol';
import {
  checkpointRun,
  datasetInfo,
  freshRun,
  restoredRun,
  runOnData,
  type NextRun,
} from './next-run';

/** Sends a response to the page, moving `transfer`'s buffers. */
export type Post = (msg: WorkerResponse, transfer?: Transferable[]) => void;

type Req<T extends WorkerRequest['type']> = Extract<WorkerRequest, { type: T }>;

const unchanged = (fileName: string, why: string) =>
  `Could not load ${fileName}: ${why}. The current run is unchanged.`;

export class TrainingSession {
  private dataset: ImageDataset | null = null;
  private trainer: Trainer | null = null;
  private config: TrainConfig | null = null;
  private runId = 0;
  /** Train until paused (Train was pressed). */
  private playing = false;
  /** Steps Step asked for that are still to run. */
  private stepsToRun = 0;
  private loop: Promise<void> | null = null;
  private readonly meter = new ThroughputMeter();
  /** When to read the losses back and when to evaluate. */
  private readonly pacing = new Pacing();
  /** Snapshots of the run for autosave, rollback, crash recovery and export (see autosave.ts). */
  private readonly autosaver: Autosaver;
  /** Lets queued messages (pause, reset) in between steps without a timer's clamping. */
  private readonly channel = new MessageChannel();
  private readonly wakers: (() => void)[] = [];
  /** Inference by optimisation's state between the page's `infer` questions. */
  private readonly inference = new InferenceJobs();

  /** `memory` reads the device's memory use (backends/setup's deviceMemory in the worker). */
  constructor(
    private readonly post: Post,
    private readonly memory: () => DeviceMemory,
  ) {
    this.autosaver = new Autosaver(
      () => {
        const { trainer, config, dataset } = this;
        if (!trainer || !config || !dataset) return Promise.reject(new Error('no run to save'));
        return captureRun(trainer, config, dataset.id);
      },
      (snapshot) => {
        // Copied before the buffers are transferred (Blobs go by reference, not copied again).
        const stored =
          typeof Blob === 'undefined'
            ? undefined
            : { weights: new Blob([snapshot.weights]), state: new Blob([snapshot.state]) };
        this.post(
          { type: 'autosave', runId: this.runId, snapshot, stored },
          snapshotBuffers(snapshot),
        );
      },
    );
    this.channel.port1.onmessage = () => this.wakers.shift()?.();
  }

  /** Whether a training loop is busy (training, or running Step's steps). */
  get busy(): boolean {
    return this.loop !== null;
  }

  /** The first run of this worker, on `dataset` (the backend is up). Returns its probes. */
  async begin(dataset: ImageDataset, config: TrainConfig, runId: number) {
    await this.swapIn(freshRun(dataset, config, runId));
    const t = this.trainer!;
    return { probeLabels: t.probeLabels.slice(), probeImages: t.probeImages.slice() };
  }

  /** The device is gone: stop training after the current step. */
  halt(): void {
    this.playing = false;
  }

  play(): void {
    if (!this.trainer) return;
    this.playing = true;
    // A loop already busy with Step's steps now trains on: say so (a new loop says it itself).
    if (this.loop) this.post({ type: 'running', running: true, playing: true });
    this.startLoop();
  }

  /** Resolves once the loop has stopped (after its final read-back, evaluation and autosave). */
  async pause(): Promise<void> {
    this.playing = false;
    this.stepsToRun = 0;
    await this.loop;
    this.loop = null;
  }

  /** Trains exactly `count` steps (at least one), then evaluates and stays paused. */
  step(count: number): void {
    if (!this.trainer || this.playing) return;
    this.stepsToRun += Math.max(1, Math.floor(count));
    this.startLoop();
  }

  /** Settings that need no new model (the settings table's `live` rows), applied from the next step on. */
  configure(config: TrainConfig): void {
    this.config = { ...config };
    this.trainer?.updateConfig(this.config);
  }

  /** A fresh model with `config` on the same data. */
  async reset(config: TrainConfig, runId: number): Promise<void> {
    const dataset = this.dataset;
    if (!dataset) throw new Error('no dataset loaded');
    const t = this.trainer;
    const previous =
      t && this.config ? { model: t.model, config: this.config, step: t.step } : null;
    await this.swapIn(freshRun(dataset, config, runId, previous));
  }

  /** A checkpoint (checkpoint.json + weights.bin) in place of the run; answered by `imported`. */
  async importCheckpoint(req: Req<'import'>): Promise<void> {
    const dataset = this.dataset;
    if (!dataset) return;
    await this.replaceRun(
      async () => checkpointRun(dataset, req),
      ({ meta: { config, step, epoch } }) =>
        this.post({ type: 'imported', id: req.id, config, step, epoch }),
      (why) => this.post({ type: 'imported', id: req.id, error: unchanged(req.fileName, why) }),
    );
  }

  /** A snapshot in place of the run (resume, file, rollback, recovery); answered by `restored`. */
  async restore(req: Req<'restore'>): Promise<void> {
    const dataset = this.dataset;
    await this.replaceRun(
      async () => {
        if (!dataset) throw new Error('the worker has not started yet');
        return restoredRun(dataset, req);
      },
      ({ meta: { config, step, epoch } }) =>
        this.post({ type: 'restored', id: req.id, config, step, epoch }),
      (why) => this.post({ type: 'restored', id: req.id, error: unchanged(req.fileName, why) }),
    );
  }

  /** A fresh model with the current settings on other data; answered by `dataset`. */
  async replaceDataset(req: Req<'dataset'>): Promise<void> {
    const config = this.config;
    await this.replaceRun(
      async () => {
        if (!config) throw new Error('the worker has not started yet');
        return runOnData(config, req);
      },
      ({ trainer, dataset, runId }) =>
        this.post({
          type: 'dataset',
          id: req.id,
          runId,
          dataset: datasetInfo(dataset),
          probeLabels: trainer.probeLabels.slice(),
          probeImages: trainer.probeImages.slice(),
        }),
      (why) => {
        const name = (req.dataset as { name?: unknown } | null)?.name;
        const what = typeof name === 'string' ? name : 'The data';
        this.post({ type: 'dataset', id: req.id, error: `${what} was not loaded: ${why}.` });
      },
    );
  }

  /** Autosave now (between steps if training): the page is being hidden. */
  async save(): Promise<void> {
    if (this.loop) this.autosaver.want();
    else if (this.trainer) await this.autosaver.safePoint(performance.now(), true, true);
  }

  /** The run as a snapshot (for export), answered by `snapshot` at the next safe point. */
  async snapshot(id: number): Promise<void> {
    const answer = this.autosaver.next().then(
      (snapshot) => this.post({ type: 'snapshot', id, snapshot }, snapshotBuffers(snapshot)),
      (err: Error) => this.post({ type: 'snapshot', id, error: err.message }),
    );
    if (!this.loop) {
      await this.autosaver.safePoint(performance.now(), false);
      await answer;
    } // else the training loop answers at its next safe point
  }

  /**
   * The model for PyTorch as a zip (src/train/export, loaded on first use; the Python templates
   * fetched from `templatesUrl`), answered by `pytorch`. The weights and the terms it reports
   * are taken together between two steps.
   */
  async exportPytorch(id: number, templatesUrl: string): Promise<void> {
    const { trainer, config, dataset } = this;
    const run = trainer && config && dataset ? { trainer, config, dataset } : null;
    await exportPytorch(run, id, templatesUrl, this.post);
  }

  /** A question about the current model, answered by `inspection`. */
  async inspect(req: Req<'inspect'>): Promise<void> {
    const trainer = this.trainer;
    if (!trainer) return;
    const id = req.id;
    try {
      const answer = await inspect(trainer, req.query, this.inference);
      this.post({ type: 'inspection', runId: this.runId, id, answer }, transferablesOf(answer));
    } catch (err) {
      this.post({ type: 'inspection', runId: this.runId, id, error: (err as Error).message });
    }
  }

  /** Stops training and releases every tensor of the run (the dataset's too). */
  async dispose(): Promise<void> {
    await this.pause();
    this.inference.dispose();
    this.trainer?.dispose();
    this.trainer = null;
    this.channel.port1.close();
    this.channel.port2.close();
  }

  /**
   * Builds a run with `build`; if that fails, `refuse` says why and the current run stays.
   * Otherwise the new run is swapped in and `announce` tells the page before anything else.
   */
  private async replaceRun<R extends NextRun>(
    build: () => Promise<R>,
    announce: (next: R) => void,
    refuse: (why: string) => void,
  ): Promise<void> {
    let next: R;
    try {
      next = await build();
    } catch (err) {
      refuse((err as Error).message);
      return;
    }
    await this.swapIn(next, () => announce(next));
  }

  /** The one way a new run comes in (see the top of this file). */
  private async swapIn(next: NextRun, announce?: () => void): Promise<void> {
    await this.pause();
    this.inference.dispose();
    this.trainer?.dispose();
    this.trainer = next.trainer;
    this.config = next.config;
    this.dataset = next.dataset;
    this.runId = next.runId;
    announce?.();
    this.post({ type: 'model', runId: this.runId, capabilities: capabilitiesOf(next.trainer) });
    for (const text of next.events ?? [])
      this.post({ type: 'event', runId: this.runId, step: next.trainer.step, text });
    this.pacing.flushed(performance.now());
    await this.evaluate(next.trainer);
    await this.autosaver.safePoint(performance.now(), true, true); // step 0, to roll back to
  }

  private startLoop(): void {
    if (!this.loop) this.loop = this.runLoop().finally(() => (this.loop = null));
  }

  private yieldToEvents(): Promise<void> {
    return new Promise((resolve) => {
      this.wakers.push(resolve);
      this.channel.port2.postMessage(null);
    });
  }

  private async runLoop(): Promise<void> {
    const t = this.trainer;
    const c = this.config;
    if (!t || !c) return;
    this.post({ type: 'running', running: true, playing: this.playing });
    this.meter.reset();
    this.meter.add(performance.now(), 0);
    let healthy = true;
    try {
      await t.prepare(); // the model's first-batch initialisation, read back asynchronously
      while (healthy && (this.playing || this.stepsToRun > 0)) {
        if (!this.playing) this.stepsToRun--;
        if (!t.fitsWithoutGradients) t.trainStep();
        else if (await t.fitStep()) {
          // Converged (PCA's one fit, Lloyd or EM at rest): nothing to train on for.
          this.playing = false;
          this.stepsToRun = 0;
        }
        const now = performance.now();
        if (this.pacing.readbackDue(now, t.pendingSteps)) {
          healthy = await this.flushMetrics(t, c);
          if (healthy) await this.autosaver.safePoint(now, true);
        }
        if (healthy) {
          for (const text of await t.maintain())
            this.post({ type: 'event', runId: this.runId, step: t.step, text });
        }
        if (healthy && this.playing && this.pacing.evalDue(now)) await this.evaluate(t);
        await this.yieldToEvents();
      }
      if (healthy) healthy = await this.flushMetrics(t, c);
      if (healthy) await this.evaluate(t);
      await this.autosaver.safePoint(performance.now(), healthy, true); // on pause and after steps
    } catch (err) {
      const message = `Training stopped: ${(err as Error).message}`;
      this.post({ type: 'error', fatal: false, message });
    } finally {
      this.playing = false;
      this.stepsToRun = 0;
      this.post({ type: 'running', running: false, playing: false });
    }
  }

  /** Reads the pending losses back and posts them; false (and paused) if the run diverged. */
  private async flushMetrics(t: Trainer, started: TrainConfig): Promise<boolean> {
    const c = this.config ?? started; // settings may have changed while the loop ran
    const metrics = await t.flush();
    const now = performance.now();
    this.pacing.flushed(now);
    if (!metrics) return true;
    this.meter.add(now, metrics.steps.length * t.imagesPerStep);
    this.post({
      type: 'metrics',
      runId: this.runId,
      metrics,
      step: t.step,
      epoch: t.epoch,
      imagesPerSecond: this.meter.rate(),
      schedule: t.scheduleValues(),
      memory: this.memory(),
      gemmThreads: parallelMatMulStats().twoThreadCalls > 0 ? 2 : 1,
    });
    const headline = Object.values(metrics.terms)[0] ?? [];
    const bad = headline.findIndex((v) => !Number.isFinite(v));
    if (bad < 0 && metrics.weightsFinite !== false) return true;
    this.playing = false;
    this.stepsToRun = 0;
    const cause = bad >= 0 ? 'loss' : 'weights';
    const step = bad >= 0 ? metrics.steps[bad]! : t.step;
    const schedule = t.model.scheduleValues(step);
    const message = explainDivergence(c, { step, cause, value: headline[bad], schedule });
    this.post({ type: 'diverged', runId: this.runId, step, cause, message });
    return false;
  }

  private async evaluate(t: Trainer): Promise<void> {
    const start = performance.now();
    const result = await t.evaluate();
    this.pacing.evaluated(start, performance.now());
    this.post({ type: 'eval', runId: this.runId, result }, [
      result.latent.buffer,
      result.reconstructions.buffer,
    ]);
  }
}
