// The course's lessons (src/ui/lessons/content/): each is well-formed against the contract
// (src/ui/lessons/lesson.ts), its TeX parses, its live formulas read the run's numbers, and each
// step's condition is false when the learner arrives and true once they did the task. The
// learner is walked through every lesson in order with the real run reducer
// (src/state/training-store.ts), so a step arrives in the state the previous steps left.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import type { ModelKind } from '../../src/contracts/catalog';
import { PANEL_IDS, type PanelId } from '../../src/contracts/panels';
import { SETTING_KEYS } from '../../src/contracts/settings';
import { defaultSettings, parseSettings, settingsToHash } from '../../src/state/settings';
import { initialState } from '../../src/state/training-store';
import { testIdOf } from '../../src/ui/controls/ModelOptions';
import type { Lesson, LessonContext, LessonStep } from '../../src/ui/lessons/lesson';
import {
  all,
  arrive,
  hostView,
  loadPretrained,
  opening,
  presetSettings,
  reset,
  set,
  signal,
  train,
  type Act,
} from './lesson-learner';
import aeVsPca from '../../src/ui/lessons/content/ae-vs-pca';
import betaCollapse from '../../src/ui/lessons/content/beta-collapse';
import emKmeans from '../../src/ui/lessons/content/em-kmeans';
import conditionalVae from '../../src/ui/lessons/content/conditional-vae';
import gumbelDvae from '../../src/ui/lessons/content/gumbel-dvae';
import tokensPriors from '../../src/ui/lessons/content/tokens-priors';
import inferenceRestoration from '../../src/ui/lessons/content/inference-restoration';
import interpolation from '../../src/ui/lessons/content/interpolation';
import glo from '../../src/ui/lessons/content/glo';
import latentModels from '../../src/ui/lessons/content/latent-models';
import vaeElbo from '../../src/ui/lessons/content/vae-elbo';
import vqVae from '../../src/ui/lessons/content/vq-vae';

const CONTENT = join(import.meta.dirname, '../../src/ui/lessons/content');
/** Files in content/ that are not lessons. */
const NOT_LESSONS = new Set(['kit.ts']);

/** The course in order, by file name. */
const LESSONS: [file: string, lesson: Lesson][] = [
  ['latent-models.ts', latentModels],
  ['glo.ts', glo],
  ['inference-restoration.ts', inferenceRestoration],
  ['ae-vs-pca.ts', aeVsPca],
  ['vae-elbo.ts', vaeElbo],
  ['interpolation.ts', interpolation],
  ['conditional-vae.ts', conditionalVae],
  ['beta-collapse.ts', betaCollapse],
  ['em-kmeans.ts', emKmeans],
  ['vq-vae.ts', vqVae],
  ['gumbel-dvae.ts', gumbelDvae],
  ['tokens-priors.ts', tokensPriors],
];

/** The shipped checkpoints and their models (the pretrained manifest's ids). */
const PRETRAINED: Record<string, ModelKind> = {
  'vae-2d': 'vae',
  'vae-20d': 'vae',
  'ae-2d': 'ae',
  vqvae: 'vqvae',
  dvae: 'dvae',
  catvae: 'catvae',
  prior: 'prior',
};

// ---- What the page offers to highlight: panel ids and the data-testids in src ----

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : /\.tsx?$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

/** data-testid="…" and testId="…" literals, the settings' fields and the panels' fold toggles. */
function pageTestIds(): Set<string> {
  const ids = new Set<string>();
  for (const file of sourceFiles(join(import.meta.dirname, '../../src/ui'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:data-testid|testId)="([^"]+)"/g)) ids.add(m[1]!);
  }
  for (const key of SETTING_KEYS) ids.add(testIdOf(key));
  for (const id of PANEL_IDS) ids.add(`panel-toggle-${id}`);
  return ids;
}

/**
 * Per step: what the learner does (`act`, which must tick the step), and for compound tasks what
 * falls short (`short`, each of which must not); null for a reading step.
 */
type Walk = ({ act: Act; short?: Act[] } | null)[];

