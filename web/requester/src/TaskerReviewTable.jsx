import { money } from './money.js';

// Results per tasker from the review summary, with the money of the pending ones under their
// count (narrow enough for a phone); a tasker's name filters the results to theirs (and, when
// they are the filter already, clears it). `hrefFor(taskerId | null)` builds the links.
export default function TaskerReviewTable({ taskers, currentId, hrefFor, colours }) {
  if (!taskers.length) return <p className="muted small">No tasker has submitted a result yet.</p>;
  const rows = [...taskers].sort((a, b) => b.pending - a.pending || String(a.taskerName).localeCompare(String(b.taskerName)));
  return (
    <div className="table-wrap">
      <table className="review-taskers">
        <caption className="sr-only">Results by tasker; choose a tasker to see only theirs</caption>
        <thead>
          <tr>
            <th scope="col">Tasker</th>
            <th scope="col" className="num">Pending <span className="cell-money">money</span></th>
            <th scope="col" className="num">Approved</th>
            <th scope="col" className="num">Rejected</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => {
            const current = t.taskerId === currentId;
            const name = t.taskerName || `Tasker #${t.taskerId}`;
            return (
              <tr key={t.taskerId} data-tasker-id={t.taskerId} className={current ? 'current' : undefined}>
                <th scope="row">
                  <a href={hrefFor(current ? null : t.taskerId)} aria-current={current ? 'true' : undefined}
                    title={current ? 'Show every tasker again' : `Show only ${name}'s results`}>
                    <span className="swatch" style={{ background: colours.get(t.taskerId)?.fill }} aria-hidden="true" />
                    {name}
                  </a>
                </th>
                <td className="num">
                  <span data-col="pending">{t.pending}</span>
                  <span className="sr-only"> worth </span>
                  <span className="cell-money" data-col="pendingAmount">{money(t.pendingAmount)}</span>
                </td>
                <td className="num" data-col="approved">{t.approved}</td>
                <td className="num" data-col="rejected">{t.rejected}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
