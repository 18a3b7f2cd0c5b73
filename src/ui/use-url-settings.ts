/**
 * Keeps the settings in the page's URL hash, so that the address bar is always a link to the
 * experiment on screen: every change is written back (replaceState, no history entry; other
 * parameters such as datasetBase move along into the hash), and a
 * hash edited or pasted into this tab (which does not reload the page) is applied as a new run.
 * The first read, including the ?query of older links, is `settingsFromUrl` in App.
 */
import { useEffect, useRef } from 'react';
import { parseSettings, settingsToHash, urlOfSettings, type Settings } from '../state/settings';

const NONE: readonly (keyof Settings)[] = [];

/**
 * `onLink` gets the settings of a hash the user typed or pasted, and notices for bad values.
 * `always`: settings written into the hash even at their default (keep the array's identity).
 */
export function useUrlSettings(
  settings: Settings,
  onLink: (next: Settings, notices: string[]) => void,
  always: readonly (keyof Settings)[] = NONE,
): void {
  const current = useRef(settings);
  const onLinkRef = useRef(onLink);
  useEffect(() => {
    onLinkRef.current = onLink;
  }, [onLink]);

  useEffect(() => {
    current.current = settings;
    const { pathname, search, hash } = window.location;
    const url = urlOfSettings(settings, window.location, always);
    if (url !== pathname + search + hash) window.history.replaceState(null, '', url);
  }, [settings, always]);

  useEffect(() => {
    const onHashChange = () => {
      const { settings: next, notices } = parseSettings(window.location.hash);
      if (notices.length === 0 && settingsToHash(next) === settingsToHash(current.current)) return;
      onLinkRef.current(next, notices);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
}
