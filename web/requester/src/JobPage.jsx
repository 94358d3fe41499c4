import { useCallback, useEffect, useRef, useState } from 'react';
import { Api } from './api.js';
import { useSession } from './session.js';
import { href, navigate } from './router.js';
import { money, parseCents } from './money.js';
import StateBadge from './StateBadge.jsx';
import ActivationHelp, { activationCharge } from './ActivationHelp.jsx';
import JobFunding from './JobFunding.jsx';
import JobDashboard from './JobDashboard.jsx';
import ReviewPanel from './ReviewPanel.jsx';
import UploadPanel from './UploadPanel.jsx';
import Gallery from './Gallery.jsx';
import ExportPanel from './ExportPanel.jsx';
import GoldPanel from './GoldPanel.jsx';
import TaskersPanel from './TaskersPanel.jsx';
import JobForm from './JobForm.jsx';

const TABS = [
  { id: 'overview', name: 'Overview' },
  { id: 'images', name: 'Upload images' },
  { id: 'results', name: 'Results' },
  { id: 'review', name: 'Review' },
  { id: 'gold', name: 'Gold images' },
  { id: 'taskers', name: 'Taskers' },
  { id: 'export', name: 'Export' },
];
const POLL_MS = 10000;

// One job: its state actions and the tabs (money and dashboard, upload, gallery, review, gold images,
// taskers, export).
export default function JobPage({ id, tab, query = {} }) {
  const { me, refreshMe, setNotice } = useSession();
  const [job, setJob] = useState(null);
  const [error, setError] = useState('');
  const [actionError, setActionError] = useState('');
  const [busy, setBusy] = useState('');
  const [confirmFinish, setConfirmFinish] = useState(false);
  const [tick, setTick] = useState(0);
  const lastLoad = useRef(0);

  const load = useCallback(async () => {
    lastLoad.current = Date.now();
    try {
      const j = await Api.job(id);
      setJob(j); setError('');
      return j;
    } catch (e) {
      setError(e.message);
      return null;
    }
  }, [id]);

  useEffect(() => { setJob(null); }, [id]);
  useEffect(() => { load(); }, [load, tab]); // fresh counts on every tab switch

  // The heading changes once the job has loaded: keep focus on it and name the window after the job.
  const loaded = Boolean(job);
  useEffect(() => {
    if (!job) return;
    document.title = `${job.title} · TrainTasker Requester`;
    const h = document.querySelector('main h1');
    if (h && (document.activeElement === document.body || !document.activeElement)) {
      h.setAttribute('tabindex', '-1'); h.focus({ preventScroll: true });
    }
  }, [loaded, id, tab]); // eslint-disable-line react-hooks/exhaustive-deps

  // Poll while the job is running and the page is visible.
  useEffect(() => {
    if (!job || (job.state !== 'active' && job.state !== 'paused')) return undefined;
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') { load(); setTick((n) => n + 1); }
    }, POLL_MS);
    return () => clearInterval(t);
  }, [job?.state, load]); // eslint-disable-line react-hooks/exhaustive-deps

  // Uploads report progress often; reload the job's counts at most every 2 s.
  const onUploaded = useCallback(() => {
    if (Date.now() - lastLoad.current > 2000) load();
  }, [load]);

  const act = async (action) => {
    setBusy(action); setActionError('');
    try {
      const j = await Api.jobAction(id, action);
      setJob(j);
      setConfirmFinish(false);
      setTick((n) => n + 1);
      await refreshMe();
      if (action === 'activate') {
        setNotice(`Job activated: ${money(j.budgetLeft)} for ${j.slotsFunded} slot${j.slotsFunded === 1 ? '' : 's'} moved from your balance into escrow.`);
      }
      if (action === 'finish') {
        setNotice('Job finished: the escrow no slot can use has returned to your balance; the bounties of pending results stay in escrow until you settle them.');
      }
    } catch (e) {
      setActionError(e.message);
    } finally {
      setBusy('');
    }
  };

  if (error && !job) {
    return (<div><h1>Job {id}</h1><p className="error-box" role="alert">{error}</p><p><a href={href('/jobs')}>Back to your jobs</a></p></div>);
  }
  if (!job) return <div><h1>Job {id}</h1><p className="muted" aria-live="polite">Loading…</p></div>;

  if (tab === 'edit') {
    return <JobForm job={job} onSaved={(j) => { setJob(j); navigate(`/jobs/${j.id}`); }} />;
  }

  const balanceCents = parseCents(me?.balance);
  const charge = job.state === 'draft' ? activationCharge(job) : null;
  const cannotAfford = Boolean(charge && balanceCents !== null && charge.cents > balanceCents);
  const current = TABS.find((t) => t.id === tab) || TABS[0];

  return (
    <div>
      <div className="page-head job-head">
        <div>
          <p className="crumbs"><a href={href('/jobs')}>Jobs</a> / {job.name}</p>
          <h1>{job.title} <StateBadge state={job.state} /></h1>
          <p className="muted small">
            {money(job.bounty)} per result · {job.resultsPerImage} result{job.resultsPerImage === 1 ? '' : 's'} per image ·
            budget {money(job.budget)} · labels: {job.labels.join(', ')}
            {job.autoApproveAfterHours !== undefined && ` · results approved automatically after ${job.autoApproveAfterHours} h`}
          </p>
        </div>
        <div className="job-actions" aria-label="Job actions" role="group">
          {job.state !== 'finished' && <a className="button" href={href(`/jobs/${job.id}/edit`)}>Edit</a>}
          {job.state === 'draft' && (
            <button type="button" className="primary" onClick={() => act('activate')} disabled={!!busy || cannotAfford}
              aria-describedby="activate-help">
              {busy === 'activate' ? 'Activating…' : 'Activate'}
            </button>
          )}
          {job.state === 'active' && (
            <button type="button" onClick={() => act('pause')} disabled={!!busy}>{busy === 'pause' ? 'Pausing…' : 'Pause'}</button>
          )}
          {job.state === 'paused' && (
            <button type="button" className="primary" onClick={() => act('resume')} disabled={!!busy}>{busy === 'resume' ? 'Resuming…' : 'Resume'}</button>
          )}
          {(job.state === 'active' || job.state === 'paused') && !confirmFinish && (
            <button type="button" className="danger" onClick={() => setConfirmFinish(true)} disabled={!!busy}>Finish…</button>
          )}
        </div>
      </div>
      {job.state === 'draft' && <ActivationHelp job={job} balanceCents={balanceCents} />}
      {confirmFinish && (
        <div className="confirm card" role="alertdialog" aria-labelledby="finish-q" aria-describedby="finish-d">
          <p id="finish-q"><strong>Finish this job?</strong></p>
          <p id="finish-d">
            Taskers stop at once and live leases end. The escrow no slot can use returns to your balance; the bounties of
            the {job.pendingCount} pending result{job.pendingCount === 1 ? '' : 's'} stay in escrow until you approve or reject them.
            This cannot be undone.
          </p>
          <div className="actions">
            <button type="button" className="danger" onClick={() => act('finish')} disabled={!!busy} autoFocus>
              {busy === 'finish' ? 'Finishing…' : 'Finish job'}
            </button>
            <button type="button" onClick={() => setConfirmFinish(false)}>Keep it running</button>
          </div>
        </div>
      )}
      {actionError && <p className="error-box" role="alert">{actionError}</p>}

      <nav className="tabs" aria-label="Job sections">
        {TABS.map((t) => (
          <a key={t.id} href={href(`/jobs/${job.id}${t.id === 'overview' ? '' : `/${t.id}`}`)}
            aria-current={t.id === current.id ? 'page' : undefined}>
            {t.name}{t.id === 'images' ? ` (${job.imageCount})` : ''}{t.id === 'review' && job.pendingCount > 0 ? ` (${job.pendingCount})` : ''}{t.id === 'gold' && job.goldImageCount > 0 ? ` (${job.goldImageCount})` : ''}
          </a>
        ))}
      </nav>

      <section className="tab-panel" aria-label={current.name}>
        {current.id === 'overview' && (
          <>
            <JobFunding job={job} onToppedUp={(j) => { setJob(j); setTick((n) => n + 1); refreshMe(); }} />
            <JobDashboard job={job} refreshKey={tick} />
          </>
        )}
        {current.id === 'images' && <UploadPanel job={job} onUploaded={onUploaded} onDone={load} />}
        {current.id === 'results' && (
          <Gallery job={job} page={Number(query.page) || 1} refreshKey={job.trainCount} />
        )}
        {current.id === 'review' && <ReviewPanel job={job} query={query} onSettled={() => { load(); refreshMe(); }} />}
        {current.id === 'gold' && (
          <GoldPanel job={job} page={Number(query.page) || 1} taskId={Number(query.task) || null} onGoldChanged={load} />
        )}
        {current.id === 'taskers' && <TaskersPanel job={job} />}
        {current.id === 'export' && <ExportPanel job={job} />}
      </section>
    </div>
  );
}
