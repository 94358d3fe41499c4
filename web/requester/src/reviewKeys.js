// Keyboard shortcuts of the review screen (no DOM access beyond the event): which key does what,
// and when a key belongs to the field being typed in instead.

const COMMANDS = {
  j: 'next', ArrowDown: 'next', ArrowRight: 'next',
  k: 'previous', ArrowUp: 'previous', ArrowLeft: 'previous',
  x: 'toggle', a: 'approve', r: 'reject', '?': 'help',
};

// For the help dialog.
export const SHORTCUTS = [
  { keys: ['j', '↓', '→'], what: 'Next result' },
  { keys: ['k', '↑', '←'], what: 'Previous result' },
  { keys: ['x'], what: 'Select or unselect the result' },
  { keys: ['a'], what: 'Approve the selected results, or the result in focus' },
  { keys: ['r'], what: 'Reject the selected results, or the result in focus (asks for a reason)' },
  { keys: ['?'], what: 'Show these shortcuts' },
];

// Inputs whose keys are not text: a shortcut typed while one of them has focus still counts.
const NOT_TYPED = new Set(['checkbox', 'button', 'submit', 'reset', 'image']);

// True when keys go into a text field: an input (other than a checkbox or button), a textarea,
// a select, or anything editable.
export function isTyping(target) {
  if (!target) return false;
  const tag = String(target.tagName || '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NOT_TYPED.has(String(target.type || 'text').toLowerCase());
  return Boolean(target.isContentEditable);
}

// The command a keydown event means on the review screen, or null.
export function shortcutFor(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return null;
  if (isTyping(event.target)) return null;
  return COMMANDS[event.key] || null;
}
