/**
 * The small part of Plotly's API we use, typed by hand (the partial bundle ships no types).
 */
import type { MarkerLayout } from './canvas-markers';

export type PlotData = Record<string, unknown>;
export type PlotLayout = Record<string, unknown>;
export type PlotConfig = Record<string, unknown>;

export interface PlotlyApi {
  react: (
    el: HTMLElement,
    data: PlotData[],
    layout: PlotLayout,
    config?: PlotConfig,
  ) => Promise<unknown>;
  purge: (el: HTMLElement) => void;
  register: (modules: unknown[]) => void;
  Plots: { resize: (el: HTMLElement) => Promise<unknown> };
}

/** The parts of Plotly's graph div we read for events (not in the public typings). */
export interface GraphDiv extends HTMLElement {
  on?: (
    event: string,
    handler: (e: { points?: { curveNumber: number; pointIndex: number }[] }) => void,
  ) => void;
  removeAllListeners?: (event: string) => void;
  /** The traces as last given to Plotly.react. */
  data?: PlotData[];
  _fullLayout?: MarkerLayout & {
    _size: { l: number; t: number; w: number; h: number };
    xaxis: { range: [number, number] };
    yaxis: { range: [number, number] };
  };
}
