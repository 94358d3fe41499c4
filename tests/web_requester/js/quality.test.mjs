// Unit tests for the requester app's quality-control logic: the job form's Quality section
// (qualityForm.js), the gold editor's (goldDraft.js) and the taskers table's (taskerQuality.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import { qualityToForm, validateQuality, qualityPayload, goldRateText, QUALITY_DEFAULTS } from '../../../web/requester/src/qualityForm.js';
import { validateJob, toPayload, emptyJob, jobToForm } from '../../../web/requester/src/jobValidation.js';
import { goldStatus, canEditGold, editorBoxes, goldBody, cocoImported } from '../../../web/requester/src/goldDraft.js';
import { percent, sortTaskers, blockedText } from '../../../web/requester/src/taskerQuality.js';

test('the quality defaults read as the form shows them, and go back unchanged', () => {
  const v = qualityToForm(null);
  assert.equal(v.qAgreement, '70');
  assert.equal(v.qIou, '50');
  assert.equal(v.qAutoReview, 'off');
  assert.equal(v.qAdaptive, false);
  assert.deepEqual(validateQuality(v, { rpi: 3 }), {});
  const body = qualityPayload(v);
  assert.deepEqual(body, QUALITY_DEFAULTS);
});

test("a job's quality settings round-trip through the form", () => {
  const quality = { iouThreshold: 0.35, minResultsPerImage: 2, agreementThreshold: 0.81, autoReview: 'reject',
    goldRate: { early: 5, earlyImages: 40, later: 25 }, goldAnswersPerImage: 12, accuracyThreshold: 0.66, minGoldAnswers: 4 };
  const v = qualityToForm(quality);
  assert.equal(v.qAdaptive, true);
  assert.equal(v.qMinResults, '2');
  assert.deepEqual(qualityPayload(v), quality);
});

test('shares are whole percentages; counts are in range; adaptive redundancy is at most the results per image', () => {
  const v = qualityToForm(null);
  assert.ok(validateQuality({ ...v, qAgreement: '101' }).qAgreement);
  assert.ok(validateQuality({ ...v, qAgreement: '70.5' }).qAgreement);
  assert.ok(validateQuality({ ...v, qIou: '0' }).qIou);
  assert.ok(validateQuality({ ...v, qGoldAnswers: '0' }).qGoldAnswers);
  assert.ok(validateQuality({ ...v, qMinGold: '' }).qMinGold);
  assert.ok(validateQuality({ ...v, qAutoReview: 'sometimes' }).qAutoReview);
  assert.ok(validateQuality({ ...v, qAdaptive: true, qMinResults: '4' }, { rpi: 3 }).qMinResults);
  assert.deepEqual(validateQuality({ ...v, qAdaptive: true, qMinResults: '3' }, { rpi: 3 }), {});
  assert.deepEqual(validateQuality({ ...v, qAdaptive: false, qMinResults: '9' }, { rpi: 3 }), {}, 'ignored when off');
});

test('an active job sends no draft-only quality field; a draft sends null for fixed redundancy', () => {
  const v = qualityToForm({ minResultsPerImage: 2 });
  const locked = qualityPayload(v, { locked: true });
  assert.equal('minResultsPerImage' in locked, false);
  assert.equal('goldAnswersPerImage' in locked, false);
  assert.equal(locked.agreementThreshold, 0.7);
  assert.equal(qualityPayload({ ...v, qAdaptive: false }).minResultsPerImage, null);
});

test('the job form carries the quality section: its errors and its payload', () => {
  const v = { ...emptyJob(), name: 'cars', title: 'Cars', instructions: 'Box them.', labels: ['car'], budget: '10.00',
    resultsPerImage: '2', qAdaptive: true, qMinResults: '3' };
  assert.ok(validateJob(v).errors.qMinResults);
  const ok = { ...v, qMinResults: '1' };
  assert.deepEqual(validateJob(ok).errors, {});
  assert.equal(toPayload(ok).quality.minResultsPerImage, 1);
  assert.equal(jobToForm({ labels: [], quality: { autoReview: 'hold' } }).qAutoReview, 'hold');
});

test('the gold rate in words', () => {
  const v = qualityToForm(null);
  assert.equal(goldRateText(v), 'Each tasker gets 1 gold image in 10 of their first 20 images, then 1 gold image in 20.');
  assert.equal(goldRateText({ ...v, qGoldEarly: '0', qGoldLater: '0' }), 'Each tasker gets no gold image.');
  assert.equal(goldRateText({ ...v, qGoldEarly: 'x' }), '');
});

