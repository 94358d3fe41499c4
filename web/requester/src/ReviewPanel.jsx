import { useEffect, useMemo, useState } from 'react';
import { href } from './router.js';
import { colourMap } from './colors.js';
import { REVIEW_STATES, autoApproveText, outcomeText } from './reviewText.js';
import useReviewData from './useReviewData.js';
import useSelection from './useSelection.js';
import useReviewShortcuts from './useReviewShortcuts.js';
import ReviewStateTabs from './ReviewStateTabs.jsx';
import TaskerReviewTable from './TaskerReviewTable.jsx';
import ReviewBulkBar from './ReviewBulkBar.jsx';
import ReviewResultList from './ReviewResultList.jsx';
import SettleDialog from './SettleDialog.jsx';
import ShortcutHelp from './ShortcutHelp.jsx';
import ReviewImageViewer from './ReviewImageViewer.jsx';
import Pager from './Pager.jsx';

const PER_PAGE = 12;

// The filter in the route's query: ?state=pending|approved|rejected&tasker=N&page=N
function filterFrom(query) {
  return {
    state: REVIEW_STATES.some((s) => s.id === query.state) ? query.state : 'pending',
    taskerId: /^\d+$/.test(query.tasker || '') ? Number(query.tasker) : null,
    page: Math.max(1, Number(query.page) || 1),
    perPage: PER_PAGE,
  };
}

// What the state tabs and the "everything pending" actions count: one tasker's results when
// the filter names one, else the whole job's.
function totalsOf(summary, tasker) {
  if (tasker) {
    return {
      counts: { pending: tasker.pending, approved: tasker.approved, rejected: tasker.rejected },
      amounts: { pending: tasker.pendingAmount },
      everything: {
        scope: { kind: 'tasker', taskerId: tasker.taskerId, taskerName: tasker.taskerName || `tasker #${tasker.taskerId}` },
        count: tasker.pending, amount: tasker.pendingAmount,
      },
    };
  }
  return {
    counts: { pending: summary.pending.count, approved: summary.approved.count, rejected: summary.rejected.count },
    amounts: { pending: summary.pending.amount, approved: summary.approved.amount },
    everything: { scope: { kind: 'job' }, count: summary.pending.count, amount: summary.pending.amount },
  };
}

