/**
 * The latent space of the fixed probe digits, one colour per digit, with the prior's 1σ/2σ
 * circles. Hovering a point shows that digit and its reconstruction at once: the page keeps every
 * probe digit's reconstruction (one `probeReconstructions` answer, asked again at most once per
 * evaluation while someone hovers), so a hover never waits for the training worker.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { ModelTraits } from '../../contracts/catalog';
import type { ImageBatch, InspectAnswer } from '../../contracts/inspect';
import type { EvalResult } from '../../contracts/metrics';
import type { Inspect } from '../use-inspection';
import { ImageGrid } from './ImageGrid';
import { DIGIT_COLOURS } from '../palette';
import { count } from '../format';
import { PlotlyChart } from '../plots/PlotlyChart';
import { sendSignal } from '../lessons/signals';

/** The probe digits' trace (index 0) is drawn on the chart's canvas. */
const CANVAS_TRACES = [0];

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

type ProbeImages = Extract<InspectAnswer, { kind: 'probeReconstructions' }>;

/** Probe i and its reconstruction as one two-image batch (grey levels → intensities). */
function probePair(a: ProbeImages, i: number): ImageBatch {
  const P = a.height * a.width;
  const pixels = new Float32Array(2 * P);
  for (let p = 0; p < P; p++) {
    pixels[p] = a.inputs[i * P + p]! / 255;
    pixels[P + p] = a.reconstructions[i * P + p]! / 255;
  }
  return { count: 2, height: a.height, width: a.width, pixels };
}

export const LatentScatter = memo(function LatentScatter({
  result,
  labels,
  traits,
  runId = 0,
  inspect,
  drawnPoint = null,
  canDecode = false,
}: {
  result: EvalResult | null;
  labels: Uint8Array | null;
  /** The model's catalog traits: what a point is (a posterior mean or a code) and the prior. */
  traits: ModelTraits;
  /** The run on screen: kept reconstructions of another run are never shown. */
  runId?: number;
  inspect?: Inspect;
  /** The user's drawn digit in the plane (from the Draw panel), shown as a star. */
  drawnPoint?: [number, number] | null;
  /** The model decodes arbitrary plane points (continuous latent): clicks decode there. */
  canDecode?: boolean;
}) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  /** Every probe digit and its reconstruction, as last answered for run `runId`. */
  const kept = useRef<{ runId: number; answer: ProbeImages } | null>(null);
  /** The run whose answer is on its way (one question at a time). */
  const asking = useRef<number | null>(null);
  /** The probe digit the latest hover showed (null after a click decoded a point instead). */
  const hovered = useRef<number | null>(null);
  /** What the handlers below read: this render's props. */
  const now = useRef({ result, labels, runId, inspect });
  useEffect(() => {
    now.current = { result, labels, runId, inspect };
  });

  /** Shows probe i from the kept answer (true), or says there is none for this run yet. */
  const showProbe = useCallback((i: number, sync: boolean): boolean => {
    const { result: r, labels: l, runId: id } = now.current;
    const k = kept.current;
    if (!k || k.runId !== id || !l || !r || i >= k.answer.count) return false;
    const x = r.latent[2 * i] ?? NaN;
    const y = r.latent[2 * i + 1] ?? NaN;
    const next: Preview = {
      images: probePair(k.answer, i),
      caption: `Test digit ${l[i]} (probe ${i}) and its reconstruction at step ${count(k.answer.step)}, at (${x.toFixed(2)}, ${y.toFixed(2)}).`,
    };
    const update = () => {
      setPreview(next);
      setPreviewError(null);
    };
    // From a hover: drawn before this event's task ends, so the next frame shows it.
    if (sync) flushSync(update);
    else update();
    return true;
  }, []);

  /** Asks for every probe's reconstruction unless the kept ones are as new as the scatter. */
  const refresh = useCallback(() => {
    const { result: r, runId: id, inspect: ask } = now.current;
    if (!ask || !r) return;
    const k = kept.current;
    if (k && k.runId === id && k.answer.step >= r.step) return;
    if (asking.current === id) return;
    asking.current = id;
    ask({ kind: 'probeReconstructions' }).then(
      (a) => {
        asking.current = null;
        if (a.kind !== 'probeReconstructions' || now.current.runId !== id) return;
        kept.current = { runId: id, answer: a };
        // The digit under the pointer (or the one shown) again, from the newer reconstructions.
        if (hovered.current !== null) showProbe(hovered.current, false);
      },
      (err: unknown) => {
        asking.current = null;
        setPreviewError((err as Error).message);
      },
    );
  }, [showProbe]);

  const onHoverPoint = useCallback(
    (hit: { curveNumber: number; pointIndex: number } | null) => {
      if (!hit || hit.curveNumber !== 0 || !inspect || !labels) return;
      hovered.current = hit.pointIndex;
      showProbe(hit.pointIndex, true);
      refresh();
    },
    [inspect, labels, showProbe, refresh],
  );

  const onPlotClick = useCallback(
    (x: number, y: number) => {
      if (!inspect || !canDecode) return;
      sendSignal('latent-clicked');
      hovered.current = null; // the decoded point stays shown, even when newer probes arrive
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
    // One trace for all points, its markers drawn on a canvas (canvasTraces below: thousands of
    // SVG markers are slow to redraw and to composite), plus the legend's colour key.
    return [
      {
        type: 'scatter',
        mode: 'markers',
        name: 'test digits',
        showlegend: false,
        x,
        y,
        customdata: digit,
        marker: { color: colour, size: 4, opacity: 0.8 },
        hovertemplate: 'digit %{customdata}<br>(%{x:.2f}, %{y:.2f})<extra></extra>',
      },
      // The digits' colour key (an entry each in the HTML legend; nothing for Plotly to draw).
      ...DIGIT_COLOURS.map((c, d) => ({
        type: 'scatter',
        mode: 'markers',
        name: String(d),
        legendOnly: true,
        marker: { color: c, size: 8 },
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
  // What a point is: the mean of a Gaussian posterior (a continuous latent with a KL to the
  // N(0, I) prior, which is drawn: the VAE), or a code (AE, discrete models).
  const gaussianPosterior = traits.latent === 'continuous' && traits.kl;
  const what = gaussianPosterior ? 'posterior mean' : 'code';
  const prior = gaussianPosterior && !pca;
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
    // Entering the chart asks for the reconstructions, so the first hover finds them kept.
    <div className="latent-scatter" onPointerEnter={inspect ? refresh : undefined}>
      <PlotlyChart
        testId="latent-scatter"
        title="Latent space of held-out test digits"
        data={data}
        layout={layout}
        summary={summary + drawn + how}
        height={400}
        onHoverPoint={inspect ? onHoverPoint : undefined}
        onPlotClick={inspect && canDecode ? onPlotClick : undefined}
        canvasTraces={CANVAS_TRACES}
        // The points move a little at every evaluation: the axes stay put until they leave.
        steadyAxes
        htmlLegend="key"
        legendTitle="digit"
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
});
