// The lessons' signal bus: listeners get every signal sent after they subscribe, until they
// unsubscribe, and a listener may unsubscribe while being called.
import { describe, expect, it } from 'vitest';
import type { LessonSignal } from '../../src/ui/lessons/lesson';
import { createSignalBus, onSignal, sendSignal } from '../../src/ui/lessons/signals';

describe('signal bus', () => {
  it('delivers to each listener until it unsubscribes', () => {
    const bus = createSignalBus();
    const a: LessonSignal[] = [];
    const b: LessonSignal[] = [];
    bus.send('drew-digit'); // nobody listening yet
    const stopA = bus.listen((s) => a.push(s));
    bus.listen((s) => b.push(s));
    bus.send('step-pressed');
    stopA();
    bus.send('latent-clicked');
    expect(a).toEqual(['step-pressed']);
    expect(b).toEqual(['step-pressed', 'latent-clicked']);
  });

  it('lets a listener unsubscribe itself while signals are delivered', () => {
    const bus = createSignalBus();
    const got: string[] = [];
    const stop = bus.listen(() => {
      got.push('once');
      stop();
    });
    bus.listen(() => got.push('always'));
    bus.send('samples-refreshed');
    bus.send('samples-refreshed');
    expect(got).toEqual(['once', 'always', 'always']);
  });

  it('has one bus for the page', () => {
    const got: LessonSignal[] = [];
    const stop = onSignal((s) => got.push(s));
    sendSignal('tau-slider-moved');
    stop();
    sendSignal('tau-slider-moved');
    expect(got).toEqual(['tau-slider-moved']);
  });
});
