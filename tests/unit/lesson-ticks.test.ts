// When a lesson step ticks off: conditions read the settings and run now, the settings and run
// step on arrival, and the signals since; a reading step holds once seen; a condition that
// throws does not hold. And what opening a lesson does to the settings.
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/state/settings';
import { initialState, type TrainingState } from '../../src/state/training-store';
import { closedExcept, lessonSettings, runActionFor } from '../../src/ui/lessons/apply';
import type { Lesson, LessonStep } from '../../src/ui/lessons/lesson';
import {
  arrive,
  contextOf,
  countSignal,
  liveTex,
  stepHolds,
  stepIndexOf,
} from '../../src/ui/lessons/ticks';

const run = (step: number): TrainingState => ({ ...initialState(), step });

const raiseBeta: LessonStep = {
  title: 'Raise β',
  text: '',
  done: (ctx) => ctx.settings.beta > ctx.atStart.settings.beta,
};
const fiveSteps: LessonStep = {
  title: 'Step',
  text: '',
  done: (ctx) => (ctx.signals['step-pressed'] ?? 0) >= 5,
};
const trained50: LessonStep = {
  title: 'Train',
  text: '',
  done: (ctx) => ctx.run.step >= ctx.atStart.step + 50,
};

describe('lesson step conditions', () => {
  it('compares with the settings on arrival', () => {
    const s = { ...defaultSettings(), beta: 2 };
    const visit = arrive('l', 0, s, run(0));
    expect(stepHolds(raiseBeta, contextOf(visit, s, run(0)))).toBe(false);
    expect(stepHolds(raiseBeta, contextOf(visit, { ...s, beta: 4 }, run(0)))).toBe(true);
    // Arriving with β already at 4: it must go higher still.
    const later = arrive('l', 0, { ...s, beta: 4 }, run(0));
    expect(stepHolds(raiseBeta, contextOf(later, { ...s, beta: 4 }, run(0)))).toBe(false);
  });

  it('counts signals since arrival only', () => {
    const s = defaultSettings();
    let visit = arrive('l', 1, s, run(0));
    for (let i = 0; i < 4; i++) visit = countSignal(visit, 'step-pressed');
    visit = countSignal(visit, 'drew-digit');
    expect(visit.signals).toEqual({ 'step-pressed': 4, 'drew-digit': 1 });
    expect(stepHolds(fiveSteps, contextOf(visit, s, run(0)))).toBe(false);
    visit = countSignal(visit, 'step-pressed');
    expect(stepHolds(fiveSteps, contextOf(visit, s, run(0)))).toBe(true);
    // A new arrival starts counting again.
    expect(arrive('l', 1, s, run(0)).signals).toEqual({});
  });

  it('counts training from the run step on arrival, or from 0 after a new run', () => {
    const s = defaultSettings();
    const visit = arrive('l', 0, s, run(300));
    expect(stepHolds(trained50, contextOf(visit, s, run(340)))).toBe(false);
    expect(stepHolds(trained50, contextOf(visit, s, run(350)))).toBe(true);
    // The run was reset after arrival (its step fell below 300): 50 steps of the new run count.
    expect(contextOf(visit, s, run(20)).atStart.step).toBe(0);
    expect(stepHolds(trained50, contextOf(visit, s, run(49)))).toBe(false);
    expect(stepHolds(trained50, contextOf(visit, s, run(50)))).toBe(true);
  });

  it('holds a reading step, and not a condition or live formula that throws', () => {
    const s = defaultSettings();
    const ctx = contextOf(arrive('l', 0, s, run(0)), s, run(0));
    expect(stepHolds({ title: 'Read', text: '' }, ctx)).toBe(true);
    const broken: LessonStep = {
      title: 'x',
      text: '',
      done: () => {
        throw new Error('bad');
      },
      live: () => {
        throw new Error('bad');
      },
    };
    expect(stepHolds(broken, ctx)).toBe(false);
    expect(liveTex(broken, ctx)).toBeNull();
    expect(liveTex({ title: 'x', text: '', live: () => 'x^2' }, ctx)).toBe('x^2');
  });

  it('keeps a link step inside the lesson', () => {
    const lesson = { steps: [raiseBeta, fiveSteps, trained50] };
    expect(stepIndexOf(lesson, 1)).toBe(0);
    expect(stepIndexOf(lesson, 3)).toBe(2);
    expect(stepIndexOf(lesson, 9)).toBe(2);
    expect(stepIndexOf(lesson, 0)).toBe(0);
  });
});

describe('opening a lesson', () => {
  const lesson: Pick<Lesson, 'preset' | 'panels'> = {
    preset: { model: 'vae', latentDim: 2, beta: 2 },
    panels: ['elbo', 'latent'],
  };

  it('from the course: the defaults plus the preset, its panels open, the page settings kept', () => {
    const current = {
      ...defaultSettings(),
      backend: 'wasm' as const,
      learningRate: 0.01,
      lesson: 'vae-elbo',
      lessonStep: 2,
    };
    const next = lessonSettings(current, lesson, false);
    expect(next.learningRate).toBe(defaultSettings().learningRate);
    expect(next.beta).toBe(2);
    expect(next.latentDim).toBe(2);
    expect(next.backend).toBe('wasm');
    expect(next.lesson).toBe('vae-elbo');
    expect(next.lessonStep).toBe(2);
    expect(next.closedPanels).toBe(closedExcept(['elbo', 'latent']));
    expect(next.closedPanels.split(',')).not.toContain('elbo');
    expect(next.closedPanels.split(',')).toContain('manifold');
  });

  it("from a link: the link's own settings win over the preset", () => {
    const current = { ...defaultSettings(), beta: 4, learningRate: 0.01 };
    const next = lessonSettings(current, lesson, true);
    expect(next.beta).toBe(4);
    expect(next.learningRate).toBe(0.01);
    expect(next.latentDim).toBe(2);
  });

  it('resets the run for settings that start one, configures for live ones', () => {
    const s = defaultSettings();
    expect(runActionFor(s, { ...s, lesson: 'x', lessonStep: 3, closedPanels: 'math' })).toBe(
      'none',
    );
    expect(runActionFor(s, { ...s, beta: s.beta + 1 })).toBe('configure');
    expect(runActionFor(s, { ...s, latentDim: s.latentDim + 6, beta: s.beta + 1 })).toBe('reset');
  });
});
