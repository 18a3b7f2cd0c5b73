// Latent point sets: the plane map inverts projectPca on the plane, bilinear grids hit their
// corners and midpoints, traversals change one coordinate each.
import { describe, expect, it } from 'vitest';
import {
  bilinearGrid,
  columnMeanStd,
  linspace,
  planeToLatent,
  traversalGrid,
} from '../../src/core/latent-grids';
import { fitPca, projectPca } from '../../src/core/pca';
import { mulberry32 } from '../../src/core/rng';

describe('latent grids', () => {
  it('linspace includes both ends', () => {
    expect(linspace(-2, 2, 5)).toEqual([-2, -1, 0, 1, 2]);
    expect(linspace(3, 9, 1)).toEqual([3]);
  });

  it('planeToLatent is the identity without a PCA and inverts projectPca with one', () => {
    expect(Array.from(planeToLatent(null, [1, 2, 3, 4]))).toEqual([1, 2, 3, 4]);
    const rng = mulberry32(2);
    const n = 200;
    const d = 5;
    const pts = Float64Array.from({ length: n * d }, () => rng() - 0.5);
    const pca = fitPca(pts, n, d, 2);
    const plane = [0.25, -0.4, 1.5, 0.1];
    const z = planeToLatent(pca, plane);
    expect(z).toHaveLength(2 * d);
    Array.from(projectPca(pca, z, 2, d)).forEach((v, i) => expect(v).toBeCloseTo(plane[i]!, 6));
  });

  it('columnMeanStd uses 1/N', () => {
    const { mean, std } = columnMeanStd([1, 10, 3, 10], 2, 2);
    expect(Array.from(mean)).toEqual([2, 10]);
    expect(Array.from(std)).toEqual([1, 0]);
  });

  it('bilinearGrid: corners, edge midpoints and centre', () => {
    const g = bilinearGrid(
      [
        [0, 0],
        [4, 0],
        [0, 8],
        [4, 8],
      ],
      3,
    );
    const at = (r: number, c: number) =>
      Array.from(g.subarray((r * 3 + c) * 2, (r * 3 + c) * 2 + 2));
    expect(at(0, 0)).toEqual([0, 0]);
    expect(at(0, 2)).toEqual([4, 0]);
    expect(at(2, 0)).toEqual([0, 8]);
    expect(at(2, 2)).toEqual([4, 8]);
    expect(at(0, 1)).toEqual([2, 0]);
    expect(at(1, 1)).toEqual([2, 4]);
  });

  it('traversalGrid is dim-major and changes one coordinate per row', () => {
    const g = traversalGrid([1, 2, 3], [2, 0], [-1, 1]);
    expect(Array.from(g)).toEqual([1, 2, -1, 1, 2, 1, -1, 2, 3, 1, 2, 3]);
  });
});
