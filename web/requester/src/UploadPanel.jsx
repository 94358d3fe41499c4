import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { UploadQueue, makeXhrSend, SETTLED } from './uploadQueue.js';
import { entriesOf, walkEntries } from './fileDrop.js';
import ProgressBar from './ProgressBar.jsx';
import VirtualList from './VirtualList.jsx';

// One queue per job, kept while the app runs, so uploads go on when the requester switches tabs.
const queues = new Map();
const settledHandlers = new Map();

function queueFor(jobId) {
  let q = queues.get(jobId);
  if (!q) {
    q = new UploadQueue({
      send: makeXhrSend(jobId),
      concurrency: 4,
      onSettled: (item) => settledHandlers.get(jobId)?.(item),
    });
    queues.set(jobId, q);
  }
  return q;
}

window.addEventListener('beforeunload', (e) => {
  for (const q of queues.values()) {
    if (q.getSnapshot().running) { e.preventDefault(); e.returnValue = ''; return; }
  }
});

const STATUS_TEXT = {
  queued: 'Waiting', uploading: 'Uploading', waiting: 'Will retry', done: 'Uploaded',
  duplicate: 'Duplicate', refused: 'Refused', failed: 'Failed', cancelled: 'Cancelled',
};

const FILTERS = [
  { id: 'all', name: 'All', test: () => true },
  { id: 'problems', name: 'Refused, failed and duplicates', test: (it) => ['refused', 'failed', 'duplicate', 'cancelled'].includes(it.status) },
  { id: 'active', name: 'In progress', test: (it) => !SETTLED.has(it.status) },
  { id: 'done', name: 'Uploaded', test: (it) => it.status === 'done' },
];

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function Row({ item, onCancel }) {
  const pct = item.status === 'done' || item.status === 'duplicate' ? 100
    : item.status === 'uploading' && item.size ? Math.min(99, Math.floor((item.loaded / item.size) * 100)) : 0;
  const cancellable = !SETTLED.has(item.status);
  return (
    <div className={`upload-row st-${item.status}`} data-status={item.status}>
      <span className="u-name" title={item.name}>{item.name}</span>
      <span className="u-size">{formatBytes(item.size)}</span>
      <span className="u-bar">
        <ProgressBar value={pct} max={100} text={`${item.name}: ${pct}%`} />
      </span>
      <span className="u-status">
        <strong>{STATUS_TEXT[item.status]}</strong>
        {item.reason && <span className="u-reason"> {item.reason}</span>}
      </span>
      <span className="u-act">
        {cancellable && (
          <button type="button" className="link-button" onClick={() => onCancel(item.id)} aria-label={`Cancel ${item.name}`}>Cancel</button>
        )}
      </span>
    </div>
  );
}

