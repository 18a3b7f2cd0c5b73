/**
 * Codebook and encoder outputs in one PCA plane (VQ-VAE, dVAE): the encoder's vector at every
 * position of the first test digits as small dots coloured by their code, with the K code vectors
 * on top as large outlined markers. Asked of the model again after every evaluation.
 */
import { useMemo } from 'react';
import type { ModelTraits } from '../../contracts/catalog';
import type { InspectAnswer, InspectCapabilities } from '../../contracts/inspect';
import type { Settings } from '../../state/settings';
import type { TrainingState } from '../../state/training-store';
import { codeColour } from '../code-palette';
import { count } from '../format';
import { PlotlyChart } from '../plots/PlotlyChart';
import { useInspection, type Inspect } from '../use-inspection';
import { InspectionNote } from './InspectionNote';
import type { PanelHeading } from './panel-props';
import { Panel } from './Panel';

type View = Extract<InspectAnswer, { kind: 'codebookView' }>;

/** The encoder outputs' trace (index 0) is drawn on the chart's canvas. */
const CANVAS_TRACES = [0];
/** Test digits whose encoder outputs are shown (64 · 49 positions, subsampled by the worker). */
const VIEW_PROBES = 64;

/** Marks codes that no shown encoder output picks (Okabe & Ito vermillion, plus its own symbol). */
const UNUSED_COLOUR = '#D55E00';

/**
 * How a model names its vectors: by how it picks a code. Nearest code (VQ-VAE: zₑ and eₖ), or a
 * Gumbel-softmax posterior over the codes (dVAE: Σ q e and Eₖ).
 */
const WORDS = {
  nearest: {
    encoder: 'encoder outputs zₑ',
    codes: 'code vectors eₖ',
    pick: 'nearest code',
  },
  posterior: {
    encoder: 'expected embeddings Σₖ q(k|x) eₖ',
    codes: 'embedding rows Eₖ',
    pick: 'most likely code',
  },
} as const;

const percent = (v: number) => `${(100 * v).toFixed(v < 0.1 ? 1 : 0)}%`;

/** How many shown encoder outputs each code gets.   [K] */
function countsOf(view: View): number[] {
  const counts = new Array<number>(view.codebookSize).fill(0);
  for (const k of view.codeOf) counts[k]!++;
  return counts;
}

function traces(
  view: View,
  counts: number[],
  words: (typeof WORDS)[keyof typeof WORDS],
  probeLabels: Uint8Array | null,
  gridWidth: number,
) {
  const K = view.codebookSize;
  const M = view.codeOf.length;
  const ex = new Array<number>(M);
  const ey = new Array<number>(M);
  const colour = new Array<string>(M);
  const hover = new Array<string>(M);
  for (let i = 0; i < M; i++) {
    ex[i] = view.encoder[2 * i]!;
    ey[i] = view.encoder[2 * i + 1]!;
    const k = view.codeOf[i]!;
    colour[i] = codeColour(k, K);
    const probe = view.labels[i]!;
    const digit = probeLabels?.[probe];
    const p = view.position[i]!;
    hover[i] =
      `test digit ${probe}${digit === undefined ? '' : ` (a ${digit})`}, ` +
      `row ${Math.floor(p / gridWidth) + 1}, column ${(p % gridWidth) + 1}<br>${words.pick} ${k}`;
  }
  const codeTrace = (used: boolean) => {
    const ks = counts.flatMap((c, k) => (c > 0 === used ? [k] : []));
    return {
      type: 'scatter',
      mode: 'markers',
      name: used ? words.codes : `${words.codes} picked by no output`,
      x: ks.map((k) => view.codebook[2 * k]!),
      y: ks.map((k) => view.codebook[2 * k + 1]!),
      customdata: ks.map((k) => [k, counts[k]!]),
      marker: used
        ? {
            color: ks.map((k) => codeColour(k, K)),
            size: 13,
            symbol: 'circle',
            line: { color: '#000000', width: 2 },
          }
        : { color: UNUSED_COLOUR, size: 13, symbol: 'diamond-open', line: { width: 2 } },
      hovertemplate: `code %{customdata[0]}<br>%{customdata[1]} of ${count(M)} outputs pick it<extra></extra>`,
    };
  };
  return [
    {
      // Up to 2,000 points: drawn on the chart's canvas (see CANVAS_TRACES), hovered by Plotly.
      type: 'scatter',
      mode: 'markers',
      name: words.encoder,
      showlegend: false,
      x: ex,
      y: ey,
      text: hover,
      marker: { color: colour, size: 4, opacity: 0.35 },
      hovertemplate: '%{text}<extra></extra>',
    },
    {
      // Its legend entry (a canvas-drawn trace has no SVG marker to show there).
      type: 'scatter',
      mode: 'markers',
      name: words.encoder,
      x: [null],
      y: [null],
      marker: { color: '#888888', size: 6, opacity: 0.6 },
      hoverinfo: 'skip',
    },
    codeTrace(true),
    ...(counts.includes(0) ? [codeTrace(false)] : []), // no empty legend entry
  ];
}

