// What the sign-in screen (web/shared/AuthScreen.jsx) says and checks in the Requester app.

export const signInWords = {
  title: { signin: 'Sign in to TrainTasker', signup: 'Create a requester account' },
  tagline: 'Post image-labelling jobs, pay per result, download the boxes.',
  submit: { signin: 'Sign in', signup: 'Create account' },
  hints: { screenName: 'Shown to taskers with your jobs.', password: 'At least 8 characters.' },
};

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// mode: 'signin' or 'signup'; the fields' errors, none when all is well.
export function checkSignIn(mode, values) {
  const errors = {};
  if (!EMAIL_RE.test(values.email.trim())) errors.email = 'Enter an email address like ann@example.com.';
  if (mode === 'signup') {
    if (values.password.length < 8) errors.password = 'Use at least 8 characters.';
    const name = values.screenName.trim();
    if (name.length < 2 || name.length > 32) errors.screenName = 'Between 2 and 32 characters.';
  } else if (!values.password) {
    errors.password = 'Enter your password.';
  }
  return errors;
}
