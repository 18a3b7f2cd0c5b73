/**
 * The worker's inference jobs (the `infer` inspect question): each holds one digit's code and
 * Adam's state between the page's requests, so the page streams batches of steps (ask, draw,
 * ask again) while training and other questions go on in between. Jobs belong to one trainer:
 * the session disposes them all when the run is replaced, and a job asked of another trainer
 * starts again.
 */
import * as tf from '@tensorflow/tfjs-core';
import { visibleCount, visibleMask } from '../../core/digit-masks';
import { projectPca, type Pca } from '../../core/pca';
import type { InferSpec, InspectAnswer, InspectQuery } from '../../contracts/inspect';
import type { Trainer } from '../trainer';
import {
  checkFinite,
  checkInt,
  digitBatch,
  imageBatch,
  readAndDispose,
  resolvePlane,
} from '../inspect/io';
import { codeSpaceOf } from './code-space';
import { InferenceRun, lossUnit, maskedLoss } from './inference';

type InferAnswer = Extract<InspectAnswer, { kind: 'infer' }>;
type InferQuery = Extract<InspectQuery, { kind: 'infer' }>;

/** Most steps per request, and in one job. */
export const INFER_LIMITS = { batch: 200, total: 20_000 };
/** Jobs kept at once (one per open panel is the usual case); the oldest goes first. */
const MAX_JOBS = 4;

interface Job {
  trainer: Trainer;
  run: InferenceRun;
  x: tf.Tensor2D; // [1, P] the original digit
  mask: tf.Tensor2D; // [1, P] 1 = visible
  erased: number;
  unit: string;
  plane: { pca: Pca | null; axes: string } | null;
  encoder: InferAnswer['encoder'];
  input: Float32Array;
  original: Float32Array;
}

export class InferenceJobs {
  private readonly jobs = new Map<number, Job>();

  async run(trainer: Trainer, q: InferQuery): Promise<InferAnswer> {
    const steps = checkInt('steps', q.steps, 0, INFER_LIMITS.batch);
    let job = this.jobs.get(q.job);
    if (!job || q.restart || job.trainer !== trainer) {
      this.drop(q.job);
      job = await createJob(trainer, q.spec);
      this.jobs.set(q.job, job);
      while (this.jobs.size > MAX_JOBS) this.drop(this.jobs.keys().next().value!);
    }
    if (job.run.step + steps > INFER_LIMITS.total)
      throw new Error(`an inference stops after ${INFER_LIMITS.total} steps; start it again`);
    return answer(job, q.job, steps);
  }

  private drop(id: number): void {
    const job = this.jobs.get(id);
    if (!job) return;
    job.run.dispose();
    tf.dispose([job.x, job.mask]);
    this.jobs.delete(id);
  }

  dispose(): void {
    for (const id of [...this.jobs.keys()]) this.drop(id);
  }
}

function checkSpec(spec: InferSpec): void {
  checkFinite('learning rate', spec.learningRate);
  if (spec.learningRate <= 0 || spec.learningRate > 10)
    throw new Error(`the learning rate must be in (0, 10] (got ${spec.learningRate})`);
}

async function createJob(trainer: Trainer, spec: InferSpec): Promise<Job> {
  checkSpec(spec);
  const space = codeSpaceOf(trainer.model, spec.relax);
  if (!space) throw new Error('inference by optimisation needs a model with a decoder to invert');
  const { height: H, width: W } = trainer;
  const P = H * W;
  const m = visibleMask(spec.mask, H, W);
  const visible = visibleCount(m);
  if (visible === 0) throw new Error('the mask erases every pixel: nothing is left to fit');
  const x = digitBatch(trainer, [spec.digit]);
  const mask = tf.tensor2d(m, [1, P]);
  const run = new InferenceRun(space, x, mask, spec);
  let plane: Job['plane'] = null;
  if (space.info.kind === 'continuous') {
    const L = space.info.size;
    plane =
      L === 2
        ? { pca: null, axes: 'z₁, z₂' }
        : { pca: await resolvePlane(trainer, L), axes: 'PC 1, PC 2' };
  }
  let encoder: Job['encoder'] = null;
  if (space.encode) {
    const encode = space.encode;
    const code = encode(x);
    const [z, lossT, image] = tf.tidy(() => {
      const shown = space.discrete ? space.discrete(code) : space.decode(code);
      return [code, maskedLoss(shown, x, mask, spec.loss), shown];
    });
    const zs = await readAndDispose(z);
    const loss = (await readAndDispose(lossT))[0]!;
    encoder = {
      point: plane ? toPlane(plane.pca, zs, 1) : null,
      loss,
      image: imageBatch(trainer, await readAndDispose(image)),
    };
  }
  const input = tf.mul(x, mask);
  return {
    trainer,
    run,
    x,
    mask,
    erased: P - visible,
    unit: lossUnit(spec.loss, visible, P),
    plane,
    encoder,
    input: await readAndDispose(input),
    original: await readAndDispose(tf.clone(x)),
  };
}

/** Row-major codes [n, L] → plane points [n, 2] (identity for a 2-D latent). */
function toPlane(pca: Pca | null, z: Float32Array, n: number): [number, number] {
  const p = pca ? projectPca(pca, z, n, z.length / n) : z;
  return [p[0]!, p[1]!];
}

async function answer(job: Job, id: number, steps: number): Promise<InferAnswer> {
  const { run, trainer } = job;
  const firstStep = run.step;
  const space = run.space;
  // A batch of zero steps only looks: the loss at the current z.
  const { losses, path } =
    steps > 0
      ? run.steps(steps, job.plane !== null)
      : { losses: run.loss(), path: job.plane ? (tf.expandDims(run.z, 0) as tf.Tensor3D) : null };
  const recon = space.decode(run.z);
  const discrete = space.discrete ? space.discrete(run.z) : null;
  const erasedError = tf.tidy(() =>
    tf.sum(tf.mul(tf.sub(1, job.mask), tf.squaredDifference(recon, job.x))),
  );

  const lossValues = await readAndDispose(losses);
  let planePath: Float32Array | null = null;
  if (path && job.plane) {
    const n = path.shape[0];
    const z = await readAndDispose(path);
    planePath = job.plane.pca ? projectPca(job.plane.pca, z, n, z.length / n) : z;
  }
  const [reconPixels, discretePixels, err] = await Promise.all([
    readAndDispose(recon),
    discrete ? readAndDispose(discrete) : Promise.resolve(null),
    readAndDispose(erasedError),
  ]);
  return {
    kind: 'infer',
    job: id,
    step: run.step,
    losses: lossValues,
    firstStep,
    unit: job.unit,
    path: planePath,
    axes: job.plane?.axes ?? null,
    encoder: job.encoder, // copied by the message, not moved
    input: imageBatch(trainer, job.input.slice()),
    original: imageBatch(trainer, job.original.slice()),
    reconstruction: imageBatch(trainer, reconPixels),
    discrete: discretePixels ? imageBatch(trainer, discretePixels) : null,
    discreteLabel: space.discreteLabel,
    erasedError: job.erased > 0 ? err[0]! : null,
  };
}
