/**
 * Inference by optimisation and restoration (lazy-loaded): pick a digit, optionally erase part of
 * it (a quadrant, a band, random pixels, or by hand), and watch Adam find a code for the visible
 * pixels with the decoder frozen: the loss per step next to the encoder's one-shot loss, the
 * reconstruction as it forms, and for continuous latents the code's path across the plane.
 */
import { useMemo, useState } from 'react';
import { QUADRANT_NAMES, visibleMask, type MaskSpec } from '../../../core/digit-masks';
import type { InferenceCodes, InferSpec } from '../../../contracts/inspect';
import type { ImageBatch } from '../../../contracts/inspect';
import { sendSignal } from '../../lessons/signals';
import type { Inspect } from '../../use-inspection';
import { DigitSelect } from '../DigitSelect';
import { choiceName, singleImage, type DigitChoice, type Drawing } from '../generative-digits';
import { ImageGrid } from '../ImageGrid';
import { CodePath } from './CodePath';
import { EraserPad } from './EraserPad';
import { LossCurve } from './LossCurve';
import { firstStepAtOrBelow, useInferenceRun } from './use-inference-run';
import './infer.css';

export interface InferencePanelProps {
  inspect: Inspect;
  codes: InferenceCodes;
  probes: ImageBatch | null;
  labels: Uint8Array | null;
  drawing: Drawing | null;
}

type MaskChoice = 'none' | 'q0' | 'q1' | 'q2' | 'q3' | 'band' | 'random' | 'hand';

const MASK_OPTIONS: [MaskChoice, string][] = [
  ['none', 'nothing (plain inference)'],
  ...QUADRANT_NAMES.map((name, i): [MaskChoice, string] => [
    `q${i}` as MaskChoice,
    `the ${name} quadrant`,
  ]),
  ['band', 'a band (rows 10 to 17)'],
  ['random', 'random pixels (60 %)'],
  ['hand', 'by hand (eraser)'],
];

const STEP_CHOICES = [100, 300, 1000, 3000];

function maskSpec(choice: MaskChoice, hand: Uint8Array): MaskSpec {
  if (choice === 'none') return { kind: 'none' };
  if (choice === 'band') return { kind: 'band', top: 10, rows: 8 };
  if (choice === 'random') return { kind: 'random', fraction: 0.6, seed: 7 };
  if (choice === 'hand') return { kind: 'pixels', visible: hand };
  return { kind: 'quadrant', which: Number(choice[1]) as 0 | 1 | 2 | 3 };
}

const CODE_WORDS: Record<InferenceCodes['kind'], string> = {
  continuous: 'the latent code z',
  'pre-quantised': 'z_e, the encoder output before quantisation (decoded unquantised)',
  categorical: 'logits at every position (decoded through their softmax)',
};

