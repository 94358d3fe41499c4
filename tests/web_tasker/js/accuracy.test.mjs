// Unit tests for the Tasker app's accuracy screen wording (web/tasker/src/accuracyText.js),
// its route, and the end of a labeling session when the tasker is blocked from the job.
import test from 'node:test';
import assert from 'node:assert/strict';
import { percent, failedCheckText, overallText } from '../../../web/tasker/src/accuracyText.js';
import { parseHash, hashFor } from '../../../web/tasker/src/router.js';
import { leaseEnding } from '../../../web/tasker/src/label/labelReducer.js';

const box = (label) => ({ x: 1, y: 2, w: 3, h: 4, label });

test('accuracy as a percentage, and the overall line', () => {
  assert.equal(percent(0.666), '67%');
  assert.equal(percent(1), '100%');
  assert.equal(percent(null), '–');
  assert.equal(overallText({ goldAnswers: 0, accuracy: null }), 'You have not answered a quality check yet.');
  assert.equal(overallText({ goldAnswers: 1, accuracy: 0.5 }), '50% on 1 quality check');
  assert.equal(overallText({ goldAnswers: 6, accuracy: 0.8333 }), '83% on 6 quality checks');
});

test('a failed check says what was missed and what was not wanted', () => {
  assert.equal(failedCheckText({ missed: [box('car'), box('car'), box('person')], extra: [] }),
    'You missed 3 boxes (car, person).');
  assert.equal(failedCheckText({ missed: [box('car')], extra: [box('person')] }),
    'You missed 1 box (car) and you drew 1 box where there was none to draw (person).');
  assert.equal(failedCheckText({ missed: [], extra: [] }), 'Your boxes were not close enough to the right ones.');
});

test('the accuracy route', () => {
  assert.deepEqual(parseHash('#/accuracy'), { view: 'accuracy' });
  assert.equal(hashFor('accuracy'), '#/accuracy');
});

test('a take refused because the tasker is blocked ends the session with its own words', () => {
  const e = leaseEnding({ status: 403, code: 'blocked', message: 'The requester of this job no longer takes your work in it.' });
  assert.equal(e.kind, 'blocked');
  assert.equal(e.retry, false);
  assert.match(e.text, /^The requester of this job no longer takes your work in it\./);
  assert.match(e.text, /accuracy/);
  assert.equal(leaseEnding({ status: 403, code: 'forbidden', message: 'No.' }).kind, 'closed');
});