export default function UploadPanel({ job, onUploaded, onDone }) {
  const queue = queueFor(job.id);
  const snap = useSyncExternalStore(queue.subscribe, queue.getSnapshot);
  const [dragging, setDragging] = useState(false);
  const [scanning, setScanning] = useState(0);
  const [filter, setFilter] = useState('all');
  const seenDone = useRef(snap.done);
  const closed = job.state === 'finished';

  useEffect(() => {
    settledHandlers.set(job.id, onUploaded);
    return () => settledHandlers.delete(job.id);
  }, [job.id, onUploaded]);

  // When a batch ends (even one too quick to be seen running), reload the job's counts once.
  useEffect(() => {
    if (!snap.running && snap.done !== seenDone.current) {
      seenDone.current = snap.done;
      onDone?.();
    }
  }, [snap.running, snap.done]); // eslint-disable-line react-hooks/exhaustive-deps

  const visible = useMemo(() => {
    const f = FILTERS.find((x) => x.id === filter) || FILTERS[0];
    return filter === 'all' ? queue.items.slice() : queue.items.filter(f.test);
  }, [snap.version, filter, queue]); // eslint-disable-line react-hooks/exhaustive-deps

  const addFiles = (list) => { if (list.length) queue.add(list); };

  const onPick = (e) => {
    addFiles(Array.from(e.target.files || []).map((f) => ({ file: f, path: f.webkitRelativePath || f.name })));
    e.target.value = ''; // the same files can be picked again
  };

  const onDrop = (e) => {
    e.preventDefault();
    setDragging(false);
    if (closed) return;
    const { entries, files } = entriesOf(e.dataTransfer);
    if (files.length) addFiles(files);
    if (entries.length) {
      setScanning((n) => n + 1);
      walkEntries(entries, addFiles).finally(() => setScanning((n) => n - 1));
    }
  };

  const problems = snap.refused + snap.failed + snap.duplicate;
  const processed = snap.settled;
  const counted = snap.total - snap.cancelled;

  return (
    <div className="upload-panel">
      <h2 className="sr-only">Upload images</h2>
      {closed ? (
        <p className="muted">This job is finished; no more images can be added.</p>
      ) : (
        <div
          className={`dropzone ${dragging ? 'dragging' : ''}`}
          onDragEnter={(e) => { e.preventDefault(); setDragging(true); }}
          onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; }}
          onDragLeave={(e) => { if (!e.currentTarget.contains(e.relatedTarget)) setDragging(false); }}
          onDrop={onDrop}
          data-testid="dropzone"
        >
          <p className="drop-title">Drop images or whole folders here</p>
          <p className="muted small">PNG, JPEG or WebP. Four files upload at a time; failed uploads are retried.</p>
          <div className="pickers">
            <input type="file" id="upload-files" className="sr-only" multiple
              accept=".png,.jpg,.jpeg,.webp,image/png,image/jpeg,image/webp" onChange={onPick} />
            <label htmlFor="upload-files" className="button primary">Choose images…</label>
            <input type="file" id="upload-folder" className="sr-only" multiple webkitdirectory="" onChange={onPick} />
            <label htmlFor="upload-folder" className="button">Choose a folder…</label>
          </div>
          {scanning > 0 && <p className="muted small" role="status">Reading folders…</p>}
        </div>
      )}

      {snap.total > 0 && (
        <div className="card upload-summary">
          <ProgressBar id="upload-total" label="Total"
            value={processed === counted && counted > 0 ? 100 : snap.percent} max={100}
            text={`${processed} of ${counted} files · ${formatBytes(snap.processedBytes)} of ${formatBytes(snap.totalBytes)} · ${snap.percent}%`} />
          <p className="counts" role="status" aria-live="polite" aria-atomic="true">
            <span data-count="done">{snap.done} uploaded</span>
            {snap.duplicate > 0 && <span data-count="duplicate">{snap.duplicate} duplicate{snap.duplicate === 1 ? '' : 's'}</span>}
            {snap.refused > 0 && <span data-count="refused">{snap.refused} refused</span>}
            {snap.failed > 0 && <span data-count="failed">{snap.failed} failed</span>}
            {snap.cancelled > 0 && <span data-count="cancelled">{snap.cancelled} cancelled</span>}
            {snap.running && <span>{snap.uploading + snap.waiting} in progress, {snap.queued} waiting</span>}
            {!snap.running && <span data-count="finished">All files processed.</span>}
          </p>
          {snap.halted && <p className="error-box" role="alert">{snap.halted}</p>}
          <div className="actions">
            {snap.running && <button type="button" className="danger" onClick={() => queue.cancelAll()}>Cancel uploads</button>}
            {(snap.failed > 0 || snap.cancelled > 0) && (
              <button type="button" onClick={() => queue.retry()}>Retry {snap.failed + snap.cancelled} failed or cancelled</button>
            )}
            {!snap.running && <button type="button" onClick={() => queue.clearSettled()}>Clear list</button>}
          </div>
          <div className="filter" role="radiogroup" aria-label="Show">
            {FILTERS.map((f) => (
              <label key={f.id}>
                <input type="radio" name="upload-filter" value={f.id} checked={filter === f.id} onChange={() => setFilter(f.id)} />
                {f.name}{f.id === 'problems' && problems ? ` (${problems})` : ''}
              </label>
            ))}
          </div>
          {visible.length === 0
            ? <p className="muted small">No files here.</p>
            : <VirtualList id="upload-list" items={visible} rowHeight={44} label="Files" renderRow={(it) => <Row item={it} onCancel={(id) => queue.cancel(id)} />} />}
        </div>
      )}
    </div>
  );
}
