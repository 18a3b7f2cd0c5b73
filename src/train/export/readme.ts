/**
 * The export's README.md: public/pytorch/README.md (what the files are, the commands) with the
 * run filled in, and the numbers PyTorch should reproduce (the lab's probe terms, noise fixed).
 */
import type { ExportSummary } from './pytorch-export';

const NOISE: Record<string, string> = {
  vae: 'z = μ (ε = 0)',
  cvae: 'z = μ (ε = 0), each probe digit with its own label',
  dvae: 'the most likely code at each position (argmax of the logits; no Gumbel noise, no τ)',
  catvae: 'the most likely class of each variable (argmax of the logits; no Gumbel noise, no τ)',
  glo: 'the model has no noise, and no encoder: the probe digits are decoded from the codes the lab inferred for them (`codes` in probes.safetensors; `m.infer(x)` runs the same optimisation in PyTorch, close to but not bit for bit the lab’s)',
};

export function exportReadme(template: string, s: ExportSummary): string {
  const values: Record<string, string> = {
    description: s.description,
    step: String(s.step),
    epoch: String(s.epoch),
    dataset: s.dataset,
    probeCount: String(s.probeCount),
    noise: NOISE[s.model] ?? 'the model has no noise',
    terms: Object.entries(s.probeTerms)
      .map(([k, v]) => `| ${k} | ${v.toPrecision(8)} |`)
      .join('\n'),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (m, key: string) => values[key] ?? m);
}
