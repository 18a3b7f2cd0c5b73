/**
 * Notices a lost WebGPU device (driver reset, GPU removed, too long a kernel): the backend's
 * `device.lost` promise resolves, and nothing on that device works any more. Other backends have
 * no such promise; WebGL context loss surfaces as errors from the next kernel instead.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The part of a GPUDevice we need (no @webgpu/types in the page's type set). */
interface LosableDevice {
  lost?: Promise<{ reason?: string; message?: string }>;
}

/** Calls `onLost` once if the current backend's WebGPU device is lost (not when we destroyed it). */
export function watchDeviceLoss(onLost: (message: string) => void): void {
  const device = (tf.backend() as unknown as { device?: LosableDevice }).device;
  void device?.lost?.then((info) => {
    if (info.reason === 'destroyed') return;
    onLost(info.message || info.reason || 'unknown reason');
  });
}
