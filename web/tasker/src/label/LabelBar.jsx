// The labeling screen's top bar: back to the jobs, the job's title, answers not sent
// yet, time left on the lease, help.
import Countdown from './Countdown.jsx';

export default function LabelBar({ title, queue, deadline, onExpire, onExit, onHelp }) {
  return (
    <div className="label-bar">
      <button type="button" className="btn-ghost back" onClick={onExit} aria-label="Back to jobs">← Jobs</button>
      <h1 className="job-title" title={title}>{title}</h1>
      {queue.pending > 0 && (
        <button type="button" className="unsent" onClick={queue.retry} disabled={queue.flushing}
          data-testid="queue-badge" data-count={queue.pending}
          aria-label={queue.pending + (queue.pending === 1 ? ' answer' : ' answers') + ' not sent yet. Send now'}>
          {queue.flushing ? 'Sending…' : queue.pending + ' unsent'}
        </button>
      )}
      {deadline != null && <Countdown deadline={deadline} onExpire={onExpire} />}
      <button type="button" className="btn-ghost icon" onClick={onHelp}
        aria-label="Help and keyboard shortcuts" aria-keyshortcuts="?">?</button>
    </div>
  );
}
