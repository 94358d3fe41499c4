// Unit tests for the review screen's pure logic (reviewText.js, reviewKeys.js, selection.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  reasonError, reviewBody, describeScope, previewText, outcomeText, autoApproveText, autoApproveDue, REASON_MAX,
} from '../../../web/requester/src/reviewText.js';
import { isTyping, shortcutFor } from '../../../web/requester/src/reviewKeys.js';
import { toggleSelection, keepPresent } from '../../../web/requester/src/selection.js';

test('a rejection reason is required, plain text, at most 500 characters', () => {
  assert.ok(reasonError(''));
  assert.ok(reasonError('   \n '));
  assert.equal(reasonError('The boxes miss the cars.'), null);
  assert.equal(reasonError('x'.repeat(REASON_MAX)), null);
  assert.match(reasonError('x'.repeat(REASON_MAX + 1)), /At most 500/);
  assert.equal(reasonError('é'.repeat(REASON_MAX)), null, 'counted in characters, not bytes');
});

test('the request body names one selection', () => {
  assert.deepEqual(reviewBody('approve', { kind: 'results', trainIds: [3, 5] }), { action: 'approve', trainIds: [3, 5] });
  assert.deepEqual(reviewBody('approve', { kind: 'tasker', taskerId: 7, taskerName: 'ann' }, { preview: true }),
    { action: 'approve', taskerId: 7, preview: true });
  assert.deepEqual(reviewBody('reject', { kind: 'job' }, { reason: '  blurry  ' }),
    { action: 'reject', state: 'pending', reason: 'blurry' });
  assert.equal(reviewBody('approve', { kind: 'job' }, { reason: 'ignored' }).reason, undefined);
});

test('scopes and money in words', () => {
  assert.equal(describeScope({ kind: 'results', trainIds: [12] }), 'result #12');
  assert.equal(describeScope({ kind: 'results', trainIds: [1, 2, 3] }), '3 selected results');
  assert.equal(describeScope({ kind: 'tasker', taskerId: 7, taskerName: 'ann' }), 'everything pending of ann');
  assert.equal(describeScope({ kind: 'job' }), 'everything pending in the job');
  assert.equal(previewText('approve', { count: 3, amount: '0.30', skipped: 0 }),
    "Approve 3 results: 0.30 moves from the job's escrow to the taskers.");
  assert.match(previewText('reject', { count: 1, amount: '0.00', skipped: 0 }), /^Reject 1 result: no money moves now/);
  assert.match(previewText('reject', { count: 2, amount: '0.20', skipped: 0 }), /0.20 returns .* to your balance/);
  assert.match(previewText('approve', { count: 1, amount: '0.10', skipped: 2 }), /2 results are settled already/);
  assert.match(previewText('approve', { count: 0, amount: '0.00', skipped: 1 }), /Nothing to do/);
  assert.equal(outcomeText({ action: 'approve', count: 4, amount: '0.40', skipped: 0 }), 'Approved 4 results: 0.40 paid to the taskers.');
  assert.equal(outcomeText({ action: 'reject', count: 1, amount: '0.00', skipped: 1 }),
    'Rejected 1 result: the images are offered to other taskers. 1 result skipped (settled already).');
});

test('the auto-approval delay in words', () => {
  assert.equal(autoApproveText(72), 'Pending results are approved automatically 72 hours after submission.');
  assert.equal(autoApproveText(1), 'Pending results are approved automatically 1 hour after submission.');
  assert.match(autoApproveText(0), /at once, by the next sweep/);
  const now = new Date('2026-01-02T00:00:00Z');
  assert.equal(autoApproveDue('2026-01-01T00:00:00Z', 72, now), 'approved automatically in 48 h');
  assert.equal(autoApproveDue('2026-01-01T00:00:00Z', 24, now), 'approved automatically at the next sweep');
});

test('shortcuts: the keys, and never while typing in a text field', () => {
  const on = (key, target = { tagName: 'DIV' }, extra = {}) => shortcutFor({ key, target, ...extra });
  assert.equal(on('j'), 'next');
  assert.equal(on('ArrowDown'), 'next');
  assert.equal(on('k'), 'previous');
  assert.equal(on('ArrowUp'), 'previous');
  assert.equal(on('x'), 'toggle');
  assert.equal(on('a'), 'approve');
  assert.equal(on('r'), 'reject');
  assert.equal(on('?'), 'help');
  assert.equal(on('q'), null);
  assert.equal(on('a', { tagName: 'DIV' }, { ctrlKey: true }), null, 'ctrl+a stays select-all');
  assert.equal(on('a', { tagName: 'TEXTAREA' }), null);
  assert.equal(on('j', { tagName: 'INPUT', type: 'text' }), null);
  assert.equal(on('j', { tagName: 'INPUT', type: 'number' }), null);
  assert.equal(on('j', { tagName: 'SELECT' }), null);
  assert.equal(on('j', { tagName: 'DIV', isContentEditable: true }), null);
  assert.equal(on('x', { tagName: 'INPUT', type: 'checkbox' }), 'toggle', 'a checkbox in focus is not typing');
  assert.equal(isTyping({ tagName: 'BUTTON' }), false);
  assert.equal(isTyping(null), false);
});

test('selection: click toggles one, shift-click a range from the last click', () => {
  const ids = [10, 11, 12, 13, 14];
  let s = toggleSelection(new Set(), ids, 11);
  assert.deepEqual([...s], [11]);
  s = toggleSelection(s, ids, 14, { anchor: 11, range: true });
  assert.deepEqual([...s].sort(), [11, 12, 13, 14]);
  s = toggleSelection(s, ids, 12, { anchor: 14, range: true }); // 12 is on: the range turns off
  assert.deepEqual([...s], [11]);
  s = toggleSelection(s, ids, 11);
  assert.deepEqual([...s], []);
  s = toggleSelection(new Set(), ids, 13, { anchor: 99, range: true }); // an anchor gone from the page
  assert.deepEqual([...s], [13]);
  const kept = new Set([10, 13]);
  assert.equal(keepPresent(kept, ids), kept, 'unchanged when every id is still there');
  assert.deepEqual([...keepPresent(kept, [13, 14])], [13]);
});
