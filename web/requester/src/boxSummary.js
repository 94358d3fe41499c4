// A result's boxes in words: "2 boxes: 1 car, 1 person", counted per label in the job's label order.
export function summariseBoxes(boxes, labels = []) {
  const counts = new Map();
  boxes.forEach((b) => counts.set(b.label, (counts.get(b.label) || 0) + 1));
  const order = [...counts.keys()].sort((a, b) => labels.indexOf(a) - labels.indexOf(b));
  return order.map((l) => `${counts.get(l)} ${l}`).join(', ');
}

export function describeResult(train, labels = []) {
  if (train.nothingToMark) return 'nothing to mark';
  const n = train.boxes.length;
  return `${n} box${n === 1 ? '' : 'es'}${n ? `: ${summariseBoxes(train.boxes, labels)}` : ''}`;
}