const WALKS: Record<string, Walk> = {
  'latent-models': [
    { act: loadPretrained, short: [train(10)] },
    null,
    { act: signal('latent-clicked'), short: [signal('drew-digit')] },
    { act: signal('drew-digit'), short: [signal('latent-clicked')] },
    { act: signal('samples-refreshed'), short: [train(100)] },
    { act: signal('latent-clicked'), short: [signal('samples-refreshed')] },
  ],
  'inference-restoration': [
    { act: loadPretrained, short: [train(10)] },
    { act: signal('inference-run'), short: [signal('restoration-run')] },
    null,
    { act: signal('restoration-run'), short: [signal('inference-run')] },
    {
      act: all(signal('drew-digit'), signal('restoration-run')),
      short: [signal('drew-digit'), signal('restoration-run')],
    },
    { act: signal('edit-slider-moved'), short: [signal('edit-groups-changed')] },
    { act: signal('edit-groups-changed'), short: [signal('edit-slider-moved')] },
  ],
  glo: [
    { act: train(200), short: [train(100)] },
    null,
    { act: signal('drew-digit'), short: [signal('latent-clicked')] },
    { act: set({ inferSteps: 200 }), short: [train(100), set({ inferSteps: 20 })] },
    { act: signal('samples-refreshed'), short: [train(100)] },
    null,
  ],
  'ae-vs-pca': [
    { act: train(1), short: [set({ latentDim: 4 })] },
    null,
    {
      act: all(set({ model: 'ae' }), train(300)),
      short: [set({ model: 'ae' }), train(300), all(set({ model: 'ae' }), train(100))],
    },
    { act: train(1000), short: [train(500)] },
    null,
    {
      act: all(set({ latentDim: 8 }), train(300)),
      short: [set({ latentDim: 8 }), train(500), all(set({ latentDim: 4 }), train(400))],
    },
  ],
  'vae-elbo': [
    { act: train(60), short: [train(20)] },
    { act: signal('step-pressed', 5), short: [signal('step-pressed', 4), train(5)] },
    null,
    null,
    { act: signal('latent-clicked'), short: [signal('manifold-grid-changed')] },
    { act: signal('manifold-grid-changed'), short: [signal('latent-clicked')] },
    { act: signal('drew-digit'), short: [signal('latent-clicked')] },
  ],
  interpolation: [
    { act: loadPretrained, short: [train(10)] },
    { act: signal('interp-endpoints-changed'), short: [signal('traversal-dim-changed')] },
    null,
    { act: signal('interp-endpoints-changed'), short: [signal('samples-refreshed')] },
    null,
    { act: signal('traversal-dim-changed'), short: [signal('interp-endpoints-changed')] },
    { act: signal('samples-refreshed'), short: [signal('traversal-dim-changed')] },
  ],
  'conditional-vae': [
    { act: train(300), short: [train(100)] },
    { act: signal('class-chosen'), short: [signal('style-digit-chosen'), train(100)] },
    { act: signal('style-digit-chosen'), short: [signal('class-chosen')] },
    null,
    {
      act: all(set({ model: 'vae' }), train(300)),
      short: [set({ model: 'vae' }), train(400)],
    },
  ],
  'beta-collapse': [
    { act: loadPretrained, short: [train(10)] },
    {
      act: all(set({ beta: 4 }), train(300)),
      short: [set({ beta: 4 }), train(400), all(set({ beta: 2 }), train(400))],
    },
    null,
    {
      act: all(set({ warmup: 'linear' }), reset, train(300)),
      // Without a reset the run keeps the weight it had: no ramp is seen.
      short: [
        set({ warmup: 'linear' }),
        all(set({ warmup: 'linear' }), train(500)),
        all(reset, train(500)),
      ],
    },
    {
      act: all(set({ freeBits: 0.5 }), train(300)),
      short: [set({ freeBits: 0.5 }), train(400)],
    },
    {
      act: all(set({ beta: 1, freeBits: 0 }), train(300)),
      short: [all(set({ beta: 1 }), train(400)), set({ beta: 1, freeBits: 0 })],
    },
  ],
  'em-kmeans': [
    { act: train(3), short: [train(2)] },
    {
      act: all(set({ clusters: 50 }), train(3)),
      short: [set({ clusters: 50 }), train(5), all(set({ clusters: 20 }), train(5))],
    },
    { act: signal('samples-refreshed'), short: [train(5)] },
    {
      act: all(set({ model: 'mixture' }), train(3)),
      short: [set({ model: 'mixture' }), train(5)],
    },
    { act: signal('step-pressed'), short: [train(5)] },
    { act: signal('em-digit-picked'), short: [signal('samples-refreshed')] },
    null,
  ],
  'vq-vae': [
    { act: loadPretrained, short: [train(10)] },
    null,
    null,
    {
      act: all(set({ commitment: 1 }), train(200)),
      short: [set({ commitment: 1 }), train(300), all(set({ commitment: 0.1 }), train(300))],
    },
    {
      act: all(set({ kmeansInit: false, deadCodeThreshold: 0 }), train(500)),
      short: [
        all(set({ kmeansInit: false }), train(600)),
        all(set({ deadCodeThreshold: 0 }), train(600)),
        set({ kmeansInit: false, deadCodeThreshold: 0 }),
      ],
    },
    {
      act: all(set({ ema: true, deadCodeThreshold: 1 }), train(500)),
      short: [
        // The collapsed run of the step before has trained long enough: EMA needs a new one.
        set({ ema: true, deadCodeThreshold: 1 }),
        all(set({ deadCodeThreshold: 1 }), train(600)),
        all(set({ ema: true }), train(600)),
      ],
    },
    { act: signal('samples-refreshed'), short: [train(100)] },
  ],
  'gumbel-dvae': [
    { act: train(100), short: [train(10)] },
    { act: signal('tau-slider-moved', 3), short: [signal('samples-refreshed')] },
    { act: set({ tauSchedule: 'exp' }), short: [set({ tauEnd: 0.1 }), train(100)] },
    { act: all(set({ hard: true }), train(200)), short: [set({ hard: true }), train(300)] },
    null,
    {
      act: all(set({ model: 'catvae' }), train(200)),
      short: [set({ model: 'catvae' }), train(300)],
    },
  ],
  'tokens-priors': [
    null,
    { act: train(200), short: [train(100)] },
    { act: signal('prior-generated'), short: [signal('prior-class-chosen'), train(100)] },
    { act: signal('prior-class-chosen'), short: [signal('prior-generated')] },
    { act: signal('prior-attention-moved'), short: [signal('prior-class-chosen')] },
    null,
  ],
};

