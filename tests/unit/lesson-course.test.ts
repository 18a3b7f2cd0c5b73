// The course: every row loads its lesson (same id, title and promise as the list shows), every
// step's highlight names a panel or a data-testid that the app's source has, and every lesson
// opens panels that exist.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PANEL_IDS } from '../../src/contracts/panels';
import { SETTINGS, type Settings } from '../../src/state/settings';
import { testIdOf } from '../../src/ui/controls/ModelOptions';
import { COURSE } from '../../src/ui/lessons/course';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/**
 * Every data-testid the app's source writes literally (`data-testid="x"` or `testId="x"`), and
 * those it builds from tables: each setting's control and each panel's fold button.
 */
function testIdsInSource(): Set<string> {
  const ids = new Set<string>();
  for (const file of sourceFiles('src')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:data-testid|testId)=(?:"([^"]+)"|\{'([^']+)'\})/g))
      ids.add(m[1] ?? m[2] ?? '');
  }
  for (const key of Object.keys(SETTINGS) as (keyof Settings)[]) ids.add(testIdOf(key));
  for (const id of PANEL_IDS) ids.add(`panel-toggle-${id}`);
  return ids;
}

describe('the course', () => {
  it('has the lessons of issues #14, #15 and #16 in order, each id once', () => {
    expect(COURSE.map((r) => r.id)).toEqual([
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

  it('loads each lesson, whose highlights and panels exist in the app', async () => {
    const testIds = testIdsInSource();
    expect(testIds.has('train-toggle')).toBe(true); // the scan finds the page's test ids
    const panels = PANEL_IDS as readonly string[];
    for (const row of COURSE) {
      const { default: lesson } = await row.load();
      expect(lesson.id).toBe(row.id);
      expect(lesson.title, row.id).toBe(row.title);
      expect(lesson.promise, row.id).toBe(row.promise);
      expect(lesson.steps.length, row.id).toBeGreaterThan(0);
      for (const p of lesson.panels) expect(panels, `${row.id} panel`).toContain(p);
      lesson.steps.forEach((step, i) => {
        for (const p of step.panels ?? []) expect(panels, `${row.id} step ${i + 1}`).toContain(p);
        if (step.highlight === undefined) return;
        const known = panels.includes(step.highlight) || testIds.has(step.highlight);
        expect(known, `${row.id} step ${i + 1} highlights ${step.highlight}`).toBe(true);
      });
    }
  });
});
