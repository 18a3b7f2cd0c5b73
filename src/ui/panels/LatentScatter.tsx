/** The latent space of the fixed probe digits, one colour per digit, with the prior's 1σ/2σ circles. */
import { useCallback, useMemo, useState } from 'react';
import type { ModelKind } from '../../models/catalog';
import type { ImageBatch } from '../../train/inspect-types';
import type { EvalResult } from '../../train/metrics';
import type { Inspect } from '../use-inspection';
import { ImageGrid } from './ImageGrid';
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

/** Two images side by side (a digit and its reconstruction, or one decoded point) with a caption. */
interface Preview {
  images: ImageBatch;
  caption: string;
}

export function LatentScatter({
  result,
  labels,
  model,
  inspect,
  drawnPoint = null,
  canDecode = false,
}: {
  result: EvalResult | null;
  labels: Uint8Array | null;
  model: ModelKind;
  inspect?: Inspect;
  /** The user's drawn digit in the plane (from the Draw panel), shown as a star. */
  drawnPoint?: [number, number] | null;
  /** The model decodes arbitrary plane points (continuous latent): clicks decode there. */
  canDecode?: boolean;
}) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);

  const onHoverPoint = useCallback(
    (hit: { curveNumber: number; pointIndex: number } | null) => {
      if (!hit || hit.curveNumber !== 0 || !inspect || !labels) return;
      const i = hit.pointIndex;
      inspect({ kind: 'encode', digit: { probe: i } }).then(
        (a) => {
          if (a.kind !== 'encode') return;
          const P = a.input.height * a.input.width;
          const pixels = new Float32Array(2 * P);
          pixels.set(a.input.pixels.subarray(0, P));
          pixels.set(a.reconstruction.pixels.subarray(0, P), P);
          setPreview({
            images: { ...a.input, count: 2, pixels },
            caption: `Test digit ${labels[i]} (probe ${i}) and its reconstruction, at (${a.point[0].toFixed(2)}, ${a.point[1].toFixed(2)}).`,
          });
          setPreviewError(null);
        },
        (err: unknown) => setPreviewError((err as Error).message),
      );
    },
    [inspect, labels],
  );

  const onPlotClick = useCallback(
    (x: number, y: number) => {
      if (!inspect || !canDecode) return;
      inspect({ kind: 'decodePoints', points: [x, y] }).then(
        (a) => {
          if (a.kind !== 'decodePoints') return;
          setPreview({
            images: a.images,
            caption: `Decoded at (${x.toFixed(2)}, ${y.toFixed(2)}), the point you clicked.`,
          });
          setPreviewError(null);
        },
        (err: unknown) => setPreviewError((err as Error).message),
      );
    },
    [inspect, canDecode],
  );
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
      ...(drawnPoint
        ? [
            {
              type: 'scatter',
              mode: 'markers',
              name: 'your digit',
              x: [drawnPoint[0]],
              y: [drawnPoint[1]],
              marker: {
                color: '#000',
                size: 16,
                symbol: 'star',
                line: { color: '#fff', width: 1 },
              },
              hovertemplate: 'your drawn digit<br>(%{x:.2f}, %{y:.2f})<extra></extra>',
            },
          ]
        : []),
    ];
  }, [result, labels, drawnPoint]);

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
  const drawn = drawnPoint
    ? ` Your drawn digit (star) is at (${drawnPoint[0].toFixed(2)}, ${drawnPoint[1].toFixed(2)}).`
    : '';
  const how = inspect
    ? ` Hover a point to see the digit and its reconstruction${canDecode ? '; click anywhere to decode that point' : ''}.`
    : '';
  return (
    <div className="latent-scatter">
      <PlotlyChart
        testId="latent-scatter"
        title="Latent space of held-out test digits"
        data={data}
        layout={layout}
        summary={summary + drawn + how}
        height={400}
        onHoverPoint={inspect ? onHoverPoint : undefined}
        onPlotClick={inspect && canDecode ? onPlotClick : undefined}
      />
      <div className="scatter-preview" data-testid="scatter-preview" aria-live="polite">
        {preview ? (
          <>
            <ImageGrid
              images={preview.images}
              columns={preview.images.count}
              label={preview.caption}
              scale={3}
            />
            <p className="chart-summary">{preview.caption}</p>
          </>
        ) : null}
        {previewError ? <p role="status">Could not decode: {previewError}</p> : null}
      </div>
    </div>
  );
}
