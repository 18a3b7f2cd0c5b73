/** The lab page: controls, status, notices and the lecture panels, wired to the training worker. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { conditionalRefusal, MODEL_CATALOG } from '../contracts/catalog';
import { closedSet, PANEL_IDS } from '../contracts/panels';
import { startsNewRun } from '../contracts/settings';
import { isLayoutKey, type Settings } from '../state/settings';
import { Controls } from './controls/Controls';
import { DatasetPanel } from './controls/DatasetPanel';
import { DeviceBenchmark } from './controls/DeviceBenchmark';
import { Drawer } from './controls/Drawer';
import { EmbedView } from './EmbedView';
import { LecturePanels } from './panels/LecturePanels';
import { Notices } from './controls/Notices';
import { OfflineNotes } from './controls/OfflineNotes';
import { RunFiles } from './controls/RunFiles';
import { RunRecovery, SavedRunsList } from './controls/SavedRuns';
import { StatusLine } from './controls/StatusLine';
import { readInitialPage, useBackendChoice } from './use-backend-choice';
import { useTrainingSession } from './use-training-session';
import { useUrlSettings } from './use-url-settings';
import { PanelFoldingContext, type PanelFolding } from './panels/Panel';
import { Lessons } from './lessons/Lessons';
import { runActionFor } from './lessons/apply';

export function App() {
  const [initial] = useState(() => readInitialPage(window.location));
  const [settings, setSettings] = useState<Settings>(initial.settings);
  const [state, actions, runs] = useTrainingSession(
    initial.settings,
    initial.notices,
    initial.source === 'default',
  );
  const backendChoice = useBackendChoice(initial, settings, setSettings, state, actions);
  const { chosen: backendChosen, fromLink } = backendChoice;

  // A conditional model on unlabelled data: a sentence, and the run and settings stay as they are.
  const dataset = state.dataset;
  const refused = useCallback(
    (next: Settings) => {
      const why =
        dataset && conditionalRefusal(next.model, { ...dataset, classes: dataset.classes ?? 10 });
      if (why) actions.addNotice('error', why);
      return Boolean(why);
    },
    [dataset, actions],
  );

  /** A trained prior is replaced by another model only when the person says so. */
  const leavePrior = (from: string, step: number, to: string) =>
    from !== 'prior' ||
    to === 'prior' ||
    step === 0 ||
    window.confirm(
      `Start a new ${MODEL_CATALOG[to as keyof typeof MODEL_CATALOG].label}? The prior trained for ${step} step${step === 1 ? '' : 's'}, and the tokenizer frozen inside it, leave the screen (Save or Export the run first to keep them).`,
    );

  // The run's model and step as of now, read when a setting changes: a ref, so onChange stays
  // the same function while training (the panels it is passed to need not re-render).
  const runNow = useRef({ model: state.model, step: state.step });
  useEffect(() => {
    runNow.current = { model: state.model, step: state.step };
  }, [state.model, state.step]);
  const onChange = useCallback(
    (next: Settings, key: keyof Settings) => {
      if (key === 'model' && refused(next)) return;
      const { model, step } = runNow.current;
      if (key === 'model' && !leavePrior(model, step, next.model)) return;
      setSettings(next);
      if (isLayoutKey(key)) return; // the page's layout only (folded panels, lesson …)
      if (key === 'backend') {
        backendChosen();
        actions.restart(next);
      } else if (startsNewRun(key)) actions.reset(next);
      else actions.configure(next);
    },
    [actions, backendChosen, refused],
  );

  const onLink = useCallback(
    (linked: Settings, notices: string[]) => {
      const { settings: next, isDefault } = fromLink(linked, window.location.hash);
      setSettings(next);
      for (const text of notices) actions.addNotice('warning', text);
      actions.restart(next, isDefault);
    },
    [actions, fromLink],
  );
  useUrlSettings(settings, onLink, backendChoice.alwaysInUrl);

  // Several settings at once (a lesson's preset): the run follows as for one.
  const applySettings = useCallback(
    (next: Settings) => {
      if (next.model !== settings.model && refused(next)) return;
      const action = runActionFor(settings, next);
      setSettings(next);
      if (action === 'reset') actions.reset(next);
      else if (action === 'configure') actions.configure(next);
    },
    [settings, actions, refused],
  );

  const ready = state.phase === 'ready';
  // The controls' callbacks and backend line keep their identity while training (Controls is memo).
  const stepOnce = useCallback(() => actions.step(1), [actions]);
  const resetRun = useCallback(() => actions.reset(settings), [actions, settings]);
  const automaticBackend = backendChoice.source === 'default';
  const backendShown = useMemo(
    () => ({ automatic: automaticBackend, running: state.backend }),
    [automaticBackend, state.backend],
  );
  /** A trained model in place of the run, its settings in the controls and the URL. */
  const loadPretrained = useCallback(
    async (id: string) => {
      const config = await actions.loadPretrained(id);
      setSettings((s) => ({ ...s, ...config, pretrained: '' }));
    },
    [actions],
  );
  // #pretrained=<id>: open on that trained model once the worker is ready (read once).
  const pretrainedLink = useRef(initial.settings.pretrained);
  useEffect(() => {
    const id = pretrainedLink.current;
    if (!ready || !id) return;
    pretrainedLink.current = '';
    void loadPretrained(id);
  }, [ready, loadPretrained]);
  const openSavedRun = (id: string) =>
    void actions.openSavedRun(id).then((config) => {
      if (config) setSettings((s) => ({ ...s, ...config }));
    });
  const ds = state.dataset;
  const folding = useMemo<PanelFolding>(() => {
    const closed = closedSet(settings.closedPanels);
    return {
      closed,
      toggle: (id) => {
        const next = new Set(closed);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        const value = PANEL_IDS.filter((p) => next.has(p)).join(','); // in PANEL_IDS order, as links keep it
        onChange({ ...settings, closedPanels: value }, 'closedPanels');
      },
    };
  }, [settings, onChange]);

  if (settings.embed)
    return (
      <EmbedView
        panel={settings.embed}
        state={state}
        settings={settings}
        inspect={actions.inspect}
        onSettings={onChange}
        play={actions.play}
      />
    );

  return (
    <PanelFoldingContext.Provider value={folding}>
      <div className="app">
        <header>
          <h1>Latent Lab</h1>
          <p className="tagline">
            Train latent-variable models on MNIST in your browser and watch their latent space form.
          </p>
          <p className="backend-line">
            Backend:{' '}
            <span data-testid="backend" className="badge">
              {state.backend ?? '…'}
            </span>{' '}
            {state.backend === 'wasm' && state.step > 0 ? (
              <span data-testid="gemm-threads" data-threads={state.gemmThreads}>
                · {state.gemmThreads === 2 ? 'two threads' : 'one thread'}{' '}
              </span>
            ) : null}
            <span className="backend-source" data-testid="backend-source">
              ({backendChoice.description})
            </span>
            {ds ? (
              <span className="dataset" data-testid="dataset-name">
                {' '}
                · {ds.name}: {ds.trainCount.toLocaleString('en')} training and{' '}
                {ds.testCount.toLocaleString('en')} test images
              </span>
            ) : null}
          </p>
          <OfflineNotes />
          <Drawer label="Data, files and saved runs" title="Data, files and saved runs">
            <DeviceBenchmark
              settings={settings}
              starting={state.phase === 'starting'}
              training={state.playing}
              remembered={backendChoice.benchmark}
              pauseTraining={actions.pause}
              resumeTraining={actions.play}
              onResult={backendChoice.onBenchmark}
            />
            <DatasetPanel
              dataset={ds}
              ready={ready}
              sink={actions}
              want={settings.dataset}
              onWant={(dataset) => setSettings((s) => ({ ...s, dataset }))}
            />
            <RunFiles
              onImport={async (files) => {
                const config = await actions.importRun(files);
                if (config) setSettings((s) => ({ ...s, ...config }));
                return config !== null;
              }}
              onExport={actions.exportRun}
              onExportPytorch={actions.exportPytorch}
              ready={ready}
            />
            <SavedRunsList
              runs={runs.savedRuns}
              ready={ready}
              onOpen={openSavedRun}
              onDelete={(id) => void actions.deleteSavedRun(id)}
            />
          </Drawer>
        </header>
        <main>
          <Lessons
            settings={settings}
            state={state}
            actions={actions}
            apply={applySettings}
            loadPretrained={(id) => void loadPretrained(id)}
          />
          <Controls
            settings={settings}
            running={state.running}
            playing={state.playing}
            ready={ready}
            onToggle={state.playing ? actions.pause : actions.play}
            onStep={stepOnce}
            onReset={resetRun}
            onChange={onChange}
            backend={backendShown}
          />
          <StatusLine state={state} />
          <Notices
            notices={state.notices}
            backend={state.backend}
            automatic={backendChoice.source === 'default'}
            onDismiss={actions.dismissNotice}
          />
          <RunRecovery
            resumable={runs.resumable}
            rollbackStep={state.diverged && state.lastSave ? state.lastSave.meta.step : null}
            ready={ready && !state.running}
            onResume={openSavedRun}
            onRollback={() => void actions.rollback(settings)}
          />
          <LecturePanels
            state={state}
            settings={settings}
            inspect={actions.inspect}
            onSettings={onChange}
          />
        </main>
        <footer>
          {ds ? (
            <p>
              Data: {ds.source}. License: {ds.license}.
            </p>
          ) : null}
        </footer>
      </div>
    </PanelFoldingContext.Provider>
  );
}
