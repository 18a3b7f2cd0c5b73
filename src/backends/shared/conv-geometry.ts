/**
 * The geometry of the forward 2-D convolution behind each of our conv kernels, in one place:
 * TF.js's backend_util.computeConv2DInfo (output size, 'same' / 'valid' / explicit padding,
 * strides, dilations, rounding), read from each kernel's own inputs and attributes, NHWC.
 *
 *   Conv2D                 X [B,H,W,Ci] * W [KH,KW,Ci,Co] → Y [B,OH,OW,Co]   (x, filter)
 *   Conv2DBackpropInput    dY, W → dX; X's shape is attrs.inputShape           (dilation 1)
 *   Conv2DBackpropFilter   X, dY → dW; W's shape is attrs.filterShape          (dilation 1)
 *
 * The gradients' info is the forward conv's, so info.outShape is dY's shape, info.inShape dX's
 * and info.filterShape dW's. (TF.js's conv gradients assert dilation 1 on every backend.)
 */
import {
  backend_util,
  type Conv2DAttrs,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
} from '@tensorflow/tfjs-core';

export type ConvInfo = backend_util.Conv2DInfo;
type Shape4 = [number, number, number, number];

/** What computeConv2DInfo reads from any of the three kernels' attributes. */
type ConvAttrs = Pick<Conv2DAttrs, 'strides' | 'pad' | 'dimRoundingMode'> & {
  dilations?: Conv2DAttrs['dilations'];
};

function info(xShape: readonly number[], filterShape: readonly number[], a: ConvAttrs): ConvInfo {
  return backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** Conv2D's geometry from X's and W's shapes. */
export function conv2DInfo(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: Conv2DAttrs,
): ConvInfo {
  return info(xShape, filterShape, attrs);
}

/** Conv2DBackpropInput's forward conv: X's shape from attrs.inputShape, W's from the filter. */
export function inputGradInfo(
  filterShape: readonly number[],
  attrs: Conv2DBackpropInputAttrs,
): ConvInfo {
  return info(attrs.inputShape, filterShape, { ...attrs, dilations: 1 });
}

/** Conv2DBackpropFilter's forward conv: X's shape from x, W's from attrs.filterShape. */
export function filterGradInfo(
  xShape: readonly number[],
  attrs: Conv2DBackpropFilterAttrs,
): ConvInfo {
  return info(xShape, attrs.filterShape, { ...attrs, dilations: 1 });
}

/** Whether dY's shape is the forward conv's output shape (else the stock kernel says why). */
export function matchesOutput(dyShape: readonly number[], conv: ConvInfo): boolean {
  return dyShape.join() === conv.outShape.join();
}
