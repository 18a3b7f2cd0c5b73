/** One line of live numbers: step, epoch, throughput and the latest train and test headline term. */
import { MODEL_CATALOG } from '../../contracts/catalog';
import type { TrainingState } from '../../state/training-store';
import { count, nats } from '../format';
import { MemoryLine } from '../panels/MemoryLine';

const SCHEDULE_LABELS: Record<string, string> = { klWeight: 'KL weight', tau: 'τ' };

export function StatusLine({ state }: { state: TrainingState }) {
  const { headline, unit } = MODEL_CATALOG[state.model];
  // Nats unless the model's terms are in another unit (PCA, k-means: squared error).
  const unitWord = unit ? '' : ' nats';
  const latest = (values: number[] | undefined) => values?.[values.length - 1];
  const schedule = Object.entries(state.schedule)
    .filter(([k]) => k !== 'beta')
    .map(([k, v]) => `${SCHEDULE_LABELS[k] ?? k} ${Number(v.toPrecision(3))}`);
  return (
    <>
      <p className="status" data-testid="status" role="status" aria-live="off">
        {state.phase === 'starting' ? (
          state.loadingMessage
        ) : (
          <>
            <span>step {count(state.step)}</span> · <span>epoch {state.epoch + 1}</span> ·{' '}
            <span>{count(state.imagesPerSecond)} img/s</span> ·{' '}
            <span>
              train {headline.label} {nats(latest(state.train.terms[headline.key]))}
              {unitWord}
            </span>{' '}
            ·{' '}
            <strong>
              test {headline.label} {nats(latest(state.test.terms[headline.key]))}
              {unitWord}
            </strong>
            {schedule.length ? <span> · {schedule.join(' · ')}</span> : null}
            <span className="unit-note">
              {' '}
              (per image: summed over 784 pixels, mean over images; test = 2,000 fixed held-out
              digits)
            </span>
          </>
        )}
      </p>
      <MemoryLine memory={state.memory} />
    </>
  );
}
