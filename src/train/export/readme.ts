/**
 * The export's README.md: what the files are, the commands, and the numbers PyTorch should
 * reproduce (the lab's probe terms with the noise fixed).
 */
import type { ExportSummary } from './pytorch-export';

const NOISE: Record<string, string> = {
  vae: 'z = μ (ε = 0)',
  dvae: 'the most likely code at each position (argmax of the logits; no Gumbel noise, no τ)',
  catvae: 'the most likely class of each variable (argmax of the logits; no Gumbel noise, no τ)',
};

export function exportReadme(s: ExportSummary): string {
  const rows = Object.entries(s.probeTerms).map(([k, v]) => `| ${k} | ${v.toPrecision(8)} |`);
  return `# ${s.description}, exported from Latent Lab

Trained ${s.step} steps (${s.epoch} epochs) on ${s.dataset} in the lab; this folder carries it
on in PyTorch (CPU or CUDA).

| File | What it is |
| --- | --- |
| \`model.safetensors\` | the weights, named by the PyTorch module's parameters, in PyTorch's layouts (Linear [out, in], Conv2d [out, in, kh, kw], ConvTranspose2d [in, out, kh, kw]) |
| \`model.py\` | the model as a \`torch.nn.Module\` with its loss, and this run's settings |
| \`train.py\` | continues training on MNIST |
| \`probes.safetensors\` | the ${s.probeCount} fixed test digits the lab reports on (\`x\` [N, P] in [0, 1], \`labels\` [N]) |
| \`export.json\` | the settings, the step and the numbers below |

## Check it

    python3 model.py           # prints the loss terms on the probe digits, as one JSON line
    python3 model.py --check   # and compares them with the lab's (exit status 1 if they differ)

It needs PyTorch only; the \`safetensors\` package is used when installed. The noise is fixed:
${NOISE[s.model] ?? 'the model has no noise'}. The lab computed, in nats per image (the mean over
the probe digits):

| term | the lab |
| --- | --- |
${rows.join('\n')}

PyTorch should print the same to about 6 digits (1e-3 relative at worst: float32 sums in
another order; a code whose two nearest choices are almost tied may flip).

## Train on

    python3 train.py --data path/to/mnist --steps 1000           # --device cuda on a GPU

\`--data\` is a folder with the MNIST IDX files (\`train-images-idx3-ubyte\`, plain or \`.gz\`),
for example the lab's \`datasets/mnist\`; nothing is downloaded then (\`--download\` fetches MNIST
with torchvision instead). The same model, loss, Adam settings (β₁ 0.9, β₂ 0.999, ε 1e-7 as in
TF.js), learning rate, batch size, binarisation and schedules (continued from step ${s.step}) as
in the lab, seeded with the run's seed; PyTorch's random numbers (shuffles, noise) are its own,
and Adam's moments start afresh. It prints a JSON line every 100 steps, writes
\`model-trained.safetensors\` and prints the probe terms at the end.

## From TF.js to PyTorch

- TF.js is NHWC, PyTorch NCHW: the dense layers next to a convolution were permuted so that
  PyTorch's \`flatten\` of [C, H, W] meets the weights TF.js's [H, W, C] order met.
- TF.js's \`'same'\` padding for a 3×3 kernel at stride 2 pads 0 before and 1 after; \`SameConv2d\`
  pads the same way explicitly, and \`SameConvTranspose2d\` crops the full transposed convolution
  where that padding was (no \`output_padding\` guesswork).
`;
}
