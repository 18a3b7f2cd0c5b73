/**
 * The small part of Plotly's API we use, typed by hand (the partial bundle ships no types).
 */
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
