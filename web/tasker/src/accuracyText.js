// How the accuracy screen words its figures (pure, no DOM).

// 0.8333 -> "83%"; null (no quality check answered yet) -> "–".
export function percent(share) {
  if (share === null || share === undefined || !Number.isFinite(Number(share))) return '–';
  return Math.round(Number(share) * 100) + '%';
}

const count = (n, one, many) => n + ' ' + (n === 1 ? one : many);

// "car, person" from boxes, each label once, in the order met.
function labelsOf(boxes) {
  return [...new Set((boxes || []).map((b) => b.label))].join(', ');
}

// What went wrong in a failed check, in a sentence the tasker can learn from.
export function failedCheckText(check) {
  const missed = (check.missed || []).length;
  const extra = (check.extra || []).length;
  const parts = [];
  if (missed) parts.push('you missed ' + count(missed, 'box', 'boxes') + ' (' + labelsOf(check.missed) + ')');
  if (extra) parts.push('you drew ' + count(extra, 'box', 'boxes') + ' where there was none to draw (' + labelsOf(check.extra) + ')');
  if (!parts.length) return 'Your boxes were not close enough to the right ones.';
  const text = parts.join(' and ');
  return text[0].toUpperCase() + text.slice(1) + '.';
}

// The summary line: "83% on 6 quality checks", or that there is none yet.
export function overallText(accuracy) {
  if (!accuracy || !accuracy.goldAnswers) return 'You have not answered a quality check yet.';
  return percent(accuracy.accuracy) + ' on ' + count(accuracy.goldAnswers, 'quality check', 'quality checks');
}