test("an image's gold state", () => {
  assert.deepEqual(goldStatus({ gold: { boxes: [{}, {}], nothingToMark: false } }), { kind: 'gold', text: 'Gold: 2 boxes', worked: false });
  assert.equal(goldStatus({ gold: { boxes: [], nothingToMark: true } }).kind, 'nothing');
  assert.deepEqual(goldStatus({ trainCount: 1, liveLeases: 2 }),
    { kind: 'worked', text: 'Worked on: 1 result, 2 taskers working on it', worked: true });
  assert.deepEqual(goldStatus({ trainCount: 0, liveLeases: 0 }), { kind: 'open', text: 'Not worked on yet', worked: false });
  assert.deepEqual(goldStatus({ gold: { boxes: [{}], nothingToMark: false }, trainCount: 2 }),
    { kind: 'gold', text: 'Gold: 1 box · 2 results', worked: true });
  assert.equal(canEditGold({ trainCount: 0, liveLeases: 0 }), true);
  assert.equal(canEditGold({ trainCount: 2, liveLeases: 0 }), false);
  assert.equal(canEditGold({ gold: { boxes: [], nothingToMark: true }, liveLeases: 1 }), false);
});

test('the gold body: whole pixels inside the image, or nothing to mark, never neither', () => {
  const boxes = editorBoxes({ boxes: [{ x: 10.4, y: 5.6, w: 20.2, h: 300, label: 'car' }] });
  assert.ok(boxes[0].id);
  assert.deepEqual(goldBody(boxes, false, 100, 80).body,
    { boxes: [{ x: 10, y: 6, w: 21, h: 74, label: 'car' }], nothingToMark: false });
  assert.deepEqual(goldBody(boxes, true, 100, 80).body, { boxes: [], nothingToMark: true });
  assert.ok(goldBody([], false, 100, 80).error);
  assert.equal(cocoImported({ marked: 1 }), 'Marked 1 image as gold.');
  assert.equal(cocoImported({ marked: 4 }), 'Marked 4 images as gold.');
});

test('the taskers table: percentages, the sort (no figure last), a block in words', () => {
  assert.equal(percent(0.8333), '83%');
  assert.equal(percent(null), '–');
  const rows = [
    { taskerId: 1, taskerName: 'ann', accuracy: 0.9, pending: 1, approved: 0, rejected: 0 },
    { taskerId: 2, taskerName: 'bob', accuracy: null, pending: 5, approved: 0, rejected: 0 },
    { taskerId: 3, taskerName: 'cid', accuracy: 0.4, pending: 0, approved: 2, rejected: 0 },
  ];
  assert.deepEqual(sortTaskers(rows, 'accuracy', true).map((t) => t.taskerId), [3, 1, 2]);
  assert.deepEqual(sortTaskers(rows, 'accuracy', false).map((t) => t.taskerId), [1, 3, 2]);
  assert.deepEqual(sortTaskers(rows, 'results', false).map((t) => t.taskerId), [2, 3, 1]);
  assert.deepEqual(sortTaskers(rows, 'name', false).map((t) => t.taskerId), [3, 2, 1]);
  assert.equal(blockedText({ allJobs: true, byRequester: true, reason: 'Sloppy.' }), 'Blocked from all your jobs by you: Sloppy.');
  assert.match(blockedText({ allJobs: false, byRequester: false, reason: 'Low.' }), /^Blocked from this job automatically/);
  assert.equal(blockedText(null), '');
});

test('the COCO import sends the file as it is, as JSON; a refusal keeps the server\'s reason', async () => {
  const { Api } = await import('../../../web/requester/src/api.js');
  const calls = [];
  const answers = [
    { status: 200, body: JSON.stringify({ marked: 2, images: [] }) },
    { status: 422, body: JSON.stringify({ error: { code: 'coco_unknown_category', message: 'Category "truck" is not a label of this job.' } }) },
  ];
  globalThis.fetch = async (url, init) => {
    calls.push({ url, init });
    const a = answers.shift();
    return new Response(a.body, { status: a.status });
  };
  const text = '{"images": []}';
  assert.deepEqual(await Api.importCoco(5, text), { marked: 2, images: [] });
  assert.equal(calls[0].url, '/api/jobs/5/gold/coco');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.body, text, 'not encoded again');
  assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
  await assert.rejects(Api.importCoco(5, text), (e) => e.status === 422 && e.code === 'coco_unknown_category' && /truck/.test(e.message));
});
