// The gold editor's pure logic (no DOM): an image's gold state in words, the boxes of its
// known answer for the box editor, and the body of PUT .../gold.
import { toImageBoxes } from '../../shared/boxes/geometry.js';

// How far taskers have come with an image: "2 results, 1 tasker working on it", or ''.
function workDone(task) {
  const results = task.trainCount || 0;
  const leases = task.liveLeases || 0;
  const parts = [];
  if (results > 0) parts.push(`${results} result${results === 1 ? '' : 's'}`);
  if (leases > 0) parts.push(`${leases} tasker${leases === 1 ? '' : 's'} working on it`);
  return parts.join(', ');
}

// {kind, text, worked}: kind is 'gold' (known answer with boxes), 'nothing' (gold, nothing
// to mark), 'worked' (an ordinary image taskers have had) or 'open' (nobody has worked on
// it); worked: taskers have had it, so its gold state cannot change any more.
export function goldStatus(task) {
  const gold = task.gold;
  const work = workDone(task);
  const worked = work !== '';
  if (gold) {
    const n = (gold.boxes || []).length;
    const text = gold.nothingToMark ? 'Gold: nothing to mark' : `Gold: ${n} box${n === 1 ? '' : 'es'}`;
    return { kind: gold.nothingToMark ? 'nothing' : 'gold', text: worked ? `${text} · ${work}` : text, worked };
  }
  if (worked) return { kind: 'worked', text: `Worked on: ${work}`, worked };
  return { kind: 'open', text: 'Not worked on yet', worked };
}

// True when the editor should offer marking, changing or removing the image's gold answer.
// The server has the last word (409 image_worked_on, also for a lease that has ended).
export const canEditGold = (task) => !goldStatus(task).worked;

let nextId = 1;
// A gold answer's boxes with the ids the box editor needs.
export function editorBoxes(gold) {
  return ((gold && gold.boxes) || []).map((b) => ({ ...b, id: 'g' + nextId++ }));
}

// {body} for PUT .../gold, or {error}: boxes in whole image pixels, or nothing to mark.
export function goldBody(boxes, nothingToMark, width, height) {
  if (nothingToMark) return { body: { boxes: [], nothingToMark: true } };
  if (!boxes.length) return { error: 'Draw at least one box, or tick "Nothing to mark".' };
  return { body: { boxes: toImageBoxes(boxes, width, height), nothingToMark: false } };
}

// "Marked 3 images as gold." for the answer of POST .../gold/coco.
export function cocoImported(answer) {
  const n = answer && Number.isInteger(answer.marked) ? answer.marked : 0;
  return `Marked ${n} image${n === 1 ? '' : 's'} as gold.`;
}
