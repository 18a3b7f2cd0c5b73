/**
 * One small line of the worker's tf.memory() at the latest read-back: live tensors and bytes
 * (plus GPU buffers or the wasm heap where the backend reports them). A debug value: flat while
 * training when nothing leaks; scripts/soak.mjs reads its data attributes.
 */
import type { DeviceMemory } from '../../worker/protocol';
import { count } from '../format';

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

export function MemoryLine({ memory }: { memory: DeviceMemory | null }) {
  if (!memory) return null;
  const parts = [`${count(memory.numTensors)} tensors`, mb(memory.numBytes)];
  if (memory.gpuBytesUsed !== undefined) parts.push(`GPU ${mb(memory.gpuBytesUsed)} in use`);
  if (memory.gpuBytesAllocated !== undefined)
    parts.push(`${mb(memory.gpuBytesAllocated)} allocated`);
  if (memory.wasmHeapBytes !== undefined) parts.push(`wasm heap ${mb(memory.wasmHeapBytes)}`);
  return (
    <p
      className="memory-line"
      data-testid="memory"
      data-tensors={memory.numTensors}
      data-bytes={memory.numBytes}
      data-gpu-bytes={memory.gpuBytesUsed}
      data-gpu-allocated={memory.gpuBytesAllocated}
      data-wasm-heap={memory.wasmHeapBytes}
    >
      Worker memory: {parts.join(' · ')}
    </p>
  );
}
