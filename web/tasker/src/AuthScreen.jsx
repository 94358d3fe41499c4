// Sign in / sign up (taskers only; requesters use the Requester app).
import { useState, useRef, useEffect } from 'react';
import { api } from './api.js';

export default function AuthScreen({ onSignedIn }) {
  const [mode, setMode] = useState('signin');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [screenName, setScreenName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const first = useRef(null);
  useEffect(() => { first.current && first.current.focus(); }, [mode]);

  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    if (!email.trim() || !password) { setError('Enter your email and password.'); return; }
    if (mode === 'signup' && !screenName.trim()) { setError('Choose a screen name.'); return; }
    setBusy(true);
    try {
      const r = mode === 'signin'
        ? await api.login(email.trim(), password)
        : await api.register(email.trim(), password, screenName.trim());
      onSignedIn(r.user);
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };

  const signup = mode === 'signup';
  return (
    <main className="auth" id="main">
      <h1 className="brand-big">TrainTasker</h1>
      <p className="muted">Draw boxes on images, get paid for each one.</p>
      <div className="tabs" role="tablist" aria-label="Sign in or sign up">
        <button type="button" role="tab" aria-selected={!signup} className={!signup ? 'is-on' : ''}
          onClick={() => { setMode('signin'); setError(null); }}>Sign in</button>
        <button type="button" role="tab" aria-selected={signup} className={signup ? 'is-on' : ''}
          onClick={() => { setMode('signup'); setError(null); }}>Sign up</button>
      </div>
      <form className="card form" onSubmit={submit} noValidate data-testid={signup ? 'signup-form' : 'signin-form'}>
        <h2>{signup ? 'Create a tasker account' : 'Welcome back'}</h2>
        <div className="field">
          <label htmlFor="auth-email">Email</label>
          <input ref={first} id="auth-email" type="email" name="email" autoComplete="email"
            inputMode="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </div>
        {signup && (
          <div className="field">
            <label htmlFor="auth-name">Screen name</label>
            <input id="auth-name" name="screenName" autoComplete="nickname"
              value={screenName} onChange={(e) => setScreenName(e.target.value)} required />
          </div>
        )}
        <div className="field">
          <label htmlFor="auth-password">Password</label>
          <input id="auth-password" type="password" name="password"
            autoComplete={signup ? 'new-password' : 'current-password'}
            value={password} onChange={(e) => setPassword(e.target.value)} required />
        </div>
        {error && <p className="msg error" role="alert" data-testid="auth-error">{error}</p>}
        <button className="btn primary wide" type="submit" disabled={busy}>
          {busy ? 'Please wait…' : signup ? 'Sign up' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
