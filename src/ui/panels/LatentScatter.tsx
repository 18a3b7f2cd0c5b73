/** The latent space of the fixed probe digits, one colour per digit, with the prior's 1σ/2σ circles. */
import { useMemo } from 'react';
import type { ModelKind } from '../../models/catalog';
import type { EvalResult } from '../../train/metrics';
import { DIGIT_COLOURS } from '../palette';
import { count } from '../format';
import { PlotlyChart } from '../plots/PlotlyChart';

function circle(r: number) {
  return {
    type: 'circle',
    xref: 'x',
    yref: 'y',
    x0: -r,
    y0: -r,
    x1: r,
    y1: r,
    line: { color: '#777', width: 1, dash: 'dash' },
    layer: 'below',
  };
}

export function LatentScatter({
  result,
  labels,
  model,
}: {
  result: EvalResult | null;
  labels: Uint8Array | null;
  model: ModelKind;
}) {
  const data = useMemo(() => {
    if (!result || !labels) return [];
    const n = labels.length;
    const x = new Array<number>(n);
    const y = new Array<number>(n);
    const colour = new Array<string>(n);
    const digit = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      x[i] = result.latent[2 * i]!;
      y[i] = result.latent[2 * i + 1]!;
      digit[i] = labels[i]!;
      colour[i] = DIGIT_COLOURS[labels[i]!]!;
    }
    // One WebGL trace for all points (one draw call per update) plus empty traces for the legend.
    return [
      {
        type: 'scattergl',
        mode: 'markers',
        name: 'test digits',
        showlegend: false,
        x,
        y,
        customdata: digit,
        marker: { color: colour, size: 4, opacity: 0.8 },
        hovertemplate: 'digit %{customdata}<br>(%{x:.2f}, %{y:.2f})<extra></extra>',
      },
      ...DIGIT_COLOURS.map((c, d) => ({
        type: 'scatter',
        mode: 'markers',
        name: String(d),
        x: [null],
        y: [null],
        marker: { color: c, size: 8 },
        hoverinfo: 'skip',
      })),
    ];
  }, [result, labels]);

  const pca = result?.latentKind === 'pca';
  // What a point is: a VAE's posterior mean (with the N(0, I) prior drawn), or an AE's code.
  const what = model === 'vae' ? 'posterior mean' : 'code';
  const prior = model === 'vae' && !pca;
  const layout = useMemo(
    () => ({
      xaxis: {
        title: { text: pca ? 'principal component 1' : `z₁ (${what})` },
        zeroline: false,
      },
      yaxis: {
        title: { text: pca ? 'principal component 2' : `z₂ (${what})` },
        zeroline: false,
        scaleanchor: 'x',
      },
      shapes: prior ? [circle(1), circle(2)] : [],
      legend: { title: { text: 'digit' } },
      uirevision: pca ? 'pca' : 'latent',
    }),
    [pca, what, prior],
  );
  const n = labels?.length ?? 0;
  const summary = result
    ? `${count(n)} test digits at step ${count(result.step)}, ${pca ? `projected on the first two principal components of their ${what}s` : `at their ${what}s`}${prior ? "; dashed circles: the prior's 1σ and 2σ" : ''}.`
    : 'Waiting for the first evaluation.';
  return (
    <PlotlyChart
      testId="latent-scatter"
      title="Latent space of held-out test digits"
      data={data}
      layout={layout}
      summary={summary}
      height={400}
    />
  );
}
