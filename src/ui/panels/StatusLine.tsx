/** One line of live numbers: step, epoch, throughput and the latest test −ELBO. */
import type { TrainingState } from '../training-store';
import { count, nats } from '../format';

export function StatusLine({ state }: { state: TrainingState }) {
  const testElbo = state.test.negElbo[state.test.negElbo.length - 1];
  const trainElbo = state.train.negElbo[state.train.negElbo.length - 1];
  return (
    <p className="status" data-testid="status" role="status" aria-live="off">
      {state.phase === 'starting' ? (
        state.loadingMessage
      ) : (
        <>
          <span>step {count(state.step)}</span> · <span>epoch {state.epoch + 1}</span> ·{' '}
          <span>{count(state.imagesPerSecond)} img/s</span> ·{' '}
          <span>train −ELBO {nats(trainElbo)} nats</span> ·{' '}
          <strong>test −ELBO {nats(testElbo)} nats</strong>
          <span className="unit-note">
            {' '}
            (per image: summed over 784 pixels, mean over images; test = 2,000 fixed held-out
            digits)
          </span>
        </>
      )}
    </p>
  );
}
