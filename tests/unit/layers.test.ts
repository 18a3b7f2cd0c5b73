// The lint enforces the layers (eslint.config.js, README "How it is built"): an import that runs
// upward or sideways fails, one that runs downward passes.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: file });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('layer lint', () => {
  it.each([
    ['src/models/x.ts', "import { startBackend } from '../backends/setup';"],
    ['src/models/x.ts', "import { Trainer } from '../train/trainer';"],
    ['src/ops/x.ts', "import { fastestGemm } from '../backends/gemm/gemm-module';"],
    ['src/backends/x.ts', "import { gumbelSoftmax } from '../ops/gumbel';"],
    ['src/contracts/x.ts', "import { TrainingStore } from '../state/training-store';"],
    ['src/contracts/x.ts', "import * as tf from '@tensorflow/tfjs-core';"],
    ['src/core/x.ts', "import { TRAIN_DEFAULTS } from '../contracts/config';"],
    ['src/train/x.ts', "import { Session } from '../worker/session';"],
    ['src/worker/x.ts', "import { loadSettings } from '../state/settings';"],
    ['src/state/x.ts', "import { App } from '../ui/App';"],
    ['src/ui/x.ts', "import { Trainer } from '../train/trainer';"],
    ['src/ui/x.ts', "import * as tf from '@tensorflow/tfjs-core';"],
    ['src/ui/panels/x.ts', "import { vae } from '../../models/vae';"],
  ])('%s: refuses %s', async (file, source) => {
    expect(await layerErrors(file, source)).toHaveLength(1);
  });

  it.each([
    ['src/models/x.ts', "import { gumbelSoftmax } from '../ops/gumbel';"],
    ['src/train/inspect/x.ts', "import { makeModel } from '../../models/zoo';"],
    ['src/worker/x.ts', "import { startBackend } from '../backends/setup';"],
    ['src/ui/panels/x.ts', "import { MODEL_CATALOG } from '../../contracts/catalog';"],
    ['src/cli/x.ts', "import { Trainer } from '../train/trainer';"],
  ])('%s: allows %s', async (file, source) => {
    expect(await layerErrors(file, source)).toEqual([]);
  });
});
