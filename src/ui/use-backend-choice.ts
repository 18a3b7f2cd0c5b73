/**
 * Which backend the page starts on and why: the link's `backend=`, else this browser's remembered
 * device benchmark (localStorage), else the default (webgpu, whose software renderers the worker
 * skips). Also what a finished benchmark does: remember it, put its backend into the settings
 * (and so the link), and move the run to that backend.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  chooseBackend,
  describeBackendSource,
  linkedBackend,
  type BackendSource,
  type DeviceBenchmark,
} from '../state/device-benchmark';
import { SETTINGS, settingsFromUrl, type Settings } from '../state/settings';
import {
  loadDeviceBenchmark,
  saveDeviceBenchmark,
  userAgentHash,
} from '../state/device-benchmark-storage';
import type { TrainingState } from '../state/training-store';
import type { TrainingActions } from './use-training-session';

export interface InitialPage {
  settings: Settings;
  notices: string[];
  source: BackendSource;
  benchmark: DeviceBenchmark | null;
}

/** The settings of the page's first URL, with the backend chosen as above. */
export function readInitialPage(location: { search: string; hash: string }): InitialPage {
  const { settings, notices } = settingsFromUrl(location.search, location.hash);
  const { benchmark, problem } = loadDeviceBenchmark();
  if (problem)
    notices.push(
      `Ignored this browser's remembered device benchmark: ${problem}. "Benchmark this device" measures again.`,
    );
  const choice = chooseBackend(
    linkedBackend(location.search, location.hash),
    benchmark,
    SETTINGS.backend.default,
  );
  return {
    settings: { ...settings, backend: choice.backend },
    notices,
    source: choice.source,
    benchmark,
  };
}

const NONE: readonly (keyof Settings)[] = [];
const BACKEND: readonly (keyof Settings)[] = ['backend'];

export interface BackendChoice {
  source: BackendSource;
  /** This browser's remembered benchmark. */
  benchmark: DeviceBenchmark | null;
  /** E.g. "fastest on this device, benchmarked 3 May 2025". */
  description: string;
  /** Settings the URL keeps even at their default: a backend someone or something chose. */
  alwaysInUrl: readonly (keyof Settings)[];
  /** The backend was picked in the Backend control. */
  chosen: () => void;
  /** `next` (a pasted link's settings) with its backend chosen as on page load; `isDefault` set when nobody named one. */
  fromLink: (next: Settings, hash: string) => { settings: Settings; isDefault: boolean };
  /** Applies a finished benchmark; resolves to a sentence saying what happened. */
  onBenchmark: (b: DeviceBenchmark, wasTraining: boolean) => Promise<string>;
}

export function useBackendChoice(
  initial: InitialPage,
  settings: Settings,
  setSettings: (s: Settings) => void,
  state: TrainingState,
  actions: TrainingActions,
): BackendChoice {
  const [source, setSource] = useState<BackendSource>(initial.source);
  const [benchmark, setBenchmark] = useState<DeviceBenchmark | null>(initial.benchmark);
  const [uaHash] = useState(userAgentHash);
  const latest = useRef({ settings, state, benchmark });
  useEffect(() => {
    latest.current = { settings, state, benchmark };
  }, [settings, state, benchmark]);

  const chosen = useCallback(() => setSource('chosen'), []);
  const fromLink = useCallback((next: Settings, hash: string) => {
    const choice = chooseBackend(
      linkedBackend('', hash),
      latest.current.benchmark,
      SETTINGS.backend.default,
    );
    setSource(choice.source);
    return {
      settings: { ...next, backend: choice.backend },
      isDefault: choice.source === 'default',
    };
  }, []);

  const onBenchmark = useCallback(
    async (b: DeviceBenchmark, wasTraining: boolean) => {
      const storeError = saveDeviceBenchmark(b);
      setBenchmark(b);
      setSource('benchmark');
      const kept = storeError
        ? ` It is in the link, but this browser could not remember it (${storeError}).`
        : ' This browser remembers it, and the link names it.';
      const { settings: current, state: s } = latest.current;
      const next = { ...current, backend: b.backend };
      setSettings(next);
      if (s.backend === b.backend && s.phase === 'ready') {
        if (wasTraining) actions.play();
        return `${b.backend} is the fastest here and already runs the training: nothing restarted.${kept}`;
      }
      const how = await actions.switchBackend(next, wasTraining);
      const restarted = `Switched to ${b.backend}, the fastest here: the training worker restarted on it`;
      if (how === 'moved') return `${restarted}, and the run continues where it was.${kept}`;
      const saved =
        s.step > 0 ? ' (the run so far is under Saved runs, as of its last autosave)' : '';
      return `${restarted} with a fresh model${saved}.${kept}`;
    },
    [actions, setSettings],
  );

  const alwaysInUrl = useMemo(() => (source === 'default' ? NONE : BACKEND), [source]);
  return {
    source,
    benchmark,
    description: describeBackendSource(source, benchmark, uaHash),
    alwaysInUrl,
    chosen,
    fromLink,
    onBenchmark,
  };
}
