/**
 * The generative side of the model, one panel per view, each shown only for the models it
 * belongs to (from the worker's capabilities) and asked again at every evaluation:
 *   Manifold, Latent traversal      continuous latents (VAE, AE)
 *   Interpolation                   continuous latents and VQ-VAE (z_e before quantisation)
 *   Samples, Draw your own digit    every model
 * The user's drawing lives here so every panel can start from it ("my drawing").
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { DrawDigitPanel } from './DrawDigitPanel';
import { InterpolationPanel } from './InterpolationPanel';
import { ManifoldPanel } from './ManifoldPanel';
import type { PanelProps } from './panel-props';
import { SamplesPanel } from './SamplesPanel';
import { TraversalPanel } from './TraversalPanel';
import { probeBatch, type Drawing, type LiveStep } from './generative-digits';

export interface GenerativePanelsProps extends PanelProps {
  /**
   * The drawn digit's point in the latent plane (the scatter's coordinates), or null when
   * nothing is drawn or the model is being replaced; for showing it in the Latent space scatter.
   */
  onDrawnPoint?: (p: [number, number] | null) => void;
}

export function GenerativePanels({ state, inspect, onDrawnPoint }: GenerativePanelsProps) {
  const [drawing, setDrawing] = useState<Drawing | null>(null);
  const strokes = useRef(0); // never reused, so a new drawing always means a new question
  const onDrawing = useCallback((pixels: Float32Array | null) => {
    strokes.current += 1;
    setDrawing(pixels ? { pixels, version: strokes.current } : null);
  }, []);
  const h = state.dataset?.height ?? 28;
  const w = state.dataset?.width ?? 28;
  const probes = useMemo(
    () => (state.probeImages ? probeBatch(state.probeImages, h, w) : null),
    [state.probeImages, h, w],
  );

  const caps = state.capabilities;
  if (!caps) return null;
  const step = state.latestEval?.step ?? null;
  const live: LiveStep = { key: `${state.runId}:${step ?? 'init'}`, step };
  const labels = state.probeLabels;
  const continuous = caps.latentDim > 0;
  return (
    <>
      {continuous ? (
        <ManifoldPanel inspect={inspect} live={live} latentDim={caps.latentDim} />
      ) : null}
      <SamplesPanel inspect={inspect} live={live} />
      {continuous || caps.preQuantised ? (
        <InterpolationPanel
          inspect={inspect}
          live={live}
          probes={probes}
          labels={labels}
          drawing={drawing}
          preQuantised={caps.preQuantised}
        />
      ) : null}
      {continuous ? (
        <TraversalPanel
          inspect={inspect}
          live={live}
          latentDim={caps.latentDim}
          klPerDimension={state.latestEval?.diagnostics.klPerDimension}
          probeCount={probes?.count ?? 0}
          labels={labels}
          drawing={drawing}
        />
      ) : null}
      <DrawDigitPanel
        inspect={inspect}
        live={live}
        probes={probes}
        labels={labels}
        drawing={drawing}
        onDrawing={onDrawing}
        onDrawnPoint={onDrawnPoint}
      />
    </>
  );
}
