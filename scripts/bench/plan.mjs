// Names, orders and round plans of `npm run bench` (plain data, shared by the driver and the test).

/** Backends in the order the table lists them. */
export const BENCH_BACKENDS = ['wasm', 'webgl', 'webgpu', 'cpu'];
/** Mirrors BENCH_MODEL_IDS in src/bench/models.ts. */
export const BENCH_MODELS = ['mlp-vae', 'conv-vae', 'vq-vae', 'dvae', 'prior'];
/** Models whose step takes about as long as a conv model's (the prior: a transformer on 6,272 tokens). */
const HEAVY = new Set(['conv-vae', 'vq-vae', 'dvae', 'prior']);

/**
 * Tokens per training image of a sequence model, for its tokens/s: the prior reads an image as
 * the 49 codes of its 7×7 grid (the class token is input only: 49 predictions per sequence).
 */
export const TOKENS_PER_IMAGE = { prior: 49 };

/**
 * The pure-JS cpu backend times the MLP and one conv model: a conv step takes ~40 s there the
 * stock way (~1 s with our kernels, src/backends/cpu/cpu-kernels.ts), so the other conv models would add
 * minutes each and show nothing new. The prior runs on wasm only (and in Node): before its first
 * step the frozen VQ-VAE encodes (ours also decodes) all 60,000 training images, tens of seconds
 * on wasm; at the conv models' rates on SwiftShader's WebGL and WebGPU (~40 img/s training) that
 * is an estimated 10 minutes or more per way, near the 15-minute limit of a measurement.
 */
export function modelsFor(backend, models) {
  if (backend === 'cpu') return models.filter((m) => m === 'mlp-vae' || m === 'conv-vae');
  return backend === 'wasm' ? models : models.filter((m) => m !== 'prior');
}

/** Backends that run on SwiftShader here (a CPU emulating a GPU): minutes per conv step. */
const SOFTWARE_GPU = new Set(['webgl', 'webgpu']);

/**
 * How many steps one measurement runs (measureTrainingRate's RateOptions): the first step (with
 * shader compilation, XNNPACK set-up, k-means), `warmupRounds` untimed rounds, then up to
 * `rounds` timed rounds of `stepsPerRound` steps, cut short once the timed rounds pass
 * `maxSeconds`. Conv models take seconds per step on wasm, tens of seconds on SwiftShader's WebGL
 * and WebGPU (its first step already compiles every shader) and on the stock cpu backend: fewer
 * steps there.
 */
export function planFor({ quick, backend, model }) {
  const conv = HEAVY.has(model);
  if (quick) {
    return conv
      ? { warmupRounds: 0, rounds: 1, stepsPerRound: 1, maxSeconds: 5 }
      : { warmupRounds: 1, rounds: 3, stepsPerRound: 3, maxSeconds: 5 };
  }
  if (conv && SOFTWARE_GPU.has(backend))
    return { warmupRounds: 0, rounds: 2, stepsPerRound: 1, maxSeconds: 30 };
  // The stock cpu conv step: ~40 s (first step plus one timed step, ~1.5 min a row).
  if (conv && backend === 'cpu')
    return { warmupRounds: 0, rounds: 1, stepsPerRound: 1, maxSeconds: 5 };
  if (backend === 'webgpu' || backend === 'cpu')
    return { warmupRounds: 1, rounds: 3, stepsPerRound: 3, maxSeconds: 20 };
  // Conv models warm up for 6 steps: on wasm our route's 'auto' times one thread against two on
  // each convolution's first jobs, and the engine optimises the code between kernels, over the
  // first ~6 steps (measured: those steps 20–40 % slower than the ones after).
  return conv
    ? { warmupRounds: 3, rounds: 5, stepsPerRound: 2, maxSeconds: 20 }
    : { warmupRounds: 2, rounds: 7, stepsPerRound: 10, maxSeconds: 20 };
}

/**
 * Wall-clock limit of one measurement (one way, one model, one backend), in seconds. The prior's
 * includes encoding the training set before its first step (~1 min on an idle 2-core machine,
 * 5 min on a loaded one): 15 minutes even when quick.
 */
export function limitFor({ quick, model }) {
  return quick && model !== 'prior' ? 300 : 900;
}

/**
 * Ours on wasm (browser and Node): how many steps run after the timed rounds under the kernel
 * profiler, for the line per model on where a step's time goes. Untimed for the rate; the
 * timers cost a little on each of a step's few hundred kernel calls.
 */
export function profileStepsFor({ quick, model }) {
  if (HEAVY.has(model)) return quick ? 1 : 4;
  return quick ? 3 : 20;
}