/** The step's condition, which must read the same on the raw context and on the host's view. */
function holds(step: LessonStep, ctx: LessonContext): boolean {
  const raw = step.done!(ctx);
  expect(step.done!(hostView(ctx)), `${step.title}: the host's view agrees`).toBe(raw);
  return raw;
}

// ---- TeX ----

/** The `$$…$$` and `$…$` segments of a step's text, and the text with them removed. */
function texSegments(text: string): { tex: string; display: boolean }[] {
  const out: { tex: string; display: boolean }[] = [];
  const rest = text.replace(/\$\$([\s\S]+?)\$\$|\$([^$]+?)\$/g, (_, display, inline) => {
    out.push(
      display !== undefined ? { tex: display, display: true } : { tex: inline, display: false },
    );
    return '';
  });
  expect(rest, `an unmatched $ in: ${text}`).not.toContain('$');
  return out;
}

function parsesAsTex(tex: string, displayMode = true): void {
  expect(() =>
    katex.renderToString(tex, { throwOnError: true, strict: 'error', displayMode }),
  ).not.toThrow();
}

// ---- The tests ----

describe('the course files', () => {
  it('lists every lesson file of content/ once, in course order', () => {
    const files = readdirSync(CONTENT).filter((f) => f.endsWith('.ts') && !NOT_LESSONS.has(f));
    expect(files.sort()).toEqual(LESSONS.map(([f]) => f).sort());
    expect(LESSONS.map(([, l]) => l.id)).toEqual([
      'latent-models',
      'glo',
      'inference-restoration',
      'ae-vs-pca',
      'vae-elbo',
      'interpolation',
      'conditional-vae',
      'beta-collapse',
      'em-kmeans',
      'vq-vae',
      'gumbel-dvae',
      'tokens-priors',
    ]);
  });
});

