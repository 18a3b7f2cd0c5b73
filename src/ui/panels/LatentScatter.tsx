/** The latent space of the fixed probe digits, one colour per digit, with the prior's 1σ/2σ circles. */
import { useMemo } from 'react';
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
}: {
  result: EvalResult | null;
  labels: Uint8Array | null;
}) {
  const data = useMemo(() => {
    if (!result || !labels) return [];
    const xs: number[][] = DIGIT_COLOURS.map(() => []);
    const ys: number[][] = DIGIT_COLOURS.map(() => []);
    for (let i = 0; i < labels.length; i++) {
      const d = labels[i]!;
      xs[d]!.push(result.latent[2 * i]!);
      ys[d]!.push(result.latent[2 * i + 1]!);
    }
    return DIGIT_COLOURS.map((colour, d) => ({
      type: 'scattergl',
      mode: 'markers',
      name: String(d),
      x: xs[d],
      y: ys[d],
      marker: { color: colour, size: 4, opacity: 0.8 },
      hovertemplate: `digit ${d}<br>(%{x:.2f}, %{y:.2f})<extra></extra>`,
    }));
  }, [result, labels]);

  const pca = result?.latentKind === 'pca';
  const layout = useMemo(
    () => ({
      xaxis: {
        title: { text: pca ? 'principal component 1' : 'z₁ (posterior mean)' },
        zeroline: false,
      },
      yaxis: {
        title: { text: pca ? 'principal component 2' : 'z₂ (posterior mean)' },
        zeroline: false,
        scaleanchor: 'x',
      },
      shapes: pca ? [] : [circle(1), circle(2)],
      legend: { title: { text: 'digit' } },
      uirevision: pca ? 'pca' : 'latent',
    }),
    [pca],
  );
  const n = labels?.length ?? 0;
  const summary = result
    ? `${count(n)} test digits at step ${count(result.step)}, ${pca ? 'projected on the first two principal components of their posterior means' : 'at their posterior means'}; dashed circles: the prior's 1σ and 2σ.`
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
