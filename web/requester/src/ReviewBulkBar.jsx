import { money } from './money.js';
import { plural } from './reviewText.js';

// Actions on many results: everything pending of the tasker in the filter (or of the whole
// job), and the selection on this page, whose row stays in view while results are selected.
// onAct(action, scope) and onSelected(action) open the confirmation.
// selection: {count, selectable, setAll(on), clear()}; everything: {scope, count, amount}.
export default function ReviewBulkBar({ selection, onSelected, everything, onAct, onHelp }) {
  const { count, selectable } = selection;
  const who = everything.scope.kind === 'tasker' ? `of ${everything.scope.taskerName}` : 'in the job';
  return (
    <>
      <div className="bar-row everything" role="group" aria-label="Everything pending">
        <span>
          Everything pending {who}: <strong data-testid="everything-count">{plural(everything.count, 'result')}</strong>
          {' '}({money(everything.amount)})
        </span>
        <button type="button" onClick={() => onAct('approve', everything.scope)} disabled={!everything.count}>Approve all</button>
        <button type="button" className="danger" onClick={() => onAct('reject', everything.scope)} disabled={!everything.count}>
          Reject all…
        </button>
      </div>
      <div className={`bar-row selection${count > 0 ? ' active' : ''}`} role="group" aria-label="Selected results">
        {selectable > 0 && (
          <label className="pick">
            <input type="checkbox" checked={count > 0 && count === selectable} aria-label="Select every pending result on this page"
              ref={(el) => { if (el) el.indeterminate = count > 0 && count < selectable; }}
              onChange={(e) => selection.setAll(e.target.checked)} />
            <span data-testid="selected-count">{count ? `${count} selected` : 'Select all on this page'}</span>
          </label>
        )}
        {count > 0 && (
          <>
            <button type="button" className="primary" onClick={() => onSelected('approve')}>Approve selected</button>
            <button type="button" className="danger" onClick={() => onSelected('reject')}>Reject selected…</button>
            <button type="button" className="link-button" onClick={selection.clear}>Clear</button>
          </>
        )}
        <button type="button" className="link-button shortcuts-button" onClick={onHelp} aria-keyshortcuts="?">
          Keyboard shortcuts
        </button>
      </div>
    </>
  );
}
