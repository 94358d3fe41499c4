// The labels a tasker can filter open jobs by: every label of the jobs seen, once each
// (labels compare without case, as the server does), in alphabetical order. `keep`, the
// label filtered by, is always there and in its own spelling, so it stays the chosen one.

export function labelsOf(jobs, keep = '') {
  const seen = new Map();
  const add = (label) => {
    const name = String(label || '').trim();
    if (name && !seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  };
  add(keep);
  (jobs || []).forEach((job) => (job.labels || []).forEach(add));
  return [...seen.values()].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
}
