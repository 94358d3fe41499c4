import { useState } from 'react';
import { Api } from './api.js';
import Field from './Field.jsx';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function check(mode, v) {
  const e = {};
  if (!EMAIL_RE.test(v.email.trim())) e.email = 'Enter an email address like ann@example.com.';
  if (mode === 'register') {
    if (v.password.length < 8) e.password = 'Use at least 8 characters.';
    const sn = v.screenName.trim();
    if (sn.length < 2 || sn.length > 32) e.screenName = 'Between 2 and 32 characters.';
  } else if (!v.password) {
    e.password = 'Enter your password.';
  }
  return e;
}

export default function AuthScreen({ onSignedIn, notice }) {
  const [mode, setMode] = useState('login');
  const [v, setV] = useState({ email: '', password: '', screenName: '' });
  const [touched, setTouched] = useState({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [coolDown, setCoolDown] = useState(false); // after 429: wait Retry-After seconds
  const errors = check(mode, v);
  const shown = (f) => (touched[f] ? errors[f] : undefined);

  const set = (f) => (e) => { setV({ ...v, [f]: e.target.value }); setTouched({ ...touched, [f]: true }); };

  const submit = async (e) => {
    e.preventDefault();
    setTouched({ email: true, password: true, screenName: true });
    const first = Object.keys(errors)[0];
    if (first) { document.getElementById(`auth-${first}`)?.focus(); return; }
    setBusy(true); setError('');
    try {
      const res = mode === 'login'
        ? await Api.login(v.email.trim(), v.password)
        : await Api.register({ email: v.email.trim(), password: v.password, screenName: v.screenName.trim() });
      onSignedIn(res.user);
    } catch (err) {
      setError(err.message);
      setBusy(false);
      if (err.status === 429) {
        const secs = Math.min(Math.max(Number(err.retryAfter) || 5, 1), 300);
        setCoolDown(true);
        setTimeout(() => setCoolDown(false), secs * 1000);
      }
    }
  };

  const switchTo = (m) => { setMode(m); setError(''); setTouched({}); };

  return (
    <div className="auth">
      <h1>{mode === 'login' ? 'Sign in to TrainTasker' : 'Create a requester account'}</h1>
      <p className="muted">Post image-labelling jobs, pay per result, download the boxes.</p>
      {notice && <p className="notice" role="status">{notice}</p>}
      <div className="segmented" role="group" aria-label="Account">
        <button type="button" aria-pressed={mode === 'login'} onClick={() => switchTo('login')}>Sign in</button>
        <button type="button" aria-pressed={mode === 'register'} onClick={() => switchTo('register')}>Sign up</button>
      </div>
      <form onSubmit={submit} noValidate className="card">
        <Field id="auth-email" label="Email" error={shown('email')}>
          <input type="email" autoComplete="email" value={v.email} onChange={set('email')}
            onBlur={() => setTouched({ ...touched, email: true })} required />
        </Field>
        {mode === 'register' && (
          <Field id="auth-screenName" label="Screen name" hint="Shown to taskers with your jobs." error={shown('screenName')}>
            <input type="text" autoComplete="nickname" value={v.screenName} onChange={set('screenName')}
              onBlur={() => setTouched({ ...touched, screenName: true })} required />
          </Field>
        )}
        <Field id="auth-password" label="Password" error={shown('password')}
          hint={mode === 'register' ? 'At least 8 characters.' : undefined}>
          <input type="password" autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            value={v.password} onChange={set('password')} onBlur={() => setTouched({ ...touched, password: true })} required />
        </Field>
        {error && <p className="error-box" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy || coolDown}>
          {busy ? 'Please wait…' : mode === 'login' ? 'Sign in' : 'Create account'}
        </button>
      </form>
    </div>
  );
}
