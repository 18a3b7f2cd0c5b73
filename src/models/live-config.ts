/**
 * The one way a model takes settings that change while it trains: the settings its catalog row
 * reads that the settings table marks live (contracts/settings.ts), copied into its config. The
 * model reads its config at every step, so the new values apply from the next step on.
 * tests/unit/live-settings.test.ts checks each such setting's effect on every model.
 */
import type { ModelKind } from '../contracts/catalog';
import type { TrainConfig } from '../contracts/config';
import { liveSettingsOf } from '../contracts/settings';

/** `current` with the live settings `kind` reads taken from `next` (the fields `current` has). */
export function withLiveSettings<C extends object>(
  kind: ModelKind,
  current: C,
  next: TrainConfig,
): C {
  const out = { ...current } as Record<string, unknown>;
  for (const k of liveSettingsOf(kind)) if (Object.hasOwn(out, k)) out[k] = next[k];
  return out as C;
}
