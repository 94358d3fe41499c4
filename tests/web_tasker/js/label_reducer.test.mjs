// Unit tests for the labeling screen's state machine and keys (web/tasker/src/label/
// labelReducer.js, labelKeys.js). Run: node --test tests/web_tasker/js/
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  initialState, labelReducer, leaseEnding, imageSize, labelsFor, canEdit, answerBody, DRAW_FIRST,
} from '../../../web/tasker/src/label/labelReducer.js';
import { keyCommand } from '../../../web/tasker/src/label/labelKeys.js';

const LEASE = { id: 7, bounty: '0.05', secondsLeft: 600, labels: ['car', 'person'], image: { url: '/x.png', width: 1600, height: 900 } };
const NEXT = { ...LEASE, id: 8 };
const IMG = { tag: 'decoded image 7' };
const IMG2 = { tag: 'decoded image 8' };
const BOX = { id: 'b1', x: 10.4, y: 20.6, w: 100.2, h: 50, label: 'car' };
const BOX2 = { id: 'b2', x: 1500, y: 800, w: 100, h: 100, label: 'person' };

const run = (state, ...actions) => actions.reduce(labelReducer, state);
// A screen with lease 7's image on it, ready to label.
const ready = (extra = {}) => ({
  ...run(initialState, { type: 'leaseRequested' }, { type: 'leaseLoaded', lease: LEASE, deadline: 1000 },
    { type: 'imageLoaded', lease: LEASE, img: IMG, deadline: 1000 }),
  ...extra,
});

test('the first lease: loading, its space reserved, then the image ready to label', () => {
  let s = run(initialState, { type: 'leaseRequested' });
  assert.equal(s.phase, 'loading');
  s = run(s, { type: 'leaseLoaded', lease: LEASE, deadline: 1000 });
  assert.deepEqual(s.shown, { lease: LEASE, img: null, deadline: 1000 }, 'the lease reserves the space before the image');
  assert.deepEqual(imageSize(s), { width: 1600, height: 900 });
  assert.equal(canEdit(s), false, 'nothing to edit before the image is there');
  s = run(s, { type: 'imageLoaded', lease: LEASE, img: IMG, deadline: 1000 });
  assert.equal(s.phase, 'ready');
  assert.equal(s.shown.img, IMG);
  assert.equal(canEdit(s), true);
  assert.deepEqual(imageSize(initialState), { width: 4, height: 3 });
});

test('the next lease keeps the current image on screen until the next one is decoded', () => {
  let s = run(ready({ boxes: [BOX], selectedId: 'b1' }), { type: 'submitStarted', nothing: false });
  assert.equal(s.phase, 'sending');
  s = run(s, { type: 'submitSucceeded' }, { type: 'leaseRequested' });
  assert.equal(s.phase, 'next', 'after sending, the next image is on its way');
  s = run(s, { type: 'leaseLoaded', lease: NEXT, deadline: 2000 });
  assert.equal(s.shown.img, IMG, 'the current image stays while the next one loads');
  s = run(s, { type: 'imageLoaded', lease: NEXT, img: IMG2, deadline: 2000 });
  assert.deepEqual([s.phase, s.shown.lease.id, s.shown.img, s.boxes, s.selectedId, s.count], ['ready', 8, IMG2, [], null, 1]);
});

test('an image that does not load: ready, with the message and no boxes; asking again clears it', () => {
  let s = run(ready({ boxes: [BOX] }), { type: 'skipStarted' }, { type: 'leaseRequested' },
    { type: 'imageFailed', lease: NEXT, deadline: 2000, message: 'The image could not be loaded.' });
  assert.deepEqual([s.phase, s.imgError, s.shown.img, s.shown.lease.id, s.boxes], ['ready', 'The image could not be loaded.', null, 8, []]);
  assert.equal(canEdit(s), false);
  s = run(s, { type: 'restarted' });
  assert.equal(s.shown, null);
  s = run(s, { type: 'leaseRequested' });
  assert.deepEqual([s.phase, s.imgError], ['loading', null]);
});