export default function InferencePanel({
  inspect,
  codes,
  probes,
  labels,
  drawing,
}: InferencePanelProps) {
  const [digit, setDigit] = useState<DigitChoice>(0);
  const [mask, setMask] = useState<MaskChoice>('none');
  const [start, setStart] = useState<InferSpec['start']>('zero');
  const [loss, setLoss] = useState<InferSpec['loss']>('squared');
  const [relax, setRelax] = useState<InferSpec['relax']>('soft');
  const [rate, setRate] = useState(0.05);
  const [steps, setSteps] = useState(300);
  const h = probes?.height ?? 28;
  const w = probes?.width ?? 28;
  const [hand, setHand] = useState(() => new Uint8Array(h * w).fill(1));
  const { view, run, stop } = useInferenceRun(inspect);

  const pixels = useMemo(() => {
    if (digit === 'drawing') return drawing?.pixels ?? null;
    return probes ? probes.pixels.slice(digit * h * w, (digit + 1) * h * w) : null;
  }, [digit, drawing, probes, h, w]);
  const ref =
    digit === 'drawing' ? (drawing ? { pixels: drawing.pixels } : null) : { probe: digit };

  const onRun = () => {
    if (!ref) return;
    sendSignal(mask === 'none' ? 'inference-run' : 'restoration-run');
    void run(
      { digit: ref, mask: maskSpec(mask, hand), start, loss, learningRate: rate, relax, seed: 1 },
      steps,
    );
  };

  const latest = view.latest;
  const encoderLoss = latest?.encoder?.loss ?? null;
  const matched = encoderLoss !== null ? firstStepAtOrBelow(view.losses, encoderLoss) : null;
  const damaged = useMemo(() => {
    if (!pixels || mask === 'none') return null;
    const m = visibleMask(maskSpec(mask, hand), h, w);
    return singleImage(
      Float32Array.from(pixels, (v, p) => v * m[p]!),
      h,
      w,
    );
  }, [pixels, mask, hand, h, w]);
  const name = choiceName(digit, labels);

  const tiles: { key: string; label: string; image: ImageBatch | null }[] = [
    {
      key: 'input',
      label: mask === 'none' ? 'input' : 'damaged input',
      image: latest?.input ?? damaged ?? (pixels ? singleImage(pixels, h, w) : null),
    },
    {
      key: 'recon',
      label: `found code, step ${latest?.step ?? 0}`,
      image: latest?.reconstruction ?? null,
    },
  ];
  if (latest?.discrete)
    tiles.push({
      key: 'discrete',
      label: latest.discreteLabel ?? 'discrete',
      image: latest.discrete,
    });
  if (latest?.encoder)
    tiles.push({ key: 'encoder', label: "encoder's code (one shot)", image: latest.encoder.image });
  if (mask !== 'none')
    tiles.push({
      key: 'original',
      label: 'original',
      image: latest?.original ?? (pixels ? singleImage(pixels, h, w) : null),
    });

  return (
    <div className="infer-panel" data-testid="infer-panel">
      <p className="hint">
        Adam moves {CODE_WORDS[codes.kind]} ({codes.size} numbers) to lower the reconstruction loss
        of the visible pixels; the decoder stays as trained.
        {codes.encoder
          ? ' The encoder gives a code in one shot (amortised inference) to compare with.'
          : ' This model has no encoder: optimisation is its only way to a code.'}
      </p>
      <div className="fields gen-fields">
        <DigitSelect
          label="Digit"
          value={digit}
          onChange={setDigit}
          probeCount={probes?.count ?? 0}
          labels={labels}
          hasDrawing={drawing !== null}
        />
        <label className="field">
          Erase
          <select
            value={mask}
            onChange={(e) => setMask(e.target.value as MaskChoice)}
            data-testid="infer-mask"
          >
            {MASK_OPTIONS.map(([v, text]) => (
              <option key={v} value={v}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Start from
          <select value={start} onChange={(e) => setStart(e.target.value as InferSpec['start'])}>
            <option value="zero">
              {codes.kind === 'categorical' ? 'uniform (zero logits)' : 'zero'}
            </option>
            <option value="random">random N(0, I)</option>
            {codes.encoder ? <option value="encoder">the encoder's code</option> : null}
          </select>
        </label>
        <label className="field">
          Loss
          <select value={loss} onChange={(e) => setLoss(e.target.value as InferSpec['loss'])}>
            <option value="squared">squared error</option>
            <option value="bernoulli">Bernoulli cross-entropy (nats)</option>
          </select>
        </label>
        {codes.kind === 'categorical' ? (
          <label className="field">
            Decode codes as
            <select value={relax} onChange={(e) => setRelax(e.target.value as InferSpec['relax'])}>
              <option value="soft">softmax (relaxed)</option>
              <option value="straight-through">one-hot, straight-through gradient</option>
            </select>
          </label>
        ) : null}
        <label className="field">
          Step size
          <input
            type="number"
            min={0.001}
            max={1}
            step={0.005}
            value={rate}
            onChange={(e) => setRate(Math.min(1, Math.max(0.001, Number(e.target.value) || 0.05)))}
          />
        </label>
        <label className="field">
          Steps
          <select value={steps} onChange={(e) => setSteps(Number(e.target.value))}>
            {STEP_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {view.running ? (
          <button type="button" onClick={stop} data-testid="infer-stop">
            Stop
          </button>
        ) : (
          <button type="button" onClick={onRun} disabled={!ref} data-testid="infer-run">
            Run inference
          </button>
        )}
      </div>
      {mask === 'hand' ? (
        <EraserPad pixels={pixels} height={h} width={w} visible={hand} onChange={setHand} />
      ) : null}
      <div className="infer-tiles" aria-busy={view.running}>
        {tiles.map((t) => (
          <figure key={t.key} className="gen-figure infer-tile">
            <ImageGrid
              images={t.image}
              columns={1}
              scale={3}
              label={`${t.label} of ${name}`}
              testId={`infer-${t.key}`}
            />
            <figcaption>{t.label}</figcaption>
          </figure>
        ))}
      </div>
      <div className="infer-charts">
        <LossCurve losses={view.losses} encoder={encoderLoss} unit={latest?.unit ?? 'per image'} />
        {latest?.axes ? (
          <CodePath path={view.path} encoder={latest.encoder?.point ?? null} axes={latest.axes} />
        ) : null}
      </div>
      <p className="chart-summary" data-testid="infer-summary">
        {latest
          ? `${name}, step ${latest.step}` +
            (encoderLoss !== null
              ? matched !== null
                ? `: inference matched the encoder's loss at step ${matched}.`
                : ": inference has not yet matched the encoder's loss."
              : '.') +
            (latest.erasedError !== null
              ? ` Squared error on the erased pixels (against the original): ${latest.erasedError.toFixed(2)}.`
              : '')
          : 'Press "Run inference" to start.'}
      </p>
      <p className="gen-status gen-error" role="status">
        {view.error ?? ''}
      </p>
    </div>
  );
}
