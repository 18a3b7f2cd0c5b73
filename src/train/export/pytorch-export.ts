/**
 * "Export for PyTorch": a model of the zoo as files a PyTorch user runs as they are —
 *   model.safetensors   the weights, named by the PyTorch module's parameters, in its layouts
 *   model.py            a torch.nn.Module of the same architecture and loss (public/pytorch/*.py
 *                       with the run's settings filled in); `python3 model.py` prints the terms
 *   train.py            continues training on MNIST
 *   probes.safetensors  the lab's fixed probe digits (x [N,P]: grey levels 0…255 as U8 when
 *                       x·255 gives them back exactly, else floats in [0, 1]; labels [N]; for a
 *                       model without an encoder, codes [N,d]: the codes the lab decoded)
 *   export.json         the settings, the step and the lab's probe terms (noise fixed)
 *   README.md           what these are, the commands and the numbers to reproduce
 * The lab writes them as a zip (the worker), the CLI as a folder (--export-pytorch DIR).
 */
import * as tf from '@tensorflow/tfjs-core';
import { MODEL_CATALOG } from '../../contracts/catalog';
import type { TrainConfig } from '../../contracts/config';
import type { LatentModel } from '../../models/latent-model';
import { fixedNoiseSums } from '../fixed-noise';
import { PYTORCH_EXPORTS } from './entries';
import { toTorchLayout } from './layouts';
import { exportReadme } from './readme';
import { encodeSafetensors, type NamedArray } from './safetensors';

export interface ExportFile {
  path: string;
  data: Uint8Array;
}

export interface PytorchExportInput {
  model: LatentModel;
  config: TrainConfig;
  step: number;
  epoch: number;
  /** The run's dataset; `train.count`: the images it trained on (GLO: one code each). */
  dataset: { id: string; height: number; width: number; train: { count: number } };
  /** The probe digits the lab reports on.   [N, P] */
  probeX: tf.Tensor2D;
  probeLabels: Uint8Array;
  /** Reads a Python template of public/pytorch/ (the worker fetches it, the CLI reads a file). */
  templates: (file: string) => Promise<string>;
}

/** What export.json holds (and the test reads). */
export interface ExportSummary {
  format: 'latent-lab-pytorch-export';
  version: 1;
  model: string;
  description: string;
  step: number;
  epoch: number;
  dataset: string;
  config: TrainConfig;
  probeCount: number;
  /** K: the label classes of a conditional model's one-hot (CVAE); absent for the others. */
  labelClasses?: number;
  /** Mean terms over the probe digits with the noise fixed, nats per image. */
  probeTerms: Record<string, number>;
}

/**
 * The export's files. The weights and the terms are taken in one go before any read-back, so
 * they belong together even when training goes on meanwhile.
 */
