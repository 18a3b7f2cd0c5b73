/**
 * One Gumbel-softmax draw in numbers: for the most probable codes at one position, π, the
 * logit, the Gumbel noise g, log π + g, the relaxed sample y at τ and the hard (argmax) one-hot;
 * and the same soft and hard samples as a pair of bars.
 */
import { useMemo } from 'react';
import { probability, signed } from '../diagnostic-format';
import type { GumbelTable as Table } from '../gumbel-rows';
import { PlotlyChart } from '../plots/PlotlyChart';

export function GumbelTable({
  table,
  tau,
  caption,
}: {
  table: Table;
  tau: string;
  caption: string;
}) {
  return (
    <table className="diag-table" data-testid="gumbel-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">code</th>
          <th scope="col">π = q(c | x)</th>
          <th scope="col">logit ℓ</th>
          <th scope="col">Gumbel g</th>
          <th scope="col">log π + g</th>
          <th scope="col">soft y at τ = {tau}</th>
          <th scope="col">hard one-hot</th>
        </tr>
      </thead>
      <tbody>
        {table.rows.map((r) => (
          <tr key={r.code} className={r.hard ? 'diag-hard' : undefined}>
            <th scope="row">{r.code}</th>
            <td>{probability(r.prob)}</td>
            <td>{signed(r.logit)}</td>
            <td>{signed(r.gumbel)}</td>
            <td>{signed(r.perturbed)}</td>
            <td>{probability(r.soft)}</td>
            <td>{r.hard ? '1 (argmax)' : '0'}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">rows shown</th>
          <td>Σ {probability(table.probShown)}</td>
          <td colSpan={3} />
          <td>Σ {probability(table.softShown)}</td>
          <td>{table.hardShown ? '' : `code ${table.hard} (not in the table)`}</td>
        </tr>
      </tfoot>
    </table>
  );
}

export function SoftHardChart({ table, tau }: { table: Table | null; tau: string }) {
  const data = useMemo(() => {
    if (!table) return [];
    const codes = table.rows.map((r) => `code ${r.code}`);
    const soft: (number | null)[] = table.rows.map((r) => r.soft);
    const hard = table.rows.map((r) => r.hard as number);
    if (!table.hardShown) {
      codes.push(`code ${table.hard}`);
      soft.push(null); // not among the rows the worker sent: a gap
      hard.push(1);
    }
    return [
      {
        type: 'bar',
        name: `soft y (τ = ${tau})`,
        x: codes,
        y: soft,
        marker: { color: '#0072B2' },
        hovertemplate: '%{x}: y = %{y:.3f}<extra></extra>',
      },
      {
        type: 'bar',
        name: 'hard one-hot',
        x: codes,
        y: hard,
        marker: { color: '#E69F00', pattern: { shape: '/' } },
        hovertemplate: '%{x}: %{y}<extra></extra>',
      },
    ];
  }, [table, tau]);
  const layout = useMemo(
    () => ({
      barmode: 'group',
      xaxis: { type: 'category', automargin: true },
      yaxis: { title: { text: 'sample value' }, range: [0, 1.05] },
      uirevision: 'soft-hard',
    }),
    [],
  );
  let summary = 'Waiting for a Gumbel draw.';
  if (table && table.rows.length > 0) {
    const top = table.rows.reduce((a, b) => (b.soft > a.soft ? b : a));
    summary =
      `At τ = ${tau} the soft sample puts ${probability(top.soft)} on code ${top.code}; ` +
      `the hard sample is the one-hot of code ${table.hard}.`;
  }
  return (
    <PlotlyChart
      testId="gumbel-bars"
      title="Soft and hard samples of the same draw"
      data={data}
      layout={layout}
      summary={summary}
      height={240}
      htmlLegend="key"
    />
  );
}
