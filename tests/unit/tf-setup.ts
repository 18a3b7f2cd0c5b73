// TF.js on its pure-JS CPU backend for unit tests (deterministic, no native add-ons).
import '@tensorflow/tfjs-backend-cpu';
import '../../src/tf/register-gradients';
import * as tf from '@tensorflow/tfjs-core';

export async function useCpu(): Promise<typeof tf> {
  await tf.setBackend('cpu');
  return tf;
}

export { tf };
