// What the sign-in screen (web/shared/AuthScreen.jsx) says and checks in the Tasker app.
// The server has the last word (an 8-character password, an email it can read).

export const signInWords = {
  title: { signin: 'TrainTasker', signup: 'TrainTasker' },
  tagline: 'Draw boxes on images, get paid for each one.',
  formTitle: { signin: 'Welcome back', signup: 'Create a tasker account' },
  submit: { signin: 'Sign in', signup: 'Sign up' },
};

// mode: 'signin' or 'signup'; the fields' errors, none when all is well.
export function checkSignIn(mode, values) {
  const errors = {};
  if (!values.email.trim()) errors.email = 'Enter your email.';
  if (!values.password) errors.password = 'Enter your password.';
  if (mode === 'signup' && !values.screenName.trim()) errors.screenName = 'Choose a screen name.';
  return errors;
}
