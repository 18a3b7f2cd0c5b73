/**
 * The prior over codes, generating (lazy-loaded by the registry):
 *   "Generate"   n grids of 7×7 codes drawn token by token in raster order from the learned prior,
 *                given a digit (or "any"), a temperature and a top-k; each partial grid decoded as
 *                it grows (the frames play once), beside n grids of uniformly random codes.
 *   "Attention"  one generated grid, one position: what each head of each layer looked at among
 *                the class token and the positions before it (left of it and above it).
 * The answer comes from src/train/inspect/prior.ts.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ImageBatch } from '../../contracts/inspect';
import type { Inspect } from '../use-inspection';
import { useInspection } from '../use-inspection';
import { sendSignal } from '../lessons/signals';
import { GenerativeStatus } from './GenerativeStatus';
import { ImageGrid } from './ImageGrid';
import type { LiveStep } from './generative-digits';
import type { PanelHeading } from './panel-props';
import { Panel } from './Panel';

const COUNT = 8;
/** Milliseconds per drawn token while the frames play. */
const FRAME_MS = 40;
const TEMPERATURES = [0.5, 0.7, 0.8, 0.9, 1, 1.2, 1.5];
const TOP_KS = [0, 1, 2, 5, 10, 20, 50];
/** Classifier-free guidance w: 0 is the prior itself; 1 (the default) sharpens towards the class. */
const GUIDANCES = [0, 0.5, 1, 2, 3];

export interface GeneratePanelProps {
  heading: PanelHeading;
  inspect: Inspect;
  live: LiveStep;
  /** The run: a new run asks again. */
  runId: number;
  /** Class tokens the prior knows (0: unconditional). */
  classes: number;
  grid: { gridHeight: number; gridWidth: number; size: number };
}

/** Images [a·n, (a+1)·n) of a batch, as their own batch (no copy). */
function frameOf(batch: ImageBatch, frame: number, n: number): ImageBatch {
  const P = batch.height * batch.width;
  return { ...batch, count: n, pixels: batch.pixels.subarray(frame * n * P, (frame + 1) * n * P) };
}

/** A number per answer object (0 for none), for keys that change when the answer does. */
const answerIds = new WeakMap<object, number>();
let nextAnswerId = 1;
function answerId(answer: object | null): number {
  if (!answer) return 0;
  let id = answerIds.get(answer);
  if (id === undefined) {
    id = nextAnswerId++;
    answerIds.set(answer, id);
  }
  return id;
}

const reducedMotion = () =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

