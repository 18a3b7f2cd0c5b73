/**
 * What the codes are (VQ-VAE, dVAE, categorical VAE): the code map of eight probe digits and the
 * codebook atlas, both asked of the model again after every evaluation.
 */
import type { InspectCapabilities } from '../../contracts/inspect';
import type { TrainingState } from '../../state/training-store';
import { useInspection, type Inspect } from '../use-inspection';
import { CodebookAtlas } from './CodebookAtlas';
import { CodeMap } from './CodeMap';
import { InspectionNote } from './InspectionNote';
import type { PanelHeading } from './panel-props';
import { Panel } from './Panel';

/** Probe digits whose codes are mapped (the first eight of the fixed test digits). */
const MAP_PROBES = [0, 1, 2, 3, 4, 5, 6, 7];

export function CodesPanel({
  heading,
  state,
  inspect,
  codes,
}: {
  heading: PanelHeading;
  state: TrainingState;
  inspect: Inspect;
  codes: NonNullable<InspectCapabilities['codes']>;
}) {
  const key = `${state.runId}:${state.latestEval?.step ?? 'none'}`;
  const map = useInspection(inspect, 'codeMap', { kind: 'codeMap', probes: MAP_PROBES }, key);
  const atlas = useInspection(inspect, 'codebookAtlas', { kind: 'codebookAtlas' }, key);
  const ds = state.dataset;
  const gridText = `${codes.gridHeight} × ${codes.gridWidth}`;
  return (
    <Panel {...heading}>
      <h3 className="diag-h3">Codes of eight test digits</h3>
      <CodeMap
        answer={map.answer}
        probeImages={state.probeImages}
        probeLabels={state.probeLabels}
        height={ds?.height ?? 28}
        width={ds?.width ?? 28}
      />
      <InspectionNote
        what="the code map"
        error={map.error}
        pending={map.pending}
        answered={map.answer !== null}
      />
      <p className="diag-caption">
        Each digit becomes a {gridText} grid of code indices, one of {codes.size} codes per cell; a
        colour is a code, and the same code has the same colour in every digit (the background
        usually shares one or two codes).
      </p>
      <h3 className="diag-h3">Codebook atlas</h3>
      <CodebookAtlas
        images={atlas.answer?.images ?? null}
        usage={state.latestEval?.diagnostics.codeUsage ?? null}
      />
      <InspectionNote
        what="the codebook atlas"
        error={atlas.error}
        pending={atlas.pending}
        answered={atlas.answer !== null}
      />
      <p className="diag-caption">
        Each tile is one code decoded alone, with all {codes.positions} positions set to it. This is
        the naive view of a codebook: codes mean something in context, so many tiles look alike.
      </p>
    </Panel>
  );
}
