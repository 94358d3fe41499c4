// Unit tests for the Tasker app's hash routes, label list, wording and query strings
// (web/tasker/src/router.js, jobLabels.js, format.js, api.js). Run: node --test tests/web_tasker/js/
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseHash, hashFor } from '../../../web/tasker/src/router.js';
import { labelsOf } from '../../../web/tasker/src/jobLabels.js';
import { formatTime, reviewWindowText } from '../../../web/tasker/src/format.js';
import { withQuery } from '../../../web/tasker/src/api.js';

test('the job list reads its sort and label from the hash', () => {
  assert.deepEqual(parseHash(''), { view: 'jobs', sort: '-bounty', label: '' });
  assert.deepEqual(parseHash('#/jobs'), { view: 'jobs', sort: '-bounty', label: '' });
  assert.deepEqual(parseHash('#/jobs?sort=bounty&label=Street%20sign'), { view: 'jobs', sort: 'bounty', label: 'Street sign' });
  assert.deepEqual(parseHash('#/jobs?sort=newest'), { view: 'jobs', sort: 'newest', label: '' });
  assert.equal(parseHash('#/jobs?sort=cheapest').sort, '-bounty', 'an unknown sort falls back to the default');
});

test('history reads state and page; nonsense falls back to all, page 1', () => {
  assert.deepEqual(parseHash('#/history'), { view: 'history', state: '', page: 1 });
  assert.deepEqual(parseHash('#/history?state=rejected&page=3'), { view: 'history', state: 'rejected', page: 3 });
  assert.deepEqual(parseHash('#/history?state=paid&page=-2'), { view: 'history', state: '', page: 1 });
  assert.deepEqual(parseHash('#/history?page=1.5'), { view: 'history', state: '', page: 1 });
});

test('labeling and earnings routes', () => {
  assert.deepEqual(parseHash('#/job/42'), { view: 'label', jobId: 42 });
  assert.deepEqual(parseHash('#/earnings'), { view: 'earnings' });
});

test('hashFor leaves defaults out and round-trips through parseHash', () => {
  assert.equal(hashFor('jobs'), '#/jobs');
  assert.equal(hashFor('jobs', { sort: '-bounty', label: '' }), '#/jobs');
  assert.equal(hashFor('history', { state: '', page: 1 }), '#/history');
  for (const [view, settings] of [
    ['jobs', { sort: 'bounty', label: 'car & truck' }],
    ['jobs', { sort: 'newest', label: '' }],
    ['history', { state: 'pending', page: 4 }],
  ]) {
    const back = parseHash(hashFor(view, settings));
    assert.equal(back.view, view);
    for (const [k, v] of Object.entries(settings)) assert.equal(back[k], v, k);
  }
});

test('labelsOf: every label once, without regard to case, in order; the chosen one stays as chosen', () => {
  const jobs = [{ labels: ['car', 'Person'] }, { labels: ['Car', 'bicycle'] }, {}];
  assert.deepEqual(labelsOf(jobs), ['bicycle', 'car', 'Person']);
  assert.deepEqual(labelsOf(jobs, 'zebra'), ['bicycle', 'car', 'Person', 'zebra']);
  assert.deepEqual(labelsOf(jobs, 'PERSON'), ['bicycle', 'car', 'PERSON'], 'the chosen spelling wins');
  assert.deepEqual(labelsOf(null), []);
});

test('the review window in the tasker\'s words', () => {
  assert.equal(reviewWindowText(72), 'Paid once approved, at the latest 3 days after you submit.');
  assert.equal(reviewWindowText(1), 'Paid once approved, at the latest 1 hour after you submit.');
  assert.equal(reviewWindowText(36), 'Paid once approved, at the latest 36 hours after you submit.');
  assert.equal(reviewWindowText(0), 'Paid within a minute, without review.');
  assert.equal(reviewWindowText(undefined), '');
  assert.equal(reviewWindowText(null), '');
});

test('withQuery keeps only settings with a value, encoded', () => {
  assert.equal(withQuery('/open-jobs', {}), '/open-jobs');
  assert.equal(withQuery('/open-jobs', { sort: '-bounty', label: '' }), '/open-jobs?sort=-bounty');
  assert.equal(withQuery('/open-jobs', { sort: undefined, label: 'a&b c' }), '/open-jobs?label=a%26b+c');
  assert.equal(withQuery('/me/results', { state: 'rejected', page: 2, perPage: 20 }), '/me/results?state=rejected&page=2&perPage=20');
});

test('times leave out the year of this year', () => {
  const now = new Date(2026, 5, 1);
  const thisYear = formatTime(new Date(2026, 2, 5, 10, 7).toISOString(), now);
  const lastYear = formatTime(new Date(2025, 2, 5, 10, 7).toISOString(), now);
  assert.ok(!thisYear.includes('2026') && thisYear.includes('07'), thisYear);
  assert.ok(lastYear.includes('2025'), lastYear);
  assert.equal(formatTime(undefined), '');
  assert.equal(formatTime('not a time'), 'not a time');
});
