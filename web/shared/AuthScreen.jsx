// Sign in / sign up, for both apps. What differs between them comes in as props: the
// words, the checks of the fields (check(mode, values) -> { field: message }), and the
// API calls (register adds the app's role). Fields are checked as they are typed and
// their errors shown once touched; a submit with an invalid field focuses it instead of
// sending. After a 429 the button waits out the server's Retry-After. With autoFocus the
// email field takes the focus when the screen opens and when the tab changes.
import { useEffect, useRef, useState } from 'react';
import Field from './Field.jsx';

const FIELDS = ['email', 'screenName', 'password'];

// words: { title: {signin, signup}, tagline, formTitle?: {signin, signup},
//          submit: {signin, signup}, hints?: {screenName, password} (sign-up only) }
export default function AuthScreen({ words, check, login, register, notice, autoFocus = false, onSignedIn }) {
  const [mode, setMode] = useState('signin');
  const [values, setValues] = useState({ email: '', password: '', screenName: '' });
  const [touched, setTouched] = useState({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [coolDown, setCoolDown] = useState(false);
  const first = useRef(null);
  const tabs = useRef(null);
  const coolTimer = useRef(null);
  useEffect(() => { if (autoFocus && first.current) first.current.focus(); }, [autoFocus, mode]);
  useEffect(() => () => clearTimeout(coolTimer.current), []);

  const signup = mode === 'signup';
  const errors = check(mode, values);
  const shown = (f) => (touched[f] ? errors[f] : undefined);
  // Only a field's first touch sets state, so a blur that changes nothing does not
  // render (a render writes the state's value back into the input).
  const touch = (f) => { if (!touched[f]) setTouched((t) => ({ ...t, [f]: true })); };
  const edit = (f) => (e) => { setValues({ ...values, [f]: e.target.value }); touch(f); };
  // Leaving a field shows its error, unless the focus goes to the tabs (they start over).
  const leave = (f) => (e) => { if (!(tabs.current && tabs.current.contains(e.relatedTarget))) touch(f); };
  const hints = (signup && words.hints) || {};

  const switchTo = (m) => { setMode(m); setError(''); setTouched({}); };

  const submit = async (e) => {
    e.preventDefault();
    setTouched({ email: true, password: true, screenName: true });
    const invalid = FIELDS.find((f) => errors[f]);
    if (invalid) {
      const el = document.getElementById('auth-' + invalid);
      if (el) el.focus();
      return;
    }
    setBusy(true);
    setError('');
    try {
      const email = values.email.trim();
      const answer = signup
        ? await register({ email, password: values.password, screenName: values.screenName.trim() })
        : await login(email, values.password);
      onSignedIn(answer.user);
    } catch (err) {
      setError(err.message);
      setBusy(false);
      if (err.status === 429) {
        const seconds = Math.min(Math.max(Number(err.retryAfter) || 5, 1), 300);
        setCoolDown(true);
        clearTimeout(coolTimer.current);
        coolTimer.current = setTimeout(() => setCoolDown(false), seconds * 1000);
      }
    }
  };

  return (
    <div className="auth">
      <h1>{words.title[mode]}</h1>
      <p className="muted">{words.tagline}</p>
      {notice && <p className="notice" role="status">{notice}</p>}
      <div ref={tabs} className="auth-switch" role="tablist" aria-label="Sign in or sign up">
        <button type="button" role="tab" aria-selected={!signup} className={!signup ? 'is-on' : ''}
          onClick={() => switchTo('signin')}>Sign in</button>
        <button type="button" role="tab" aria-selected={signup} className={signup ? 'is-on' : ''}
          onClick={() => switchTo('signup')}>Sign up</button>
      </div>
      <form className="card form" onSubmit={submit} noValidate data-testid={signup ? 'signup-form' : 'signin-form'}>
        {words.formTitle && <h2>{words.formTitle[mode]}</h2>}
        <Field id="auth-email" label="Email" error={shown('email')}>
          <input ref={first} type="email" name="email" autoComplete="email" inputMode="email"
            value={values.email} onChange={edit('email')} onBlur={leave('email')} required />
        </Field>
        {signup && (
          <Field id="auth-screenName" label="Screen name" hint={hints.screenName} error={shown('screenName')}>
            <input type="text" name="screenName" autoComplete="nickname"
              value={values.screenName} onChange={edit('screenName')} onBlur={leave('screenName')} required />
          </Field>
        )}
        <Field id="auth-password" label="Password" hint={hints.password} error={shown('password')}>
          <input type="password" name="password" autoComplete={signup ? 'new-password' : 'current-password'}
            value={values.password} onChange={edit('password')} onBlur={leave('password')} required />
        </Field>
        {error && <p className="msg error" role="alert" data-testid="auth-error">{error}</p>}
        <button className="btn primary wide" type="submit" disabled={busy || coolDown}>
          {busy ? 'Please wait…' : words.submit[mode]}
        </button>
      </form>
    </div>
  );
}
