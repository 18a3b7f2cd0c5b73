// Lesson links: #lesson=<id>&step=<n> (1-based), #present, hide=…; the classroom link builder's
// output reads back as what was chosen; the lesson text's TeX split; the keyboard's shortcuts.
import { describe, expect, it } from 'vitest';
import { defaultSettings, parseSettings } from '../../src/state/settings';
import { classroomLink } from '../../src/ui/lessons/classroom-link';
import { splitLessonText } from '../../src/ui/lessons/tex-text';
import { shortcutOf } from '../../src/ui/keyboard';

describe('lesson links', () => {
  it('reads the lesson, its 1-based step, presenter mode and hidden groups', () => {
    const { settings, notices } = parseSettings('#lesson=vae-elbo&step=3&present&hide=dataset');
    expect(notices).toEqual([]);
    expect(settings.lesson).toBe('vae-elbo');
    expect(settings.lessonStep).toBe(3);
    expect(settings.present).toBe(true);
    expect(settings.hide).toBe('dataset');
    expect(parseSettings('#present=0').settings.present).toBe(false);
    expect(parseSettings('').settings).toMatchObject({ lesson: '', lessonStep: 1, present: false });
  });

  it('ignores bad values with a notice', () => {
    for (const hash of ['#step=0', '#step=x', '#lesson=Bad Name', '#present=maybe', '#hide=menu']) {
      const { settings, notices } = parseSettings(hash);
      expect(notices.length, hash).toBe(1);
      expect(settings, hash).toEqual(defaultSettings());
    }
  });

  it('builds classroom links that read back as chosen', () => {
    const link = classroomLink('https://lab.example/', {
      lesson: 'interpolation',
      step: 2,
      present: true,
      hide: ['benchmark', 'options'],
    });
    expect(link.startsWith('https://lab.example/#')).toBe(true);
    const { settings } = parseSettings(link.slice(link.indexOf('#')));
    expect(settings).toEqual({
      ...defaultSettings(),
      lesson: 'interpolation',
      lessonStep: 2,
      present: true,
      hide: 'options,benchmark',
    });
    expect(classroomLink('/', { lesson: 'vq-vae', step: 1, present: false, hide: [] })).toBe(
      '/#lesson=vq-vae',
    );
  });
});

describe('lesson text', () => {
  it('splits paragraphs, inline and displayed TeX', () => {
    const parts = splitLessonText('A $x^2$ b.\n\nThe bound:\n$$\\log p \\ge L$$ so.');
    expect(parts).toEqual([
      [
        { kind: 'text', value: 'A ' },
        { kind: 'inline', value: 'x^2' },
        { kind: 'text', value: ' b.' },
      ],
      [
        { kind: 'text', value: 'The bound:\n' },
        { kind: 'display', value: '\\log p \\ge L' },
        { kind: 'text', value: ' so.' },
      ],
    ]);
  });
});

describe('keyboard shortcuts', () => {
  const key = (k: string, target: unknown = null, mods = {}) =>
    shortcutOf({
      key: k,
      ctrlKey: false,
      altKey: false,
      metaKey: false,
      target: target as EventTarget | null,
      ...mods,
    });
  const el = (matches: string | null) => ({
    closest: (sel: string) => (matches && sel.includes(matches) ? {} : null),
  });

  it('maps the keys', () => {
    expect(key(' ')).toBe('toggle');
    expect(key('s')).toBe('step');
    expect(key('R')).toBe('reset');
    expect(key('p')).toBe('present');
    expect(key('ArrowLeft')).toBe('prev');
    expect(key('ArrowRight')).toBe('next');
    expect(key('?')).toBe('help');
    expect(key('Escape')).toBe('escape');
    expect(key('x')).toBeNull();
    expect(key('s', null, { ctrlKey: true })).toBeNull();
  });

  it('leaves keys typed into fields, and Space on a button, alone', () => {
    expect(key('s', el('input'))).toBeNull();
    expect(key('ArrowRight', el('select'))).toBeNull();
    expect(key('p', el('textarea'))).toBeNull();
    expect(key(' ', el('button'))).toBeNull();
    expect(key('s', el('button'))).toBe('step');
    expect(key('Escape', el('input'))).toBe('escape');
  });
});
