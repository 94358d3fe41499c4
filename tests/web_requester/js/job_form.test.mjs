// Unit tests for the job form's pure logic (money.js, jobValidation.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseCents, formatCents, budgetCoverage, fundedSlots } from '../../../web/requester/src/money.js';
import { validateJob, toPayload, emptyJob, jobToForm, labelError, localToIso } from '../../../web/requester/src/jobValidation.js';

test('money parses and formats two-decimal amounts', () => {
  assert.equal(parseCents('0.05'), 5);
  assert.equal(parseCents('12.5'), 1250);
  assert.equal(parseCents('7'), 700);
  assert.equal(parseCents(0.1), 10);
  assert.equal(parseCents('1.234'), null);
  assert.equal(parseCents('-1'), null);
  assert.equal(parseCents('abc'), null);
  assert.equal(formatCents(1250), '12.50');
  assert.equal(formatCents(5), '0.05');
});

test('budget coverage: images = budget / (bounty x results per image)', () => {
  assert.deepEqual(budgetCoverage(5000, 5, 3), { perImage: 15, images: 333, results: 999, leftover: 5 });
  assert.equal(budgetCoverage(10, 5, 3).images, 0);
  assert.equal(budgetCoverage(null, 5, 3), null);
});

test('activation funds the slots the budget covers, never more than the images need', () => {
  // 20 images x 2 results = 40 slots; 10.00 / 0.10 covers 100: all 40, 4.00.
  assert.deepEqual(fundedSlots(1000, 10, 40), { slots: 40, cents: 400, unfunded: 0 });
  // 4 images x 1 result; 0.30 / 0.10 covers 3 of the 4.
  assert.deepEqual(fundedSlots(30, 10, 4), { slots: 3, cents: 30, unfunded: 1 });
  assert.deepEqual(fundedSlots(1000, 10, 0), { slots: 0, cents: 0, unfunded: 0 });
  assert.equal(fundedSlots(null, 10, 4), null);
  assert.equal(fundedSlots(100, 0, 4), null);
});

function valid() {
  return { ...emptyJob(), name: 'cars-2026', title: 'Mark the cars', instructions: 'One box per car.',
    labels: ['car'], bounty: '0.05', resultsPerImage: '3', budget: '10.00' };
}

test('a complete job passes', () => {
  const { errors, coverage } = validateJob(valid(), { balanceCents: 2000 });
  assert.deepEqual(errors, {});
  assert.equal(coverage.images, 66);
});

test('each field is checked', () => {
  const v = { ...valid(), name: 'bad name!', title: '', instructions: ' ', labels: [], bounty: '0.001',
    resultsPerImage: '0', budget: 'x' };
  const { errors } = validateJob(v, { balanceCents: 2000 });
  for (const f of ['name', 'title', 'instructions', 'labels', 'bounty', 'resultsPerImage', 'budget']) {
    assert.ok(errors[f], `expected an error for ${f}`);
  }
});

test('a budget above the balance is a warning, not an error: activation charges only the slots it covers', () => {
  const { errors, warnings } = validateJob({ ...valid(), budget: '25.00' }, { balanceCents: 2000 });
  assert.equal(errors.budget, undefined);
  assert.match(warnings.budget, /balance is 20.00/);
  assert.match(warnings.budget, /only the slots/);
  assert.equal(validateJob({ ...valid(), budget: '20.00' }, { balanceCents: 2000 }).warnings.budget, undefined);
  assert.equal(validateJob({ ...valid(), budget: '25.00' }, { balanceCents: 2000, locked: true }).warnings.budget, undefined);
});

test('auto-approval: a whole number of hours from 0 to 8760, 72 by default', () => {
  assert.equal(emptyJob().autoApproveAfterHours, '72');
  for (const ok of ['0', '1', '72', '8760', ' 48 ']) {
    assert.equal(validateJob({ ...valid(), autoApproveAfterHours: ok }).errors.autoApproveAfterHours, undefined, ok);
  }
  for (const bad of ['', '-1', '8761', '1.5', 'abc', '1e3']) {
    assert.ok(validateJob({ ...valid(), autoApproveAfterHours: bad }).errors.autoApproveAfterHours, `expected an error for ${JSON.stringify(bad)}`);
  }
  assert.match(validateJob({ ...valid(), autoApproveAfterHours: '9000' }).errors.autoApproveAfterHours, /0 to 8760/);
});

test('auto-approval goes into the payload of a draft, and comes back from a job', () => {
  assert.equal(toPayload({ ...valid(), autoApproveAfterHours: '0' }).autoApproveAfterHours, 0);
  assert.equal(toPayload({ ...valid(), autoApproveAfterHours: ' 48' }).autoApproveAfterHours, 48);
  assert.equal(toPayload(valid(), { locked: true }).autoApproveAfterHours, undefined);
  const job = { name: 'a', title: 'b', instructions: 'c', labels: ['car'], bounty: '0.05', budget: '1.00', resultsPerImage: 1 };
  assert.equal(jobToForm({ ...job, autoApproveAfterHours: 0 }).autoApproveAfterHours, '0');
  assert.equal(jobToForm(job).autoApproveAfterHours, '72');
});

test('a budget below one image is refused', () => {
  const { errors } = validateJob({ ...valid(), budget: '0.10' }, { balanceCents: 2000 });
  assert.match(errors.budget, /at least one image \(0.15\)/);
});

test('end must follow start and lie in the future', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  let e = validateJob({ ...valid(), startTime: '2026-02-02T10:00', endTime: '2026-02-01T10:00' }, { now }).errors;
  assert.ok(e.endTime);
  e = validateJob({ ...valid(), endTime: '2025-02-01T10:00' }, { now }).errors;
  assert.match(e.endTime, /future/);
});

test('labels: no duplicates, no commas', () => {
  assert.equal(labelError('car', []), null);
  assert.ok(labelError('Car', ['car']));
  assert.ok(labelError('a,b', []));
  assert.ok(labelError('  ', []));
});

test('payload uses API field names and formats', () => {
  const p = toPayload({ ...valid(), budget: '10', startTime: '' });
  assert.equal(p.budget, '10.00');
  assert.equal(p.bounty, '0.05');
  assert.equal(p.resultsPerImage, 3);
  assert.deepEqual(p.labels, ['car']);
  assert.equal(p.startTime, null);
  assert.match(localToIso('2026-11-26T16:00'), /^2026-11-26T\d\d:00:00Z$/);
  const locked = toPayload(valid(), { locked: true });
  assert.equal(locked.budget, undefined);
});
