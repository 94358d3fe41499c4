// All / pending / approved / rejected, with how many results each has when known.
const CHOICES = [['', 'All'], ['pending', 'Pending'], ['approved', 'Approved'], ['rejected', 'Rejected']];

function countOf(earnings, state) {
  if (!earnings) return null;
  const { pendingCount: p = 0, approvedCount: a = 0, rejectedCount: r = 0 } = earnings;
  return { '': p + a + r, pending: p, approved: a, rejected: r }[state];
}

export default function StateFilter({ value, earnings, onChange }) {
  return (
    <div className="state-filter" role="group" aria-label="Show results" data-testid="state-filter">
      {CHOICES.map(([state, text]) => {
        const n = countOf(earnings, state);
        return (
          <button key={state || 'all'} type="button" className={'chip' + (value === state ? ' is-on' : '')}
            aria-pressed={value === state} onClick={() => onChange(state)} data-state={state || 'all'}>
            {text}{n !== null && n !== undefined ? <span className="count">{n}</span> : null}
          </button>
        );
      })}
    </div>
  );
}