const TEST_IDS = pageTestIds();

describe.each(LESSONS)('lesson %s', (file, lesson) => {
  it('is named by its file and says what it promises', () => {
    expect(`${lesson.id}.ts`).toBe(file);
    expect(lesson.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(lesson.title.length).toBeGreaterThan(0);
    expect(lesson.promise.length).toBeGreaterThan(10);
    expect(lesson.steps.length).toBeGreaterThanOrEqual(4);
    expect(lesson.steps.length).toBeLessThanOrEqual(8);
  });

  it('has a preset that a link reads back unchanged, and a shipped checkpoint of its model', () => {
    const known = new Set(Object.keys(defaultSettings()));
    for (const key of Object.keys(lesson.preset)) expect(known, key).toContain(key);
    const settings = presetSettings(lesson);
    const { settings: read, notices } = parseSettings(settingsToHash(settings));
    expect(notices).toEqual([]);
    expect(read).toEqual(settings);
    if (lesson.pretrained !== undefined) {
      expect(Object.keys(PRETRAINED)).toContain(lesson.pretrained);
      expect(PRETRAINED[lesson.pretrained]).toBe(settings.model);
    }
  });

  it('opens known panels, and highlights a panel the step shows or an element of the page', () => {
    const ids = PANEL_IDS as readonly string[];
    expect(lesson.panels.length).toBeGreaterThan(0);
    expect(new Set(lesson.panels).size).toBe(lesson.panels.length);
    for (const p of lesson.panels) expect(ids).toContain(p);
    for (const step of lesson.steps) {
      for (const p of step.panels ?? []) expect(lesson.panels).toContain(p);
      if (step.highlight === undefined) continue;
      if (ids.includes(step.highlight))
        expect(step.panels ?? lesson.panels).toContain(step.highlight as PanelId);
      else expect(TEST_IDS, `highlight ${step.highlight}`).toContain(step.highlight);
    }
  });

  it('has short steps whose TeX parses, and most ask the learner to act', () => {
    for (const step of lesson.steps) {
      expect(step.title.length).toBeGreaterThan(0);
      expect(step.text.split(/\n\s*\n/).length).toBeLessThanOrEqual(3);
      for (const { tex, display } of texSegments(step.text)) parsesAsTex(tex, display);
      expect(step.done === undefined, `task and done go together: ${step.title}`).toBe(
        step.task === undefined,
      );
    }
    const acting = lesson.steps.filter((s) => s.done).length;
    expect(acting * 2).toBeGreaterThan(lesson.steps.length);
  });

  it('shows live numbers only once the run has them, as TeX that parses', () => {
    const settings = presetSettings(lesson);
    const empty: LessonContext = {
      settings,
      run: initialState(),
      atStart: { settings, step: 0 },
      signals: {},
    };
    const evaluated = train(100)(opening(lesson));
    let lives = 0;
    for (const step of lesson.steps) {
      if (!step.live) continue;
      lives++;
      expect(step.live(empty), step.title).toBeNull();
      const tex = step.live(evaluated);
      expect(typeof tex, step.title).toBe('string');
      parsesAsTex(tex!);
      expect(tex).toMatch(/\d/);
    }
    expect(lives).toBeGreaterThan(0);
  });

  it('ticks each step off when the learner has done its task, and not before', () => {
    const walk = WALKS[lesson.id]!;
    expect(walk.length).toBe(lesson.steps.length);
    let ctx = opening(lesson);
    lesson.steps.forEach((step, i) => {
      const plan = walk[i]!;
      const where = `step ${i + 1} (${step.title})`;
      expect(step.done === undefined, where).toBe(plan === null);
      ctx = arrive(ctx);
      if (!step.done || !plan) return;
      expect(holds(step, ctx), `${where} on arrival`).toBe(false);
      for (const [k, short] of (plan.short ?? []).entries())
        expect(holds(step, short(ctx)), `${where} after falling short #${k + 1}`).toBe(false);
      ctx = plan.act(ctx);
      expect(holds(step, ctx), `${where} once done`).toBe(true);
    });
  });
});
