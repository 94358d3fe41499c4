// How times and the review window read in the app.

// A time in the reader's own words, short: the year only when it is not this one.
export function formatTime(iso, now = new Date()) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  const parts = { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
  if (d.getFullYear() !== now.getFullYear()) parts.year = 'numeric';
  try {
    return d.toLocaleString(undefined, parts);
  } catch (e) {
    return d.toLocaleString();
  }
}

// What a job's autoApproveAfterHours means for the tasker's pay.
export function reviewWindowText(hours) {
  if (hours === undefined || hours === null || hours === '') return '';
  const h = Number(hours);
  if (!Number.isFinite(h) || h < 0) return '';
  if (h === 0) return 'Paid within a minute, without review.';
  const span = h % 24 === 0 && h >= 48 ? h / 24 + ' days' : h === 1 ? '1 hour' : h + ' hours';
  return 'Paid once approved, at the latest ' + span + ' after you submit.';
}
