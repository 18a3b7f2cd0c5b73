import { describe, expect, it } from 'vitest';
import { themed } from '../../src/ui/plots/chart-layout';

const dark = { fg: '#eee', grid: '#333', line: '#888', bg: '#111' };

describe('themed chart layout', () => {
  it('colours text, axes and background from the theme', () => {
    const out = themed({ xaxis: { title: 'step' }, yaxis2: {} }, dark);
    expect(out.paper_bgcolor).toBe('#111');
    expect(out.plot_bgcolor).toBe('#111');
    expect(out.font).toEqual({ color: '#eee' });
    expect(out.xaxis).toEqual({
      gridcolor: '#333',
      linecolor: '#888',
      zerolinecolor: '#888',
      title: 'step',
    });
    expect((out.yaxis2 as { gridcolor: string }).gridcolor).toBe('#333');
  });

  it('sets the base font size where the theme has one (the projector theme)', () => {
    expect(themed({}, { ...dark, size: 17 }).font).toEqual({ color: '#eee', size: 17 });
  });

  it("keeps a chart's own colours and a see-through background", () => {
    const clear = 'rgba(0,0,0,0)';
    const out = themed({ paper_bgcolor: clear, xaxis: { gridcolor: 'red' } }, dark);
    expect(out.paper_bgcolor).toBe(clear);
    expect((out.xaxis as { gridcolor: string }).gridcolor).toBe('red');
  });

  it('leaves the layout alone without a theme', () => {
    const layout = { xaxis: {} };
    expect(themed(layout, null)).toBe(layout);
  });
});
