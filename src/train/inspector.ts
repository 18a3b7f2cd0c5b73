/**
 * Answers the page's inspect questions (src/train/inspect-types.ts) about a trainer's model.
 * (Skeleton: the implementation is being written.)
 */
import type { InspectAnswer, InspectCapabilities, InspectQuery } from './inspect-types';
import type { Trainer } from './trainer';

export function capabilitiesOf(trainer: Trainer): InspectCapabilities {
  const m = trainer.model;
  return {
    latentDim: m.latentDim ?? 0,
    codes: m.codeLayout ?? null,
    gumbel: Boolean(m.codeLogits),
    preQuantised: Boolean(m.decodeContinuous),
  };
}

export async function inspect(trainer: Trainer, query: InspectQuery): Promise<InspectAnswer> {
  void trainer;
  throw new Error(`cannot answer ${query.kind} yet`);
}
