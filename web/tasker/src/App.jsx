// The Tasker app shell: session (GET /api/me on load, or the remembered tasker when the
// network is down), hash routes (router.js), header with earnings and the main tabs,
// and the offline train queue's status.
import { useCallback, useEffect, useState } from 'react';
import { api } from './api.js';
import { go, hashFor, parseHash } from './router.js';
import * as session from './session.js';
import useEarnings from './useEarnings.js';
import useTrainQueue from './useTrainQueue.js';
import AuthScreen from '../../shared/AuthScreen.jsx';
import { checkSignIn, signInWords } from './signIn.js';
import EarningsBadge from './EarningsBadge.jsx';
import EarningsScreen from './EarningsScreen.jsx';
import HistoryScreen from './HistoryScreen.jsx';
import AccuracyScreen from './AccuracyScreen.jsx';
import JobList from './JobList.jsx';
import LabelScreen from './label/LabelScreen.jsx';
import NavTabs from './NavTabs.jsx';
import QueueStatus from './QueueStatus.jsx';

export default function App() {
  const [user, setUser] = useState(undefined); // undefined: checking the session
  const [bootError, setBootError] = useState(null);
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  const [job, setJob] = useState(null);
  const [jobsNotice, setJobsNotice] = useState(null);

  const signedIn = useCallback((u) => { session.remember(u); setUser(u); }, []);
  const onAuthLost = useCallback(() => { session.forget(); setUser(null); }, []);

  const boot = useCallback(() => {
    setBootError(null);
    api.me().then(signedIn, (e) => {
      const known = session.remembered();
      if (e.status === 401) onAuthLost();
      else if (e.transient && known) setUser(known); // offline: open with what this device knows
      else setBootError(e.message);
    });
  }, [signedIn, onAuthLost]);
  useEffect(boot, [boot]);

  const refreshMe = useCallback(() => {
    api.me().then(signedIn, (e) => { if (e.status === 401) onAuthLost(); });
  }, [signedIn, onAuthLost]);

  const uid = user ? user.id : null;
  const money = useEarnings(uid, onAuthLost);
  const refreshMoney = money.refresh;
  const trains = useTrainQueue(uid, {
    onLanded: refreshMoney,
    onOnline: () => {
      if (user === undefined) boot();
      else if (user) { refreshMe(); refreshMoney(); }
    },
  });

  useEffect(() => {
    const onHash = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // A requester may have reviewed since: the figures are fetched again on each screen
  // (and when another tasker signs in).
  useEffect(() => { refreshMoney(); }, [route.view, refreshMoney]);

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
    onAuthLost();
    setJob(null);
    go(hashFor('jobs'));
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
    return (
      <main id="main" className="auth-page">
        <AuthScreen words={signInWords} check={checkSignIn} login={api.login} register={api.register} autoFocus
          onSignedIn={(u) => { signedIn(u); setJobsNotice(null); }} />
      </main>
    );
  }

  const { queue, online } = trains;
  const earnings = money.earnings;
  const available = earnings ? earnings.available : user.balance;
  let screen;
  if (route.view === 'label') {
    screen = (
      <LabelScreen key={route.jobId} user={user} jobId={route.jobId}
        job={job && job.id === route.jobId ? job : null}
        queue={{ pending: queue.pending.length, flushing: queue.flushing, online, retry: trains.retry }}
        onExit={() => go(hashFor('jobs'))} onAuthLost={onAuthLost} />
    );
  } else if (route.view === 'earnings') {
    screen = (
      <EarningsScreen available={available} money={money} onAuthLost={onAuthLost}
        onPaid={() => { refreshMe(); refreshMoney(); }} />
    );
  } else if (route.view === 'accuracy') {
    screen = <AccuracyScreen onAuthLost={onAuthLost} />;
  } else if (route.view === 'history') {
    screen = <HistoryScreen state={route.state} page={route.page} earnings={earnings} onAuthLost={onAuthLost} />;
  } else {
    screen = (
      <JobList sort={route.sort} label={route.label} online={online} notice={jobsNotice} onAuthLost={onAuthLost}
        onPick={(j) => { setJob(j); setJobsNotice(null); go('#/job/' + j.id); }} />
    );
  }

  return (
    <div className={'app view-' + route.view}>
      <header className="top">
        <a href="#/jobs" className="brand" aria-label="TrainTasker: open jobs">TrainTasker</a>
        <NavTabs view={route.view} />
        <EarningsBadge available={available} pending={earnings ? earnings.pending : null} />
        <button type="button" className="btn-ghost signout" onClick={signOut}>Sign out</button>
      </header>
      <QueueStatus pending={route.view === 'label' ? [] : queue.pending} flushing={queue.flushing} online={online}
        rejected={trains.refused} onRetry={trains.retry} onDismiss={trains.dismiss} />
      {screen}
    </div>
  );
}
