// Pure part of our webgpu kernel (src/backends/webgpu/webgpu-add-n): AddN's grouping. The kernel
// itself runs in Chromium (tests/browser/webgpu-kernels.test.mjs).
import { describe, expect, it } from 'vitest';
import { groupsOf } from '../../src/backends/webgpu/webgpu-add-n';

describe('groupsOf', () => {
  it('splits in order into groups of at most the size', () => {
    expect(groupsOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 7)).toEqual([
      [1, 2, 3, 4, 5, 6, 7],
      [8, 9, 10],
    ]);
    expect(groupsOf([1, 2], 7)).toEqual([[1, 2]]);
  });
});
