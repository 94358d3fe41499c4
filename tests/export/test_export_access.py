"""The export and stats routes: streaming through nginx, who may download, bad
parameters, and the job's statistics."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

import export_helpers as h

FORMATS = {
    'coco': ('application/json', 'coco.json'),
    'yolo': ('application/zip', 'yolo.zip'),
    'voc': ('application/zip', 'voc.zip'),
    'csv': ('text/csv', 'trains.csv'),
    'jsonl': ('application/x-ndjson', 'trains.jsonl'),
}


@pytest.mark.parametrize('fmt', sorted(FORMATS))
def test_export_is_streamed_through_nginx_as_an_attachment(job, fmt):
    content_type, suffix = FORMATS[fmt]
    with job.owner.get(f'/jobs/{job.id}/export', params={'format': fmt}, stream=True) as r:
        assert r.status_code == 200, r.text[:300]
        assert 'Content-Length' not in r.headers, 'a streamed body has no length up front'
        assert r.headers.get('Transfer-Encoding') == 'chunked'
        assert r.headers['Content-Type'].startswith(content_type)
        assert r.headers['Content-Disposition'] == f'attachment; filename="job-{job.id}-{suffix}"'
        assert 'X-Accel-Buffering' not in r.headers, 'nginx consumes the header'
        assert sum(len(chunk) for chunk in r.iter_content(65536)) > 0


def test_finished_only_names_the_file(job):
    r = job.owner.get(f'/jobs/{job.id}/export', params={'format': 'yolo', 'only': 'finished'})
    assert r.status_code == 200
    assert r.headers['Content-Disposition'] == f'attachment; filename="job-{job.id}-yolo-finished.zip"'


@pytest.mark.parametrize('path', ['export?format=coco', 'export?format=yolo', 'stats'])
def test_only_the_owner_may_read(base, job, path):
    other = h.register(base, 'requester')
    r = other.get(f'/jobs/{job.id}/{path}')
    assert r.status_code == 404, r.text[:300]
    assert r.json()['error']['code'] == 'not_found'

    r = job.taskers[0].get(f'/jobs/{job.id}/{path}')
    assert r.status_code == 403, r.text[:300]

    r = h.requests.get(f'{base}/api/jobs/{job.id}/{path}', timeout=30)
    assert r.status_code == 401


def test_unknown_job_is_not_found(job):
    assert job.owner.get('/jobs/999999999/export', params={'format': 'coco'}).status_code == 404
    assert job.owner.get('/jobs/999999999/stats').status_code == 404


@pytest.mark.parametrize('params,status', [
    ({}, 400),
    ({'format': 'xml'}, 422),
    ({'format': 'coco', 'only': 'everything'}, 422),
])
def test_bad_parameters(job, params, status):
    r = job.owner.get(f'/jobs/{job.id}/export', params=params)
    assert r.status_code == status, r.text[:300]
    assert 'Content-Disposition' not in r.headers
    assert r.json()['error']['message']


def test_stats(job):
    r = job.owner.get(f'/jobs/{job.id}/stats')
    assert r.status_code == 200, r.text[:300]
    stats = r.json()
    trains = len(job.trains)
    spent = Decimal(h.BOUNTY) * trains
    assert stats['imagesFinished'] == len(job.finished) == 3
    assert stats['imageCount'] == len(job.images) == 5
    assert stats['trainCount'] == trains == 8
    assert stats['budget'] == '10.00'
    assert stats['spent'] == f'{spent:.2f}'
    # Activation paid the escrow for the 10 slots (5 images x 2 results), not the whole budget.
    assert stats['budgetLeft'] == f'{Decimal(h.BOUNTY) * 10 - spent:.2f}'
    assert stats['reserved'] == '0.00'  # nothing pending

    hours = stats['trainsPerHour']
    assert sum(hour['count'] for hour in hours) == trains
    now = datetime.now(timezone.utc)
    for hour in hours:
        start = datetime.strptime(hour['hour'], '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=timezone.utc)
        assert start.minute == 0 and start.second == 0
        assert now - timedelta(days=7, hours=1) < start <= now

    by_tasker = {t['taskerId']: t for t in stats['taskers']}
    assert stats['taskerCount'] == 2
    for tasker in job.taskers:
        mine = [t for t in job.trains if t.tasker_id == tasker.user['id']]
        entry = by_tasker[tasker.user['id']]
        assert entry['screenName'] == tasker.user['screenName']
        assert entry['trains'] == len(mine)
        assert entry['earned'] == f'{Decimal(h.BOUNTY) * len(mine):.2f}'
    assert [t['trains'] for t in stats['taskers']] == [5, 3], 'most trains first'