test('no lease to be had ends the session with the reason', () => {
  const no = leaseEnding({ status: 404, code: 'no_work', message: 'x' });
  assert.equal(no.kind, 'no_work');
  assert.match(no.text, /every image this job has for you/);
  assert.deepEqual(leaseEnding({ status: 409, code: 'job_not_open', message: 'The job is paused.' }),
    { kind: 'closed', title: 'This job is closed', text: 'The job is paused.', retry: false });
  assert.equal(leaseEnding({ status: 403, code: 'forbidden', message: 'No.' }).kind, 'closed');
  assert.deepEqual(leaseEnding({ status: 0, code: 'network', message: 'Cannot reach the server.' }),
    { kind: 'error', title: 'Could not get an image', text: 'Cannot reach the server.', retry: true });
  const s = run(initialState, { type: 'leaseRequested' }, { type: 'leaseRefused', error: { status: 404, code: 'no_work', message: 'x' } });
  assert.deepEqual([s.phase, s.ended.kind], ['ended', 'no_work']);
  const again = run(s, { type: 'restarted' }, { type: 'leaseRequested' });
  assert.deepEqual([again.phase, again.ended, again.shown], ['loading', null, null]);
});

test('a lease whose answer still waits in the queue is not shown again: the screen waits', () => {
  const s = run(ready(), { type: 'skipStarted' }, { type: 'leaseRequested' }, { type: 'leaseHeldByQueue', leaseId: 7 });
  assert.deepEqual([s.phase, s.waitingFor], ['waiting', 7]);
});

test('submit needs a box, or "nothing to mark"', () => {
  let s = run(ready(), { type: 'submitStarted', nothing: false });
  assert.deepEqual([s.phase, s.notice], ['ready', { kind: 'info', text: DRAW_FIRST }]);
  s = run(s, { type: 'submitStarted', nothing: true });
  assert.deepEqual([s.phase, s.notice], ['sending', null], 'nothing to mark needs no box; the notice goes');
  const early = run(initialState, { type: 'submitStarted', nothing: true });
  assert.equal(early, initialState, 'no submit before an image is there');
  const twice = run(s, { type: 'submitStarted', nothing: true });
  assert.equal(twice, s, 'no second submit while the first is on its way');
});

test('the answer\'s body: whole pixels inside the image, or nothing to mark', () => {
  const s = ready({ boxes: [BOX, BOX2] });
  assert.deepEqual(answerBody(s, true), { boxes: [], nothingToMark: true });
  assert.deepEqual(answerBody(s, false), {
    nothingToMark: false,
    boxes: [{ x: 10, y: 21, w: 101, h: 50, label: 'car' }, { x: 1500, y: 800, w: 100, h: 100, label: 'person' }],
  });
});

test('an answer that cannot be sent now waits in the queue, and counts', () => {
  const s = run(ready({ boxes: [BOX] }), { type: 'submitStarted', nothing: false }, { type: 'submitQueued', leaseId: 7 });
  assert.deepEqual([s.phase, s.waitingFor, s.count], ['waiting', 7, 1]);
});

test('a refused answer: an expired lease ends the session, anything else is a notice', () => {
  const sending = run(ready({ boxes: [BOX] }), { type: 'submitStarted', nothing: false });
  const expired = run(sending, { type: 'submitFailed', error: { status: 409, code: 'lease_expired', message: 'The lease has expired.' } });
  assert.deepEqual([expired.phase, expired.ended], ['ended', { kind: 'expired', title: 'Time ran out', text: 'The lease has expired.', retry: false }]);
  assert.equal(run(sending, { type: 'submitFailed', error: { code: 'lease_not_live', message: 'm' } }).ended.kind, 'expired');
  const invalid = run(sending, { type: 'submitFailed', error: { status: 422, code: 'invalid_box', message: 'A box lies outside the image.' } });
  assert.deepEqual([invalid.phase, invalid.notice, invalid.boxes], ['ready', { kind: 'error', text: 'A box lies outside the image.' }, [BOX]]);
});

