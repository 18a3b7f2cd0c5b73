/**
 * The page's keyboard shortcuts: Space train/pause, S step, R reset, P presenter mode, ←/→ the
 * lesson's steps, ? the list of shortcuts, Escape leaves presenter mode. Keys typed into a field
 * (input, select, textarea, editable text) are left alone, and so are Space and Enter on a
 * focused button or link (they press it), and keys with Ctrl, Alt or Meta.
 */
import { useEffect, useRef } from 'react';

export type Shortcut =
  'toggle' | 'step' | 'reset' | 'present' | 'prev' | 'next' | 'help' | 'escape';

/** The shortcuts in the order the help dialog lists them. */
export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: 'Space', does: 'Train or pause' },
  { keys: 'S', does: 'One training step' },
  { keys: 'R', does: 'Reset the model' },
  { keys: 'P', does: 'Presenter mode on or off' },
  { keys: '← / →', does: 'Previous or next step of the lesson' },
  { keys: '?', does: 'This list' },
  { keys: 'Escape', does: 'Leave presenter mode, close this list' },
];

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  target: EventTarget | null;
}

function typingInto(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const el = target as HTMLElement;
  return (
    el.closest('input, select, textarea, [contenteditable=""], [contenteditable="true"]') !== null
  );
}

function onPressable(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  return (target as Element).closest('button, a[href], summary, [role="button"]') !== null;
}

/** The shortcut a key press means, or null. */
export function shortcutOf(e: KeyLike): Shortcut | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  if (e.key === 'Escape') return 'escape';
  if (typingInto(e.target)) return null;
  switch (e.key) {
    case ' ':
      return onPressable(e.target) ? null : 'toggle';
    case 's':
    case 'S':
      return 'step';
    case 'r':
    case 'R':
      return 'reset';
    case 'p':
    case 'P':
      return 'present';
    case 'ArrowLeft':
      return 'prev';
    case 'ArrowRight':
      return 'next';
    case '?':
      return 'help';
    default:
      return null;
  }
}

/**
 * Calls `handle` with each shortcut pressed on the page; `handle` returns whether it acted (the
 * key's default, e.g. Space scrolling, is then prevented).
 */
export function useShortcuts(handle: (shortcut: Shortcut) => boolean): void {
  const handler = useRef(handle);
  useEffect(() => {
    handler.current = handle;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.repeat) return;
      const shortcut = shortcutOf(e);
      if (shortcut && handler.current(shortcut)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