export async function buildPytorchExport(input: PytorchExportInput): Promise<ExportFile[]> {
  const { model, config, step } = input;
  const info = MODEL_CATALOG[config.model];
  const entry = PYTORCH_EXPORTS[config.model];
  if (!entry) throw new Error(`the PyTorch export does not cover the ${info.label} yet`);
  const saved = model.savedVariables ?? model.variables;
  const names = entry.weights(config);
  if (names.length !== saved.length)
    throw new Error(`${info.label}: ${saved.length} weights, the export names ${names.length}`);
  const stateVars = model.stateVariables ?? [];
  const stateNames = entry.state?.(config) ?? stateVars.map(() => null);
  if (stateNames.length !== stateVars.length)
    throw new Error(
      `${info.label}: ${stateVars.length} state tensors, the export names ${stateNames.length}`,
    );
  const [common, main, train, modelClass, readme] = await Promise.all(
    ['common.py', 'main.py', 'train.py', entry.python, 'README.md'].map(input.templates),
  );
  const pairs = [
    ...names.flatMap((n, i) => (n ? [{ entry: n, variable: saved[i]! }] : [])),
    ...stateNames.flatMap((n, i) => (n ? [{ entry: n, variable: stateVars[i]! }] : [])),
  ];
  // Copies of the weights (a later assign gives a variable new data, not these), the probe
  // digits' codes where the model has no encoder, and the terms (decoded from those codes).
  const copies = tf.tidy(() => pairs.map((p) => tf.clone(p.variable)));
  const codes = entry.probeCodes?.(model, input.probeX);
  const [N, P] = input.probeX.shape;
  // A conditional model reads each probe digit's own label (int32 [N]).
  const labelClasses = model.labelClasses;
  const labels = labelClasses
    ? tf.tensor1d(Int32Array.from(input.probeLabels.subarray(0, N)), 'int32')
    : undefined;
  const terms = fixedNoiseSums(model, input.probeX, step, { codes, labels });
  labels?.dispose();
  const [values, probeTerms, probeData, codeData] = await Promise.all([
    Promise.all(copies.map((t) => t.data<'float32'>())).finally(() => tf.dispose(copies)),
    terms.read(),
    input.probeX.data<'float32'>(),
    codes?.data<'float32'>().finally(() => codes.dispose()),
  ]);
  const weights: NamedArray[] = pairs.map((p, i) => {
    const t = toTorchLayout(values[i]!, p.variable.shape, p.entry.layout);
    return { name: p.entry.name, shape: t.shape, data: t.data };
  });
  const ordered = Object.fromEntries(info.terms.map((t) => [t.key, probeTerms[t.key]!]));
  const summary: ExportSummary = {
    format: 'latent-lab-pytorch-export',
    version: 1,
    model: config.model,
    description: info.describe(config),
    step,
    epoch: input.epoch,
    dataset: input.dataset.id,
    config,
    probeCount: N,
    ...(labelClasses ? { labelClasses } : {}),
    probeTerms: ordered,
  };
  const pyConfig = {
    ...config,
    pixels: P,
    height: input.dataset.height,
    width: input.dataset.width,
    trainCount: input.dataset.train.count,
    ...(labelClasses ? { labelClasses } : {}),
    step,
    dataset: input.dataset.id,
  };
  const text = (s: string) => new TextEncoder().encode(s);
  return [
    {
      path: 'model.safetensors',
      data: encodeSafetensors(weights, { format: 'pt', model: config.model, step: String(step) }),
    },
    {
      path: 'probes.safetensors',
      data: encodeSafetensors(
        [
          { name: 'x', shape: [N, P], data: asGreyLevels(probeData) ?? probeData },
          { name: 'labels', shape: [N], data: input.probeLabels.slice(0, N) },
          ...(codes && codeData ? [{ name: 'codes', shape: codes.shape, data: codeData }] : []),
        ],
        { dataset: input.dataset.id },
      ),
    },
    { path: 'model.py', data: text(modelPy(summary, pyConfig, common!, modelClass!, main!)) },
    { path: 'train.py', data: text(train!) },
    { path: 'export.json', data: text(JSON.stringify(summary, null, 2) + '\n') },
    { path: 'README.md', data: text(exportReadme(readme!, summary)) },
  ];
}

/** model.py: a docstring, the shared pieces, the settings, the model's class and the CLI. */
function modelPy(
  s: ExportSummary,
  pyConfig: object,
  commonPy: string,
  modelClass: string,
  mainPy: string,
): string {
  const json = JSON.stringify(pyConfig, null, 2);
  if (json.includes('"""')) throw new Error('the settings cannot be written into model.py');
  return [
    `"""${s.description}, step ${s.step}: exported from Latent Lab for PyTorch.`,
    '',
    '  python3 model.py           loss terms on the probe digits, noise fixed (one JSON line)',
    "  python3 model.py --check   the same, compared with the lab's numbers in export.json",
    '',
    'Use it from Python: `from model import build_model; m = build_model()`; m.terms(x) gives',
    'the per-image terms in nats for pixels x [B, P] in [0, 1], m.loss(x, step, generator) the',
    'training objective. See README.md.',
    '"""',
    commonPy.trimEnd(),
    '',
    "# The run's settings (the lab's TrainConfig), its pixels per image and its step.",
    `CONFIG = json.loads(r"""${json}""")`,
    '',
    '',
    modelClass.trimEnd(),
    '',
    '',
    mainPy.trimEnd(),
    '',
  ].join('\n');
}

/** Pixels x as grey levels round(255·x) when x = level/255 exactly for all (else null).  */
export function asGreyLevels(x: Float32Array): Uint8Array | null {
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const level = Math.round(x[i]! * 255);
    if (!(level >= 0 && level <= 255) || Math.fround(level / 255) !== x[i]) return null;
    out[i] = level;
  }
  return out;
}