test('an answer the server refuses later, from the queue, is taken off the count', () => {
  const waiting = run(ready({ boxes: [BOX] }), { type: 'submitStarted', nothing: false }, { type: 'submitQueued', leaseId: 7 });
  const late = run(waiting, { type: 'queuedAnswerRefused', error: { status: 409, code: 'lease_expired', message: 'm' } });
  assert.deepEqual([late.phase, late.ended.kind, late.count], ['ended', 'expired', 0]);
  assert.match(late.ended.text, /after the time for this image was up/);
  const bad = run(waiting, { type: 'queuedAnswerRefused', error: { status: 422, code: 'invalid', message: 'Bad box.' } });
  assert.deepEqual(bad.ended, { kind: 'error', title: 'Your answer was refused', text: 'Bad box.', retry: false });
  assert.equal(run({ ...waiting, count: 0 }, { type: 'queuedAnswerRefused', error: { message: 'm' } }).count, 0, 'never below zero');
});

test('skip: the next image is on its way; a failed release is a notice, back to ready', () => {
  const s = run(ready({ notice: { kind: 'info', text: DRAW_FIRST } }), { type: 'skipStarted' });
  assert.deepEqual([s.phase, s.notice], ['next', null]);
  const failed = run(s, { type: 'skipFailed', error: { status: 0, message: 'Cannot reach the server.' } });
  assert.deepEqual([failed.phase, failed.notice], ['ready', { kind: 'error', text: 'Cannot reach the server.' }]);
});

test('the lease running out ends the session only while nothing is on its way', () => {
  const s = run(ready(), { type: 'leaseExpired' });
  assert.deepEqual([s.phase, s.ended.kind, s.ended.title], ['ended', 'expired', 'Time ran out']);
  assert.match(s.ended.text, /went back to the pool/);
  assert.equal(run(initialState, { type: 'leaseExpired' }).phase, 'ended', 'also while loading');
  const sending = run(ready({ boxes: [BOX] }), { type: 'submitStarted', nothing: false });
  assert.equal(run(sending, { type: 'leaseExpired' }), sending, 'the answer is on its way: the server decides');
  const waiting = run(sending, { type: 'submitQueued', leaseId: 7 });
  assert.equal(run(waiting, { type: 'leaseExpired' }), waiting);
});

test('boxes: drawn, selected, moved by keys inside the image, relabeled, deleted', () => {
  let s = run(ready(), { type: 'boxesChanged', boxes: [BOX, BOX2] }, { type: 'boxSelected', id: 'b2' });
  assert.equal(s.selectedId, 'b2');
  s = run(s, { type: 'boxNudged', dx: 10, dy: 10 });
  assert.deepEqual(s.boxes[1], { ...BOX2, x: 1500, y: 800 }, 'a nudge keeps the box inside the image');
  s = run(s, { type: 'boxNudged', dx: -10, dy: -1 });
  assert.deepEqual(s.boxes[1], { ...BOX2, x: 1490, y: 799 });
  assert.deepEqual(s.boxes[0], BOX, 'only the selected box moves');
  s = run(s, { type: 'boxRelabeled', id: 'b1', label: 'person' });
  assert.equal(s.boxes[0].label, 'person');
  s = run(s, { type: 'boxDeleted', id: 'b1' });
  assert.deepEqual([s.boxes.map((b) => b.id), s.selectedId], [['b2'], 'b2'], 'deleting another box keeps the selection');
  s = run(s, { type: 'boxDeleted', id: 'b2' });
  assert.deepEqual([s.boxes, s.selectedId], [[], null]);
  assert.equal(run(ready({ boxes: [BOX] }), { type: 'boxNudged', dx: 1, dy: 0 }).boxes[0], BOX, 'no selection, no nudge');
});