export default function GeneratePanel(p: GeneratePanelProps) {
  const { heading, inspect, classes, grid } = p;
  const positions = grid.gridHeight * grid.gridWidth;
  const [label, setLabel] = useState<number | null>(classes > 0 ? 7 : null);
  const [temperature, setTemperature] = useState(1);
  const [topK, setTopK] = useState(0);
  const [guidance, setGuidance] = useState(classes > 0 ? 1 : 0);
  const [seed, setSeed] = useState(1);
  const gen = useInspection(
    inspect,
    'generate',
    { kind: 'generate', label, count: COUNT, temperature, topK, guidance, seed },
    `${p.runId}|${label}|${temperature}|${topK}|${guidance}|${seed}`,
  );
  const answer = gen.answer;
  // Play the frames once per answer: frame t shows the first t codes drawn. A new answer starts
  // at frame 1 (all of it at once under reduced motion); the timer moves the frame on.
  const [played, setPlayed] = useState<{ of: object | null; t: number }>({ of: null, t: 1 });
  const shown = !answer || reducedMotion() ? positions : played.of === answer ? played.t : 1;
  useEffect(() => {
    if (!answer || reducedMotion()) return;
    let t = 1;
    const timer = setInterval(() => {
      t += 1;
      setPlayed({ of: answer, t: Math.min(t, positions) });
      if (t >= positions) clearInterval(timer);
    }, FRAME_MS);
    return () => clearInterval(timer);
  }, [answer, positions]);

  const [sample, setSample] = useState(0);
  const [row, setRow] = useState(3);
  const [col, setCol] = useState(3);
  const codes = useMemo(
    () =>
      answer
        ? Array.from(answer.codes.subarray(sample * positions, (sample + 1) * positions))
        : null,
    [answer, sample, positions],
  );
  const att = useInspection(
    inspect,
    'attention',
    codes ? { kind: 'attention', codes, label: answer?.label ?? null } : null,
    // Asked again for each new answer (its grids, its class token), not when the question changes:
    // until the new grids come, the codes are still the old ones.
    `${p.runId}|${answerId(answer)}|${sample}`,
  );
  // Drawing code t, the model reads sequence positions 0 … t: the class token, then codes 0 … t − 1.
  const query = row * grid.gridWidth + col;
  const maps = useMemo(() => attentionMaps(att.answer, query, grid), [att.answer, query, grid]);

  // The text describes the grids on screen (the answer's own question), not a newer one pending.
  const describe = (a: NonNullable<typeof answer>) => {
    const asked = a.label === null ? 'any digit' : `the digit ${a.label}`;
    const k = a.topK === 0 ? `all ${grid.size} codes` : `the ${a.topK} most likely codes`;
    return `${COUNT} grids of ${grid.gridHeight}×${grid.gridWidth} codes drawn from the learned prior for ${asked}, at temperature ${a.temperature} from ${k}${a.guidance > 0 && a.label !== null ? ` with guidance ${a.guidance} (logits pushed away from the "any" token's)` : ''}, ${shown} of ${positions} tokens drawn (not yet drawn: code ${a.fill}, the commonest, mostly background). Step ${p.live.step ?? 0}, seed ${a.seed}.`;
  };
  const genText = answer ? describe(answer) : 'Samples appear once the prior answers.';
  const uniText = `${COUNT} grids of codes drawn uniformly at random, decoded by the same tokenizer: what the tokenizer gives without a prior.`;
  return (
    <Panel {...heading}>
      <div className="buttons gen-fields">
        <label className="field">
          Digit
          <select
            data-testid="prior-class"
            value={label === null ? 'any' : String(label)}
            onChange={(e) => {
              setLabel(e.target.value === 'any' ? null : Number(e.target.value));
              sendSignal('prior-class-chosen');
            }}
          >
            <option value="any">any</option>
            {Array.from({ length: classes }, (_, c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Temperature
          <select
            data-testid="prior-temperature"
            value={temperature}
            onChange={(e) => setTemperature(Number(e.target.value))}
          >
            {TEMPERATURES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Top-k
          <select
            data-testid="prior-topk"
            value={topK}
            onChange={(e) => setTopK(Number(e.target.value))}
          >
            {TOP_KS.filter((t) => t <= grid.size).map((t) => (
              <option key={t} value={t}>
                {t === 0 ? 'all' : t}
              </option>
            ))}
          </select>
        </label>
        {classes > 0 && (
          <label className="field">
            Guidance
            <select
              data-testid="prior-guidance"
              value={guidance}
              onChange={(e) => setGuidance(Number(e.target.value))}
            >
              {GUIDANCES.map((w) => (
                <option key={w} value={w}>
                  {w === 0 ? 'none' : w}
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="button"
          data-testid="prior-generate"
          onClick={() => {
            setSeed((s) => s + 1);
            sendSignal('prior-generated');
          }}
        >
          Generate
        </button>
      </div>
      <div className="prior-pair">
        <figure className="gen-figure gen-fit" aria-busy={gen.pending}>
          <h3 className="gen-subhead">Learned prior</h3>
          <ImageGrid
            images={answer ? frameOf(answer.frames, shown - 1, COUNT) : null}
            columns={4}
            label={genText}
            testId="prior-samples"
            scale={2}
          />
          <figcaption className="chart-summary">{genText}</figcaption>
        </figure>
        <figure className="gen-figure gen-fit">
          <h3 className="gen-subhead">Uniform codes</h3>
          <ImageGrid
            images={answer?.uniform ?? null}
            columns={4}
            label={uniText}
            testId="prior-uniform"
            scale={2}
          />
          <figcaption className="chart-summary">{uniText}</figcaption>
        </figure>
      </div>
      <GenerativeStatus error={gen.error} pending={gen.pending} hasAnswer={answer !== null} />

      <h3 className="gen-subhead">Attention</h3>
      <div className="buttons gen-fields">
        <label className="field">
          Sample
          <select value={sample} onChange={(e) => setSample(Number(e.target.value))}>
            {Array.from({ length: COUNT }, (_, i) => (
              <option key={i} value={i}>
                {i + 1}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Row
          <select
            data-testid="prior-attention-row"
            value={row}
            onChange={(e) => {
              setRow(Number(e.target.value));
              sendSignal('prior-attention-moved');
            }}
          >
            {Array.from({ length: grid.gridHeight }, (_, r) => (
              <option key={r} value={r}>
                {r + 1}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Column
          <select
            data-testid="prior-attention-col"
            value={col}
            onChange={(e) => {
              setCol(Number(e.target.value));
              sendSignal('prior-attention-moved');
            }}
          >
            {Array.from({ length: grid.gridWidth }, (_, c) => (
              <option key={c} value={c}>
                {c + 1}
              </option>
            ))}
          </select>
        </label>
      </div>
      {maps && (
        <figure className="gen-figure gen-fit" aria-busy={att.pending}>
          <ImageGrid
            images={maps.images}
            columns={maps.heads}
            label={maps.text}
            testId="prior-attention"
            scale={4}
          />
          <figcaption className="chart-summary">{maps.text}</figcaption>
        </figure>
      )}
      <GenerativeStatus error={att.error} pending={att.pending} hasAnswer={att.answer !== null} />
    </Panel>
  );
}

/**
 * One 7×7 map per layer and head: the weight the query position put on each earlier position
 * (scaled so the largest is white; the query's own and later positions are masked and stay black), and in words the
 * share each head put on the class token and its most attended position.
 */
function attentionMaps(
  a: { layers: number; heads: number; length: number; weights: Float32Array } | null,
  query: number,
  grid: { gridHeight: number; gridWidth: number },
) {
  if (!a || query >= a.length) return null;
  const { layers, heads, length: T } = a;
  const P = grid.gridHeight * grid.gridWidth;
  const pixels = new Float32Array(layers * heads * P);
  const lines: string[] = [];
  const where = (k: number) =>
    `row ${Math.floor((k - 1) / grid.gridWidth) + 1}, column ${((k - 1) % grid.gridWidth) + 1}`;
  for (let l = 0; l < layers; l++)
    for (let h = 0; h < heads; h++) {
      const base = ((l * heads + h) * T + query) * T;
      const row = a.weights.subarray(base, base + T);
      let max = 0;
      let best = 0;
      for (let k = 1; k < T; k++)
        if (row[k]! > max) {
          max = row[k]!;
          best = k;
        }
      const out = (l * heads + h) * P;
      for (let k = 1; k < T; k++) pixels[out + k - 1] = max > 0 ? row[k]! / max : 0;
      const onClass = Math.round(100 * row[0]!);
      lines.push(
        `layer ${l + 1} head ${h + 1}: ${onClass}% on the class token${best > 0 ? `, most on ${where(best)} (${Math.round(100 * max)}%)` : ''}`,
      );
    }
  const images: ImageBatch = {
    count: layers * heads,
    height: grid.gridHeight,
    width: grid.gridWidth,
    pixels,
  };
  const text = `Attention while drawing the code at ${where(query + 1)}, one map per head (rows: layers 1 to ${layers}); white is the position it weighs most, black the ones it cannot see (itself and later). ${lines.join('; ')}.`;
  return { images, heads, text };
}
