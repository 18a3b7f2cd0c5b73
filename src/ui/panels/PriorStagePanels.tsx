/**
 * The two stages of a discrete-latent generative model, as panels (lazy-loaded by the registry):
 *   TokensPanel  (a VQ-VAE or dVAE running)   the tokenizer alone has no prior worth sampling:
 *                49·ln K nats per image for uniform codes. One button starts the second stage,
 *                a prior over these codes, with this tokenizer frozen inside it.
 *   BoundPanel   (a prior running)           the tokenizer's whole bound, −ELBO = reconstruction
 *                − log p(codes), under the uniform, unigram and learned priors, in nats per image
 *                on the test probe digits, beside the shipped 20-D VAE's −ELBO.
 */
import { useEffect, useState } from 'react';
import type { TestTerms } from '../../contracts/metrics';
import { pretrainedManifest } from '../../state/pretrained';
import { sendSignal } from '../lessons/signals';
import type { PanelHeading } from './panel-props';
import { Panel } from './Panel';

const nats = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(1);

export function TokensPanel(p: {
  heading: PanelHeading;
  label: string;
  positions: number;
  size: number;
  step: number;
  onStart: () => void;
}) {
  const uniform = p.positions * Math.log(p.size);
  return (
    <Panel {...p.heading}>
      <p>
        The {p.label} turns each digit into {p.positions} tokens, one of {p.size} codes each. Its
        own prior over them is uniform: every grid costs {p.positions}·ln {p.size} ={' '}
        {uniform.toFixed(1)} nats, and grids drawn that way decode to noise (Samples). A second
        model that learns which grids are likely turns the tokenizer into a generator.
      </p>
      <p>
        <button
          type="button"
          data-testid="start-prior"
          onClick={() => {
            sendSignal('prior-stage');
            p.onStart();
          }}
        >
          Train a prior on these codes
        </button>{' '}
        <span className="quiet-line">
          Freezes the tokenizer as it is now (step {p.step}) and starts a transformer over its
          codes.
        </span>
      </p>
    </Panel>
  );
}

/** The 20-D VAE's −ELBO (probe digits) from the shipped checkpoints' manifest, or null. */
function useVaeReference(folder: string): number | null {
  const [value, setValue] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    pretrainedManifest(new URL(folder, window.location.href).href)
      .then((m) => {
        const vae = m.checkpoints.find((c) => c.id === 'vae-20d');
        if (live && vae) setValue(vae.metric.probe.stored);
      })
      .catch(() => undefined); // offline without the manifest: the row says so
    return () => {
      live = false;
    };
  }, [folder]);
  return value;
}

export function BoundPanel(p: {
  heading: PanelHeading;
  test: TestTerms | null;
  positions: number;
  size: number;
  step: number;
  /** The shipped checkpoints' folder (its manifest has the VAE's number), from the site's base. */
  pretrainedFolder: string;
}) {
  const vae = useVaeReference(p.pretrainedFolder);
  const t = p.test ?? {};
  const recon = t.recon;
  const rows: [string, number | undefined][] = [
    [`uniform, ${p.positions}·ln ${p.size}`, t.uniform],
    ['unigram (code frequencies)', t.unigram],
    ['learned (this transformer)', t.nll],
  ];
  const sum = (v: number | undefined) =>
    v === undefined || recon === undefined ? undefined : v + recon;
  const caption = `The tokenizer's whole bound on the test probe digits at step ${p.step}, nats per image (sums over pixels and positions): reconstruction ${nats(recon)}; −log p(codes) under the uniform prior ${nats(t.uniform)}, the unigram ${nats(t.unigram)}, the learned prior ${nats(t.nll)} (${nats(t.nll === undefined ? undefined : t.nll / p.positions)} per token); −ELBO with the learned prior ${nats(sum(t.nll))}${vae === null ? '' : `, against ${nats(vae)} for the shipped 20-D VAE`}.`;
  return (
    <Panel {...p.heading}>
      <table className="bound-table" data-testid="prior-bound">
        <caption className="chart-summary">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">prior over the codes</th>
            <th scope="col">−log p(codes)</th>
            <th scope="col">per token</th>
            <th scope="col">−ELBO = recon + −log p</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, v]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{nats(v)}</td>
              <td>{nats(v === undefined ? undefined : v / p.positions)}</td>
              <td>{nats(sum(v))}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">VAE, 20-D latent (shipped; same Bernoulli likelihood)</th>
            <td>–</td>
            <td>–</td>
            <td>{vae === null ? 'not loaded' : nats(vae)}</td>
          </tr>
        </tbody>
      </table>
      <p className="quiet-line">
        A VQ-VAE&apos;s posterior puts all its mass on one grid, so its entropy is zero and the
        bound is the reconstruction plus the cost of that grid under the prior. The tokenizer is
        frozen: only the second column moves as the prior trains.
      </p>
    </Panel>
  );
}
