/**
 * What the lesson marks on the page outside React's tree: the highlighted element (scrolled into
 * view and outlined), and on <html> presenter mode (`data-mode="present"`), the panels it shows
 * and the control groups a classroom link hides (styled by lessons.css and the rules below).
 */
import { useEffect } from 'react';
import { PANEL_IDS } from '../../contracts/panels';

export const HIGHLIGHT_CLASS = 'lesson-highlight';

/** The element a step's `highlight` names: a panel's section, or a `data-testid`. */
export function highlightSelector(name: string): string {
  const esc = name.replace(/["\\]/g, '\\$&');
  return (PANEL_IDS as readonly string[]).includes(name)
    ? `section.panel[data-panel="${esc}"]`
    : `[data-testid="${esc}"]`;
}

/** Outlines and scrolls to `name` (waiting for it to appear), removing the outline after. */
export function useHighlight(name: string | undefined): void {
  useEffect(() => {
    if (!name) return;
    const selector = highlightSelector(name);
    let marked: Element | null = null;
    const mark = (): boolean => {
      const el = document.querySelector(selector);
      if (!el) return false;
      // A control inside a folded section (e.g. "Model options") is unfolded to be seen.
      for (let d = el.closest('details'); d; d = d.parentElement?.closest('details') ?? null)
        d.open = true;
      el.classList.add(HIGHLIGHT_CLASS);
      marked = el;
      const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
      el.scrollIntoView?.({ block: 'nearest', behavior: still ? 'auto' : 'smooth' });
      return true;
    };
    // The element may not be there yet (a panel opening, a model starting): watch for it, and
    // for it being replaced by a new one.
    mark();
    const observer = new MutationObserver(() => {
      if (marked?.isConnected && marked.classList.contains(HIGHLIGHT_CLASS)) return;
      if (marked?.isConnected) marked.classList.add(HIGHLIGHT_CLASS);
      else mark();
    });
    observer.observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['class'],
    });
    return () => {
      observer.disconnect();
      for (const el of document.querySelectorAll(`.${HIGHLIGHT_CLASS}`))
        el.classList.remove(HIGHLIGHT_CLASS);
    };
  }, [name]);
}

/**
 * The rules that hide, in presenter mode, every panel not listed in <html data-present-panels>:
 * one per panel id, so a new panel id needs nothing here.
 */
export function presentRules(): string {
  return PANEL_IDS.map(
    (id) =>
      `html[data-mode="present"]:not([data-present-panels~="${id}"]) section.panel[data-panel="${id}"] { display: none; }`,
  ).join('\n');
}

let rulesAdded = false;

/** Presenter mode and the hidden control groups as attributes of <html>. */
export function usePageMode(present: boolean, panels: readonly string[], hide: string): void {
  const shown = panels.join(' ');
  useEffect(() => {
    if (!rulesAdded) {
      const style = document.createElement('style');
      style.dataset.lessons = 'present';
      style.textContent = presentRules();
      document.head.append(style);
      rulesAdded = true;
    }
    const html = document.documentElement;
    if (present) {
      html.dataset.mode = 'present';
      html.dataset.presentPanels = shown;
    } else {
      delete html.dataset.mode;
      delete html.dataset.presentPanels;
    }
    const groups = hide.split(',').filter(Boolean).join(' ');
    if (groups) html.dataset.hide = groups;
    else delete html.dataset.hide;
  }, [present, shown, hide]);
}
