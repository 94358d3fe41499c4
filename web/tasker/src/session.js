// The signed-in tasker, remembered on this device so that the app also opens without a
// network: answers queued offline belong to a user, and are sent once the network is
// back. Forgotten on sign-out and when the server says the session has ended.

const KEY = 'tt.user.v1';

export function remember(user) {
  try {
    localStorage.setItem(KEY, JSON.stringify({
      id: user.id, screenName: user.screenName, role: user.role, balance: user.balance,
    }));
  } catch (e) {
    // Storage full or disabled: the app then needs the network to open.
  }
}

export function remembered() {
  try {
    const user = JSON.parse(localStorage.getItem(KEY) || 'null');
    return user && typeof user.id === 'number' ? user : null;
  } catch (e) {
    return null;
  }
}

export function forget() {
  try { localStorage.removeItem(KEY); } catch (e) { /* nothing kept */ }
}
