// The taskers table's pure logic (no DOM): shares as percentages, the sort, a block in words.

// 0.8333 -> "83%"; null (no figure yet) -> "–".
export function percent(share) {
  if (share === null || share === undefined || Number.isNaN(Number(share))) return '–';
  return `${Math.round(Number(share) * 100)}%`;
}

// The rows sorted by `key` ('accuracy', 'agreement', 'name', 'results'), ascending or not;
// rows without a figure come last either way, then by name.
export function sortTaskers(items, key = 'accuracy', ascending = true) {
  const value = (t) => {
    if (key === 'name') return String(t.taskerName || '').toLowerCase();
    if (key === 'results') return (t.pending || 0) + (t.approved || 0) + (t.rejected || 0);
    const v = t[key];
    return v === null || v === undefined ? null : Number(v);
  };
  const byName = (a, b) => String(a.taskerName || '').localeCompare(String(b.taskerName || '')) || a.taskerId - b.taskerId;
  return [...items].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null && vb === null) return byName(a, b);
    if (va === null) return 1;
    if (vb === null) return -1;
    const c = va < vb ? -1 : va > vb ? 1 : 0;
    return (ascending ? c : -c) || byName(a, b);
  });
}

// "Blocked from all your jobs by you: reason" / "Blocked from this job automatically: reason".
export function blockedText(blocked) {
  if (!blocked) return '';
  const scope = blocked.allJobs ? 'from all your jobs' : 'from this job';
  const who = blocked.byRequester ? 'by you' : 'automatically (accuracy too low)';
  return `Blocked ${scope} ${who}: ${blocked.reason}`;
}