// The review tab of a job: results by state and by tasker, approved or rejected one at a time,
// as a selection, per tasker or all at once, always after a confirmation with the money moved.
export default function ReviewPanel({ job, query, onSettled }) {
  const filter = filterFrom(query);
  const { summary, results, stale, error, reload } = useReviewData(job.id, filter,
    `${job.pendingCount}/${job.approvedCount}/${job.rejectedCount}`);
  const items = useMemo(() => (results ? results.items : []), [results]);
  const selection = useSelection(items.filter((t) => t.state === 'pending').map((t) => t.id));
  const [focus, setFocus] = useState({ index: 0, moved: 0 }); // moved counts keyboard moves
  const [request, setRequest] = useState(null); // {action, scope} while the confirmation is open
  const [outcome, setOutcome] = useState(null);
  const [help, setHelp] = useState(false);
  const [viewing, setViewing] = useState(null); // index of the result shown large

  useEffect(() => { setFocus({ index: 0, moved: 0 }); }, [filter.state, filter.taskerId, filter.page]);
  const focusIndex = Math.min(focus.index, Math.max(0, items.length - 1));
  const focused = items[focusIndex];

  const taskers = useMemo(() => (summary ? summary.taskers : []), [summary]);
  const colours = useMemo(() => colourMap(taskers.map((t) => t.taskerId)), [taskers]);
  const tasker = taskers.find((t) => t.taskerId === filter.taskerId) || null;

  const link = (changes) => {
    const f = { ...filter, page: 1, ...changes };
    return href(`/jobs/${job.id}/review`, {
      state: f.state === 'pending' ? undefined : f.state, tasker: f.taskerId, page: f.page > 1 ? f.page : undefined,
    });
  };

  const open = (action, scope) => { setOutcome(null); setRequest({ action, scope }); };
  const selectedIds = () => items.filter((t) => selection.selected.has(t.id)).map((t) => t.id);
  const actOnSelectionOrFocus = (action) => {
    const ids = selectedIds();
    if (ids.length) open(action, { kind: 'results', trainIds: ids });
    else if (focused && focused.state === 'pending') open(action, { kind: 'results', trainIds: [focused.id] });
  };
  const move = (delta) => setFocus((f) => ({
    index: Math.max(0, Math.min(items.length - 1, Math.min(f.index, items.length - 1) + delta)), moved: f.moved + 1,
  }));
  const settled = (answer) => {
    setRequest(null);
    setOutcome(answer);
    selection.clear();
    reload();
    onSettled();
  };

  useReviewShortcuts(!request && !help && viewing === null, {
    next: () => move(1),
    previous: () => move(-1),
    toggle: () => { if (focused && focused.state === 'pending') selection.toggle(focused.id); },
    approve: () => actOnSelectionOrFocus('approve'),
    reject: () => actOnSelectionOrFocus('reject'),
    help: () => setHelp(true),
  });

  const hours = summary?.autoApproveAfterHours ?? job.autoApproveAfterHours;
  const totals = summary ? totalsOf(summary, tasker) : null;
  const stateName = REVIEW_STATES.find((s) => s.id === filter.state).name.toLowerCase();

  return (
    <div className="review">
      <div className="review-head">
        <h2>Review results</h2>
        <p className="auto-approve small" data-hours={hours ?? ''}>{autoApproveText(hours)}</p>
      </div>
      {error && <p className="error-box" role="alert">{error}</p>}
      {!summary && !error && <p className="muted" aria-live="polite">Loading results…</p>}
      {summary && (
        <>
          <ReviewStateTabs current={filter.state} counts={totals.counts} amounts={totals.amounts}
            hrefFor={(state) => link({ state })} />
          <div className="review-layout">
            <section className="review-side" aria-labelledby="review-taskers-title">
              <h3 id="review-taskers-title">
                By tasker {tasker && <a className="small" href={link({ taskerId: null })}>show every tasker</a>}
              </h3>
              <TaskerReviewTable taskers={taskers} currentId={filter.taskerId} colours={colours}
                hrefFor={(taskerId) => link({ taskerId })} />
            </section>
            <section className={`review-main${stale ? ' stale' : ''}`} aria-label="Results" aria-busy={stale}>
              <ReviewBulkBar
                selection={{ ...selection, count: selection.selected.size, selectable: items.filter((t) => t.state === 'pending').length }}
                onSelected={(action) => open(action, { kind: 'results', trainIds: selectedIds() })}
                everything={totals.everything} onAct={open} onHelp={() => setHelp(true)} />
              {items.length === 0 && (
                <p className="muted empty-results">
                  No {stateName} results{tasker ? ` of ${tasker.taskerName}` : ''}{filter.page > 1 ? ' on this page' : ''}.
                </p>
              )}
              {items.length > 0 && (
                <ReviewResultList items={items} focus={focusIndex} focusMoved={focus.moved} selected={selection.selected}
                  labels={job.labels} colours={colours} autoApproveAfterHours={hours}
                  onFocus={(index) => setFocus((f) => ({ ...f, index }))} onSelect={selection.toggle}
                  onOpen={setViewing} onAct={(action, train) => open(action, { kind: 'results', trainIds: [train.id] })} />
              )}
              {results && (
                <Pager page={results.page} perPage={results.perPage} total={results.total} label="Result pages"
                  to={(page) => link({ page })} />
              )}
              {outcome && (
                <p className="outcome" role="status">
                  {outcomeText(outcome)}{' '}
                  <button type="button" className="link-button" onClick={() => setOutcome(null)}>Dismiss</button>
                </p>
              )}
            </section>
          </div>
        </>
      )}
      {request && (
        <SettleDialog jobId={job.id} action={request.action} scope={request.scope}
          onCancel={() => setRequest(null)} onSettled={settled} />
      )}
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
      {viewing !== null && items[viewing] && (
        <ReviewImageViewer train={items[viewing]} job={job} colours={colours}
          position={`result ${viewing + 1} of ${items.length}`}
          onPrev={viewing > 0 ? () => setViewing(viewing - 1) : null}
          onNext={viewing < items.length - 1 ? () => setViewing(viewing + 1) : null}
          onClose={() => setViewing(null)} />
      )}
    </div>
  );
}
