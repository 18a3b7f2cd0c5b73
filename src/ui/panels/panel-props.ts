/** What the lecture panels receive: their heading from the registry, and what the page shares. */
import type { ModelTraits } from '../../contracts/catalog';
import type { ImageBatch, InspectCapabilities } from '../../contracts/inspect';
import type { PanelId } from '../../contracts/panels';
import type { Settings } from '../../state/settings';
import type { TrainingState } from '../../state/training-store';
import type { Inspect } from '../use-inspection';
import type { Drawing, LiveStep } from './generative-digits';

/** A panel's heading as its registry row gives it: its id in `closed` links, title and width. */
export interface PanelHeading {
  id: PanelId;
  title: string;
  /** Spans the whole row of the panel grid. */
  wide?: boolean;
}

/** What every lecture panel may read from the page. */
export interface PanelPage {
  state: TrainingState;
  settings: Settings;
  inspect: Inspect;
  /** Change settings (e.g. the τ slider), exactly as a control would. */
  onSettings?: (next: Settings, key: keyof Settings) => void;
  /** The running model's catalog traits. */
  traits: ModelTraits;
  /** The questions the worker says the model answers; null until the model is built. */
  caps: InspectCapabilities | null;
  /** When to ask again (the run and its latest evaluation) and the step for captions. */
  live: LiveStep;
  /** The fixed probe digits as one batch, once the dataset is loaded. */
  probes: ImageBatch | null;
  /** The user's drawing, shared by every panel that can start from it ("my drawing"). */
  drawing: Drawing | null;
  onDrawing: (pixels: Float32Array | null) => void;
  /** The drawing's point in the latent plane, for the latent scatter. */
  drawnPoint: [number, number] | null;
  onDrawnPoint: (p: [number, number] | null) => void;
}
