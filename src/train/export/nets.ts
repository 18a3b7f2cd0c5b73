/**
 * The PyTorch names and layouts of the lab's layers (src/models/layers), in the order of their
 * `variables`, for the export entries of the models built from them. The Python modules of the
 * same names are in python/common.py.
 */
import type { Architecture } from '../../contracts/config';
import type { Layout } from './layouts';

/** One saved variable: its PyTorch parameter name and how its layout changes. */
export interface WeightEntry {
  name: string;
  layout: Layout;
}

const SAME: Layout = { kind: 'same' };

/** nn.Linear (Dense: w [in,out], b [out]). */
export const linear = (name: string): WeightEntry[] => [
  { name: `${name}.weight`, layout: { kind: 'dense' } },
  { name: `${name}.bias`, layout: SAME },
];

/** SameConv2d (Conv2d: w [k,k,Cin,Cout], b). */
export const conv2d = (name: string): WeightEntry[] => [
  { name: `${name}.weight`, layout: { kind: 'conv2d' } },
  { name: `${name}.bias`, layout: SAME },
];

/** SameConvTranspose2d (ConvTranspose2d: w [k,k,Cout,Cin], b). */
export const convTranspose2d = (name: string): WeightEntry[] => [
  { name: `${name}.weight`, layout: { kind: 'convT' } },
  { name: `${name}.bias`, layout: SAME },
];

/** A tensor kept as it is (a codebook [K,D]). */
export const plain = (name: string): WeightEntry => ({ name, layout: SAME });

/** The AE's and VAE's encoder body: DenseAct (mlp) or ConvFeatures (conv). */
export const encoderBody = (arch: Architecture): WeightEntry[] =>
  arch === 'conv' ? [...conv2d('body.c1'), ...conv2d('body.c2')] : linear('body.dense');

/** A dense head on the encoder body; after ConvFeatures its inputs are 7×7×64 NHWC features. */
export const head = (name: string, arch: Architecture): WeightEntry[] =>
  arch === 'conv'
    ? [
        { name: `${name}.weight`, layout: { kind: 'denseFromNhwc', h: 7, w: 7, c: 64 } },
        { name: `${name}.bias`, layout: SAME },
      ]
    : linear(name);

/** The AE's and VAE's decoder: Mlp (mlp) or ConvImageDecoder (conv, dense → 7×7×32 NHWC). */
export const decoderNet = (arch: Architecture): WeightEntry[] =>
  arch === 'conv'
    ? [
        { name: 'decoder.dense.weight', layout: { kind: 'denseToNhwc', h: 7, w: 7, c: 32 } },
        { name: 'decoder.dense.bias', layout: { kind: 'biasToNhwc', h: 7, w: 7, c: 32 } },
        ...convTranspose2d('decoder.t1'),
        ...convTranspose2d('decoder.t2'),
        ...conv2d('decoder.out'),
      ]
    : [...linear('decoder.hidden'), ...linear('decoder.out')];

/** The VQ-VAE's and dVAE's ConvEncoder and ConvDecoder. */
export const convEncoder = (): WeightEntry[] => [
  ...conv2d('encoder.c1'),
  ...conv2d('encoder.c2'),
  ...conv2d('encoder.c3'),
];
export const convDecoder = (): WeightEntry[] => [
  ...convTranspose2d('decoder.t1'),
  ...convTranspose2d('decoder.t2'),
  ...conv2d('decoder.out'),
];

/** LayerNorm's γ and β: nn.LayerNorm's weight and bias, as they are. */
const layerNorm = (name: string): WeightEntry[] => [plain(`${name}.weight`), plain(`${name}.bias`)];

/**
 * The CausalTransformer (layers/transformer), in its `variables` order: E [V,W] and P [length,W]
 * as nn.Embedding weights (an embedding lookup is the lab's one-hot · E), then per block ln1, qkv,
 * proj, ln2, fc, out, then ln_f and head (Dense [in,out] → nn.Linear [out,in]).
 */
export const causalTransformer = (prefix: string, layers: number): WeightEntry[] => [
  plain(`${prefix}.tokens.weight`),
  plain(`${prefix}.positions.weight`),
  ...Array.from({ length: layers }, (_, l) => `${prefix}.blocks.${l}`).flatMap((b) => [
    ...layerNorm(`${b}.ln1`),
    ...linear(`${b}.qkv`),
    ...linear(`${b}.proj`),
    ...layerNorm(`${b}.ln2`),
    ...linear(`${b}.fc`),
    ...linear(`${b}.out`),
  ]),
  ...layerNorm(`${prefix}.ln_f`),
  ...linear(`${prefix}.head`),
];
