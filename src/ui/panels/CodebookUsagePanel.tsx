/**
 * Codebook use (VQ-VAE, dVAE, categorical VAE): how often the test digits' positions pick each
 * code, the perplexity now and over training with dead-code restarts marked, and (VQ-VAE) the
 * straight-through estimator that trains through the quantiser.
 */
import { useMemo } from 'react';
import type { ModelTraits } from '../../contracts/catalog';
import type { Settings } from '../../state/settings';
import type { InspectCapabilities } from '../../contracts/inspect';
import { codeColour } from '../code-palette';
import { restartMarks, usageByCount, usageSummary } from '../code-usage';
import { perplexityValue } from '../diagnostic-format';
import { straightThroughTex } from '../tex/mechanism-tex';
import { lineMode } from '../plots/line-mode';
import { PlotlyChart } from '../plots/PlotlyChart';
import type { TrainingState } from '../../state/training-store';
import { TexBlock } from '../tex/TexBlock';
import type { PanelHeading } from './panel-props';
import { Panel } from './Panel';

type Codes = NonNullable<InspectCapabilities['codes']>;

const last = (v: number[] | undefined) => v?.[v.length - 1];

function UsageChart({ usage }: { usage: number[] | null }) {
  const K = usage?.length ?? 0;
  const data = useMemo(() => {
    if (!usage) return [];
    const sorted = usageByCount(usage);
    return [
      {
        type: 'bar',
        name: 'positions',
        x: sorted.map((c) => `code ${c.code}`),
        y: sorted.map((c) => c.count),
        marker: { color: sorted.map((c) => codeColour(c.code, usage.length)) },
        hovertemplate: '%{x}: %{y} positions<extra></extra>',
      },
    ];
  }, [usage]);
  const layout = useMemo(
    () => ({
      xaxis: {
        title: { text: 'codes, most used first' },
        type: 'category',
        showticklabels: K <= 32,
        automargin: true,
      },
      yaxis: { title: { text: 'positions' }, rangemode: 'tozero' },
      showlegend: false,
      bargap: K > 64 ? 0 : 0.1,
      uirevision: 'usage',
    }),
    [K],
  );
  return (
    <PlotlyChart
      testId="codebook-usage"
      title="Code usage on the test digits"
      data={data}
      layout={layout}
      summary={usage ? usageSummary(usage) : 'Waiting for the first evaluation.'}
      height={230}
    />
  );
}

function PerplexityHistoryChart({ state, K }: { state: TrainingState; K: number }) {
  const h = state.diagnosticsHistory;
  const marks = useMemo(() => restartMarks(state.events), [state.events]);
  const data = useMemo(() => {
    const perplexity = h.terms.perplexity ?? [];
    const used = h.terms.codesUsed ?? [];
    const top = Math.max(1, ...used, ...perplexity);
    const traces: Record<string, unknown>[] = [
      {
        type: 'scatter',
        mode: lineMode(h.steps.length),
        name: 'codes used',
        x: h.steps,
        y: used,
        line: { color: '#009E73', width: 2 },
        marker: { size: 5, symbol: 'square' },
      },
      {
        type: 'scatter',
        mode: lineMode(h.steps.length),
        name: 'perplexity',
        x: h.steps,
        y: perplexity,
        line: { color: '#0072B2', width: 2 },
        marker: { size: 5 },
      },
    ];
    // Restarts (VQ-VAE only) as markers at the top; dotted lines down the chart are shapes.
    if (marks.steps.length > 0)
      traces.push({
        type: 'scatter',
        mode: 'markers',
        name: 'dead-code restart',
        x: marks.steps,
        y: marks.steps.map(() => top * 1.05),
        text: marks.texts,
        marker: { color: '#D55E00', size: 9, symbol: 'triangle-down' },
        hovertemplate: '%{text}<extra></extra>',
      });
    return traces;
  }, [h, marks]);
  const layout = useMemo(
    () => ({
      xaxis: { title: { text: 'training step' }, rangemode: 'tozero' },
      yaxis: { title: { text: `codes (of ${K})` }, rangemode: 'tozero' },
      shapes: marks.steps.map((s) => ({
        type: 'line',
        xref: 'x',
        yref: 'paper',
        x0: s,
        x1: s,
        y0: 0,
        y1: 1,
        line: { color: '#D55E00', width: 1, dash: 'dot' },
        layer: 'below',
      })),
      legend: { orientation: 'h', y: -0.3 },
      uirevision: 'perplexity',
    }),
    [K, marks],
  );
  const n = marks.steps.length;
  const summary =
    h.steps.length === 0
      ? 'No evaluations yet.'
      : `Over ${h.steps.length} evaluations: perplexity now ${perplexityValue(last(h.terms.perplexity))}` +
        ` and ${last(h.terms.codesUsed) ?? '–'} codes used of ${K}; ` +
        (n === 0
          ? 'no dead-code restarts.'
          : `${n} dead-code restart${n === 1 ? '' : 's'}, the last at step ${marks.steps[n - 1]!.toLocaleString('en')}.`);
  return (
    <PlotlyChart
      testId="codebook-history"
      title="Perplexity and codes used over training"
      data={data}
      layout={layout}
      summary={summary}
      height={230}
    />
  );
}

export function CodebookUsagePanel({
  heading,
  traits,
  state,
  settings,
  codes,
}: {
  heading: PanelHeading;
  traits: ModelTraits;
  state: TrainingState;
  settings: Settings;
  codes: Codes;
}) {
  const d = state.latestEval?.diagnostics;
  const usage = d?.codeUsage ?? null;
  const K = usage?.length ?? codes.size;
  // A codebook picked by nearest neighbour, not sampled (VQ-VAE): its gradient is straight-through.
  const nearestCode = traits.codebook && !traits.gumbel;
  const st = nearestCode
    ? straightThroughTex({
        gridHeight: codes.gridHeight,
        gridWidth: codes.gridWidth,
        codebookSize: K,
        codeDim: settings.codeDim,
        perplexity: d?.perplexity,
      })
    : null;
  return (
    <Panel {...heading}>
      <p className="diag-readout">
        <strong data-testid="perplexity" className="diag-value">
          {perplexityValue(d?.perplexity)}
        </strong>{' '}
        <span>perplexity (of {K} codes)</span>
        <span className="diag-sep"> · </span>
        <span>
          {d?.codesUsed ?? '–'} codes used, {d?.deadCodes ?? '–'} unused on the test digits
        </span>
      </p>
      <div className="diag-cols">
        <div>
          <UsageChart usage={usage} />
          <p className="diag-caption">
            Perplexity = exp(entropy of the code histogram): the number of codes in effective use,
            from 1 (one code everywhere) to {K} (all equally often). Each of the {codes.positions}{' '}
            positions of every test digit counts once.
          </p>
        </div>
        <PerplexityHistoryChart state={state} K={K} />
      </div>
      {st ? <TexBlock tex={st.tex} text={st.text} testId="straight-through-math" /> : null}
    </Panel>
  );
}