test('a label key sets the label for new boxes, or relabels the selected box', () => {
  const labels = labelsFor(LEASE, null);
  let s = run(ready({ boxes: [BOX] }), { type: 'labelChosen', index: 1, labels });
  assert.deepEqual([s.labelIndex, s.boxes[0].label], [1, 'car']);
  s = run(s, { type: 'boxSelected', id: 'b1' }, { type: 'labelChosen', index: 1, labels });
  assert.deepEqual([s.labelIndex, s.boxes[0].label], [1, 'person']);
  s = run(s, { type: 'boxSelected', id: 'gone' }, { type: 'labelChosen', index: 0, labels });
  assert.deepEqual([s.labelIndex, s.boxes[0].label], [0, 'person'], 'a selection of no box sets the label for new ones');
  assert.equal(run(s, { type: 'labelChosen', index: 5, labels }), s, 'no such label');
});

test('the labels come from the lease, else from the job', () => {
  assert.deepEqual(labelsFor(LEASE, { labels: ['x'] }), ['car', 'person']);
  assert.deepEqual(labelsFor({ ...LEASE, labels: [] }, { labels: ['x'] }), ['x']);
  assert.deepEqual(labelsFor(null, null), []);
});

test('help opens and closes', () => {
  const s = run(ready(), { type: 'helpOpened' });
  assert.equal(s.help, true);
  assert.equal(run(s, { type: 'helpClosed' }).help, false);
  assert.throws(() => labelReducer(s, { type: 'noSuchThing' }), /unknown action/);
});

const key = (k, extra = {}) => ({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, target: { tagName: 'BODY' }, ...extra });
const READY = { help: false, ready: true, selected: null };

test('keys: submit, nothing to mark, skip, labels, zoom, help', () => {
  assert.deepEqual(keyCommand(key('Enter'), READY), { type: 'submit', nothing: false, prevent: true });
  assert.deepEqual(keyCommand(key('n'), READY), { type: 'submit', nothing: true, prevent: true });
  assert.deepEqual(keyCommand(key('S'), READY), { type: 'skip', prevent: true });
  assert.deepEqual(keyCommand(key('3'), READY), { type: 'label', index: 2, prevent: true });
  assert.equal(keyCommand(key('0'), READY).type, 'zoomFit');
  assert.equal(keyCommand(key('='), READY).type, 'zoomIn');
  assert.equal(keyCommand(key('_'), READY).type, 'zoomOut');
  assert.deepEqual(keyCommand(key('Escape'), READY), { type: 'deselect' });
  assert.deepEqual(keyCommand(key('?'), { ...READY, ready: false }), { type: 'help', prevent: true }, 'help at any time');
  assert.equal(keyCommand(key('Enter'), { ...READY, ready: false }), null, 'nothing else while not ready');
});

test('keys: the selected box is deleted and nudged (Shift: 10 pixels)', () => {
  const sel = { ...READY, selected: 'b1' };
  assert.deepEqual(keyCommand(key('Backspace'), sel), { type: 'delete', prevent: true });
  assert.equal(keyCommand(key('Delete'), READY), null, 'no selection, nothing to delete');
  assert.deepEqual(keyCommand(key('ArrowLeft'), sel), { type: 'nudge', dx: -1, dy: 0, prevent: true });
  assert.deepEqual(keyCommand(key('ArrowDown', { shiftKey: true }), sel), { type: 'nudge', dx: 0, dy: 10, prevent: true });
  assert.equal(keyCommand(key('ArrowUp'), READY), null);
});

test('keys are left alone while typing, with modifiers, with help open, and Enter on a control', () => {
  assert.equal(keyCommand(key('s', { target: { tagName: 'INPUT' } }), READY), null);
  assert.equal(keyCommand(key('s', { target: { tagName: 'SELECT' } }), READY), null);
  assert.equal(keyCommand(key('s', { target: { tagName: 'DIV', isContentEditable: true } }), READY), null);
  assert.equal(keyCommand(key('s', { ctrlKey: true }), READY), null);
  assert.equal(keyCommand(key('?'), { ...READY, help: true }), null, 'the overlay handles its own keys');
  assert.equal(keyCommand(key('Enter', { target: { tagName: 'BUTTON' } }), READY), null);
  assert.equal(keyCommand(key('Enter', { target: { tagName: 'SUMMARY' } }), READY), null);
  assert.equal(keyCommand(key('x'), READY), null);
});
