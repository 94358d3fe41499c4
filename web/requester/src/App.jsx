import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Api, onUnauthorized } from './api.js';
import { SessionContext } from './session.js';
import { useRoute, href, navigate } from './router.js';
import { money } from './money.js';
import AuthScreen from '../../shared/AuthScreen.jsx';
import { checkSignIn, signInWords } from './signIn.js';
import JobListPage from './JobListPage.jsx';
import JobForm from './JobForm.jsx';
import JobPage from './JobPage.jsx';

export default function App() {
  const [me, setMe] = useState(undefined); // undefined: loading, null: signed out
  const [notice, setNotice] = useState('');
  const [loadError, setLoadError] = useState('');
  const route = useRoute();
  const mainRef = useRef(null);

  const refreshMe = useCallback(async () => {
    try {
      const user = await Api.me({ quiet401: true });
      setMe(user);
      setLoadError('');
      return user;
    } catch (e) {
      if (e.status === 401) setMe(null);
      else if (me === undefined) setLoadError(e.message);
      return null;
    }
  }, [me]);

  useEffect(() => { refreshMe(); /* once */ }, []); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    onUnauthorized(() => {
      setMe(null);
      setNotice('Your session has ended. Please sign in again.');
    });
    return () => onUnauthorized(null);
  }, []);

  // A notice belongs to the page it was given on.
  useEffect(() => { if (me) setNotice(''); }, [route.name, route.id, route.tab]); // eslint-disable-line react-hooks/exhaustive-deps

  // Move focus to the new page's heading so keyboard and screen-reader users start there.
  useEffect(() => {
    const h = mainRef.current && mainRef.current.querySelector('h1');
    if (h) { h.setAttribute('tabindex', '-1'); h.focus({ preventScroll: true }); }
  }, [route.name, route.id, route.tab, me === null]);

  // The window title follows the page heading.
  useEffect(() => {
    const h = mainRef.current && mainRef.current.querySelector('h1');
    const text = h ? h.firstChild?.textContent || h.textContent : '';
    document.title = text ? `${text.trim()} · TrainTasker Requester` : 'TrainTasker Requester';
  });

  const signOut = async () => {
    try { await Api.logout(); } catch { /* the cookie may already be gone */ }
    setMe(null);
    setNotice('You have signed out.');
    navigate('/jobs');
  };

  const session = useMemo(() => ({ me, refreshMe, setNotice }), [me, refreshMe]);

  if (me === undefined) {
    return (
      <main id="main" className="page narrow" ref={mainRef}>
        {loadError
          ? <div role="alert" className="error-box"><h1>Cannot load TrainTasker</h1><p>{loadError}</p>
            <button type="button" onClick={() => { setLoadError(''); refreshMe(); }}>Try again</button></div>
          : <p className="muted" aria-live="polite">Loading…</p>}
      </main>
    );
  }

  if (me === null) {
    return (
      <main id="main" className="page narrow" ref={mainRef}>
        <AuthScreen words={signInWords} check={checkSignIn} login={Api.login} register={Api.register}
          notice={notice} onSignedIn={(user) => { setNotice(''); setMe(user); }} />
      </main>
    );
  }

  let page;
  if (me.role !== 'requester' && me.role !== 'admin') {
    page = (
      <div className="error-box" role="alert">
        <h1>This app is for requesters</h1>
        <p>You are signed in as {me.screenName}, a {me.role}. Sign out and create a requester account to post jobs.</p>
      </div>
    );
  } else if (route.name === 'jobs') {
    page = <JobListPage page={Number(route.query.page) || 1} />;
  } else if (route.name === 'new') {
    page = <JobForm onSaved={(job) => navigate(`/jobs/${job.id}/images`)} />;
  } else if (route.name === 'edit') {
    page = <JobPage id={route.id} tab="edit" />;
  } else if (route.name === 'job') {
    page = <JobPage id={route.id} tab={route.tab} query={route.query} />;
  } else {
    page = <div><h1>Page not found</h1><p><a href={href('/jobs')}>Back to your jobs</a></p></div>;
  }

  return (
    <SessionContext.Provider value={session}>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.querySelector('h1')?.focus(); }}>
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href={href('/jobs')}>TrainTasker <span>Requester</span></a>
        <nav aria-label="Main">
          <a href={href('/jobs')} aria-current={route.name === 'jobs' ? 'page' : undefined}>Jobs</a>
          <a href={href('/jobs/new')} aria-current={route.name === 'new' ? 'page' : undefined}>New job</a>
        </nav>
        <div className="account">
          <span className="balance" data-testid="balance" title="Money you can put into jobs">
            Balance <strong>{money(me.balance)}</strong>
          </span>
          <span className="who">{me.screenName}</span>
          <button type="button" className="link-button" onClick={signOut}>Sign out</button>
        </div>
      </header>
      {notice && (
        <div className="notice" role="status">
          {notice} <button type="button" className="link-button" onClick={() => setNotice('')}>Dismiss</button>
        </div>
      )}
      <main id="main" className="page" ref={mainRef}>{page}</main>
    </SessionContext.Provider>
  );
}
