// The Tasker app shell: session (GET /api/me on load), hash routes, header with
// earnings, and the offline train queue's retry loop.
//   #/jobs          open jobs
//   #/job/{id}      labeling that job
//   #/earnings      balance, payout request, past payouts
import { useCallback, useEffect, useState } from 'react';
import { api } from './api.js';
import * as trainQueue from './trainQueue.js';
import AuthScreen from './AuthScreen.jsx';
import JobList from './JobList.jsx';
import LabelScreen from './LabelScreen.jsx';
import EarningsPanel from './EarningsPanel.jsx';
import PayoutForm from './PayoutForm.jsx';
import QueueStatus from './QueueStatus.jsx';

function parseHash() {
  const h = (window.location.hash || '').replace(/^#\/?/, '');
  const m = h.match(/^job\/(\d+)/);
  if (m) return { view: 'label', jobId: Number(m[1]) };
  if (h.startsWith('earnings')) return { view: 'earnings' };
  return { view: 'jobs' };
}

const go = (hash) => { if (window.location.hash !== hash) window.location.hash = hash; };

export default function App() {
  const [user, setUser] = useState(undefined); // undefined: checking the session
  const [bootError, setBootError] = useState(null);
  const [route, setRoute] = useState(parseHash);
  const [job, setJob] = useState(null);
  const [jobsNotice, setJobsNotice] = useState(null);
  const [queue, setQueue] = useState({ pending: [], flushing: false });
  const [rejected, setRejected] = useState([]);
  const [online, setOnline] = useState(typeof navigator === 'undefined' ? true : navigator.onLine !== false);

  const boot = useCallback(() => {
    setBootError(null);
    api.me().then(setUser, (e) => {
      if (e.status === 401) setUser(null);
      else setBootError(e.message);
    });
  }, []);
  useEffect(boot, [boot]);

  const refreshMe = useCallback(() => {
    api.me().then(setUser, (e) => { if (e.status === 401) setUser(null); });
  }, []);
  const onAuthLost = useCallback(() => setUser(null), []);

  useEffect(() => {
    const onHash = () => setRoute(parseHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // --- offline queue: status, automatic retries --------------------------------
  const uid = user ? user.id : null;
  useEffect(() => {
    if (uid == null) return undefined;
    const sync = () => setQueue({ pending: trainQueue.pending(uid), flushing: trainQueue.isFlushing() });
    sync();
    const off = trainQueue.subscribe((ev) => {
      sync();
      if (ev.type === 'landed') refreshMe();
      if (ev.type === 'rejected') {
        setRejected((r) => [...r.filter((x) => x.leaseId !== ev.item.leaseId),
          { leaseId: ev.item.leaseId, message: ev.error.message }]);
      }
    });
    const flush = () => { if (trainQueue.pending(uid).length) trainQueue.flush(uid); };
    const up = () => { setOnline(true); flush(); };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    flush(); // answers left from an earlier visit
    return () => {
      off();
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [uid, refreshMe]);

  useEffect(() => {
    if (uid == null || queue.flushing || !queue.pending.length) return undefined;
    const t = setTimeout(() => trainQueue.flush(uid), trainQueue.retryDelay(uid) || 3000);
    return () => clearTimeout(t);
  }, [uid, queue]);

  // The job being labeled, for its title and instructions after a reload.
  useEffect(() => {
    if (!user || route.view !== 'label' || (job && job.id === route.jobId)) return;
    api.openJobs().then((r) => {
      const j = (r.items || []).find((x) => x.id === route.jobId);
      if (j) setJob(j);
    }, () => {});
  }, [user, route, job]);

  const signOut = async () => {
    try { await api.logout(); } catch (e) { if (e.status !== 401) { setJobsNotice({ kind: 'error', text: e.message }); return; } }
    setUser(null);
    setJob(null);
    go('#/jobs');
  };

  if (user === undefined) {
    return (
      <main id="main" className="boot">
        {bootError ? (
          <div className="card center" role="alert">
            <p>{bootError}</p>
            <button type="button" className="btn primary" onClick={boot}>Try again</button>
          </div>
        ) : <p className="muted" role="status">Loading…</p>}
      </main>
    );
  }
  if (user === null) {
    return <AuthScreen onSignedIn={(u) => { setUser(u); setJobsNotice(null); }} />;
  }

  let screen;
  if (route.view === 'label') {
    screen = (
      <LabelScreen key={route.jobId} user={user} jobId={route.jobId}
        job={job && job.id === route.jobId ? job : null}
        queue={{ pending: queue.pending.length, flushing: queue.flushing, online,
          retry: () => trainQueue.flush(user.id) }}
        onExit={() => go('#/jobs')} onAuthLost={onAuthLost} />
    );
  } else if (route.view === 'earnings') {
    screen = (
      <main id="main" className="earnings-screen" data-testid="earnings-screen">
        <div className="row spread">
          <h1>Earnings</h1>
          <a className="btn-ghost" href="#/jobs">Back to jobs</a>
        </div>
        <EarningsPanel user={user} />
        <PayoutForm user={user} onPaid={refreshMe} onAuthLost={onAuthLost} />
      </main>
    );
  } else {
    screen = (
      <JobList notice={jobsNotice} onAuthLost={onAuthLost}
        onPick={(j) => { setJob(j); setJobsNotice(null); go('#/job/' + j.id); }} />
    );
  }

  return (
    <div className={'app view-' + route.view}>
      <header className="top">
        <a href="#/jobs" className="brand" aria-label="TrainTasker: open jobs">TrainTasker</a>
        <EarningsPanel user={user} compact />
        <button type="button" className="btn-ghost signout" onClick={signOut}>Sign out</button>
      </header>
      <QueueStatus pending={route.view === 'label' ? [] : queue.pending} flushing={queue.flushing} online={online}
        rejected={rejected} onRetry={() => trainQueue.flush(user.id)}
        onDismiss={(id) => setRejected((r) => r.filter((x) => x.leaseId !== id))} />
      {screen}
    </div>
  );
}