export interface CodebookViewPanelProps {
  heading: PanelHeading;
  traits: ModelTraits;
  state: TrainingState;
  settings: Settings;
  inspect: Inspect;
  codes: NonNullable<InspectCapabilities['codes']>;
}

export function CodebookViewPanel(props: CodebookViewPanelProps) {
  const { heading, traits, state, settings, inspect, codes } = props;
  const pick = traits.gumbel ? 'posterior' : 'nearest';
  const probes = Math.min(VIEW_PROBES, state.probeLabels?.length ?? 0);
  const key = `${state.runId}:${state.latestEval?.step ?? 'none'}`;
  const view = useInspection(
    inspect,
    'codebookView',
    probes > 0 ? { kind: 'codebookView', probes } : null,
    key,
  );
  const answer = view.answer;
  const counts = useMemo(() => (answer ? countsOf(answer) : null), [answer]);
  const words = WORDS[pick];
  const gridWidth = codes.gridWidth;
  const data = useMemo(
    () => (answer && counts ? traces(answer, counts, words, state.probeLabels, gridWidth) : []),
    [answer, counts, words, state.probeLabels, gridWidth],
  );
  const [v1, v2] = answer?.variance ?? [0, 0];
  const layout = useMemo(
    () => ({
      xaxis: { title: { text: answer ? `PC 1 (${percent(v1)} of variance)` : 'PC 1' } },
      yaxis: { title: { text: answer ? `PC 2 (${percent(v2)} of variance)` : 'PC 2' } },
      legend: { orientation: 'h', y: -0.2 },
      hovermode: 'closest',
      uirevision: 'codebook-view',
    }),
    [answer, v1, v2],
  );
  const K = answer?.codebookSize ?? codes.size;
  const M = answer?.codeOf.length ?? 0;
  const unused = counts?.filter((c) => c === 0).length ?? 0;
  const total = probes * codes.positions;
  const summary = answer
    ? `${K} ${words.codes} and ${count(M)} ${words.encoder} from ${probes} test digits` +
      ` (${codes.positions} positions each${M < total ? `; ${count(M)} of ${count(total)} shown` : ''}),` +
      ` on the principal components of both together: PC 1 explains ${percent(v1)} and PC 2` +
      ` ${percent(v2)} of the variance. ${unused} of ${K} codes ${unused === 1 ? 'is' : 'are'} the ${words.pick} of no output` +
      ` shown${unused > 0 ? ' (open diamonds)' : ''}.`
    : 'Waiting for the model.';
  return (
    <Panel {...heading}>
      <PlotlyChart
        testId="codebook-view"
        title="Code vectors and encoder outputs on two principal components"
        data={data}
        layout={layout}
        summary={summary}
        height={400}
        canvasTraces={CANVAS_TRACES}
      />
      <InspectionNote
        what="the codebook view"
        error={view.error}
        pending={view.pending}
        answered={answer !== null}
      />
      <p className="diag-caption">
        {pick === 'nearest'
          ? 'Each dot is the encoder output zₑ at one position of one test digit, coloured by its nearest code; each outlined circle is a code vector eₖ in the same colour. Training pulls the codes into the clouds of zₑ (codebook loss) and zₑ towards its code (commitment loss); a code far from every cloud is dead.'
          : 'Each dot is the expected embedding Σₖ q(k|x) eₖ at one position of one test digit, coloured by its most likely code; each outlined circle is an embedding row Eₖ. Where q(c|x) is confident a dot sits on its code; dots between codes are positions the encoder is unsure about.'}{' '}
        One PCA is fitted to the codes and the outputs together, so both share the plane; it keeps
        two of the {settings.codeDim} dimensions, so a dot may look closer to another code than to
        its own.
      </p>
    </Panel>
  );
}
