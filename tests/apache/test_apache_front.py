"""The site through Apache (deploy/apache.conf, mod_proxy_fcgi and mod_xsendfile) instead
of nginx: the marketplace loop, images sent by Apache from the worker's X-Sendfile, the
worker's own body limits, errors in JSON, the web apps, the legacy endpoint, and a worker
that is down. The worker under test has "fileSending": "x-sendfile" (apache_front.py)."""
import csv
import io
import os
import socket
import time
import zipfile

import requests

import e2e_lib as e
import ttstack
from e2e_lib import expect

TIMEOUT = 60


def test_marketplace_loop_and_images_sent_by_apache(apache, db):
    requester = e.register(apache.base, 'requester')
    ttstack.admin_credit(requester.email, '1.00')
    job = expect(requester.post('/api/jobs', json=e.job_body(bounty='0.10', budget='0.40', resultsPerImage=2)), 201)
    multipart_png, raw_png = ttstack.png(64, 48), ttstack.png(80, 40)
    tasks = e.upload_pngs(requester, job['id'], [multipart_png])
    raw = expect(requester.post(f'/api/jobs/{job["id"]}/images', data=raw_png,
                                headers={'Content-Type': 'image/png'}), 201)
    tasks += [item['task'] for item in raw['items']]
    expect(requester.post(f'/api/jobs/{job["id"]}/activate'), 200)

    tasker, outsider = e.register(apache.base), e.register(apache.base)
    lease = expect(tasker.post(f'/api/jobs/{job["id"]}/leases'), 201)
    image = tasker.get(lease['image']['url'])
    assert image.status_code == 200, e.describe(image)
    assert image.content == {tasks[0]['id']: multipart_png, tasks[1]['id']: raw_png}[lease['taskId']]
    assert image.headers['Content-Type'] == 'image/png'
    assert image.headers['Content-Security-Policy'] == "default-src 'none'; sandbox"
    assert image.headers['Cache-Control'] == 'private, max-age=86400'
    assert 'X-Sendfile' not in image.headers, 'mod_xsendfile consumes the header'
    assert 'ETag' not in image.headers
    assert apache.dir not in str(image.headers)
    expect(outsider.get(lease['image']['url']), 404, 'not_found', echoed=(apache.dir,))

    train = expect(tasker.post(f'/api/leases/{lease["id"]}/train',
                               json={'boxes': [e.inside_box(lease)], 'nothingToMark': False}), 201)
    assert train['state'] == 'pending' and e.money(tasker.me()['balance']) == 0
    assert e.approve_all(requester, job['id'])['count'] == 1
    assert e.money(tasker.me()['balance']) == e.money('0.10')
    trains = expect(requester.get(f'/api/jobs/{job["id"]}/trains'), 200)['items']
    assert [t['id'] for t in trains] == [train['id']]
    rows = list(csv.DictReader(io.StringIO(requester.get(f'/api/jobs/{job["id"]}/trains?format=csv').text)))
    assert [int(r['train_id']) for r in rows] == [train['id']]

    export = requester.get(f'/api/jobs/{job["id"]}/export?format=yolo')
    assert export.status_code == 200, e.describe(export)
    assert export.headers['Content-Disposition'] == f'attachment; filename="job-{job["id"]}-yolo.zip"'
    assert zipfile.ZipFile(io.BytesIO(export.content)).testzip() is None
    e.audit_ok()


def _json_of_exactly(size):
    """A job's JSON, padded with spaces to exactly `size` bytes."""
    body = ('{"name": "%s", "title": "t", "description": "d", "instructions": "i", "labels": ["car"], '
            '"bounty": "0.05", "budget": "0.05"}' % e.unique_email('pad')).encode()
    return body + b' ' * (size - len(body))


def _uncompressed_png(width, height):
    raw = b''.join(b'\x00' + os.urandom(width * 3) for _ in range(height))
    return ttstack.png_from_scanlines(width, height, raw, level=0)


def test_body_limits_are_the_workers_and_errors_are_json(apache, db):
    requester = e.register(apache.base, 'requester')
    job = expect(requester.post('/api/jobs', json=e.job_body()), 201)
    json_type = {'Content-Type': 'application/json'}
    # Apache's LimitRequestBody does not apply to proxied requests: the worker's 1 MiB does.
    expect(requester.post('/api/jobs', data=_json_of_exactly(1024 * 1024), headers=json_type), 201)
    before = e.snapshot(db)
    too_big = _json_of_exactly(1024 * 1024 + 1)
    expect(requester.post('/api/jobs', data=too_big, headers=json_type), 413, 'too_large')
    # Sent chunked: Apache passes a body of more than 16 KiB on without a length, and the
    # worker stops reading one byte over the limit.
    expect(requester.post('/api/jobs', data=iter([too_big[:4096], too_big[4096:]]), headers=json_type),
           413, 'too_large')
    expect(requester.get('/api/nothing/here'), 404, 'not_found')
    expect(requester.get('/api/jobs/x%2F..%2Fetc'), 404, 'not_found')
    expect(requester.delete('/api/me'), 405, 'method_not_allowed')
    assert e.snapshot(db) == before

    # Image uploads take more than 1 MiB, with a length or chunked.
    for send in (lambda body: body, lambda body: iter([body[:100000], body[100000:]])):
        large = _uncompressed_png(800, 640)
        assert len(large) > 1024 * 1024
        added = expect(requester.post(f'/api/jobs/{job["id"]}/images', data=send(large),
                                      headers={'Content-Type': 'image/png'}), 201)['items'][0]['task']
        assert added['width'] == 800
        assert os.path.getsize(os.path.join(apache.data, 'images', added['sha256'][:2], added['sha256'])) == len(large)


def test_an_upload_cut_off_midway_stores_nothing(apache, db):
    requester = e.register(apache.base, 'requester')
    job = expect(requester.post('/api/jobs', json=e.job_body()), 201)
    image = _uncompressed_png(400, 300)
    head = (f'POST /api/jobs/{job["id"]}/images HTTP/1.1\r\nHost: 127.0.0.1\r\n'
            f'Authorization: Bearer {requester.token}\r\nContent-Type: image/png\r\n'
            f'Content-Length: {len(image)}\r\n\r\n').encode()
    with socket.create_connection(('127.0.0.1', apache.port), timeout=10) as conn:
        conn.sendall(head + image[:len(image) // 2])
        time.sleep(0.5)
    deadline = time.time() + 10
    while 'request body cut short' not in apache.worker_log() and time.time() < deadline:
        time.sleep(0.1)
    assert e.query_one(db, 'SELECT COUNT(*) AS n FROM tasks WHERE job_id = %s', job['id'])['n'] == 0
    assert 'request body cut short' in apache.worker_log()


def test_web_apps_redirects_and_internal_paths(apache):
    get = lambda path: requests.get(apache.base + path, allow_redirects=False, timeout=TIMEOUT)  # noqa: E731
    assert get('/').status_code == 302 and get('/').headers['Location'].endswith('/tasker/')
    assert get('/tasker').status_code == 301
    for app in ('tasker', 'requester'):
        page = get(f'/{app}/')
        assert page.status_code == 200 and '<script' in page.text
        assert "script-src 'self'" in page.headers['Content-Security-Policy']
        assert page.headers['Cache-Control'] == 'no-cache'
        assert page.headers['X-Frame-Options'] == 'DENY'
        deep = get(f'/{app}/jobs/12')
        assert deep.status_code == 200 and deep.text == page.text, 'client-side routes get the app'
    assert get('/tasker/app.js').headers['Content-Type'].startswith(('application/javascript', 'text/javascript'))
    assert get('/nothing').status_code == 404
    assert get('/_errors/too_large.json').status_code == 403, 'error bodies are only ErrorDocuments'
    assert get('/config.json').status_code == 404


def test_legacy_endpoint_with_its_spellings(apache):
    for path in ('/Server.aph', '/server.aph/', '/SERVER.APH'):
        email = ttstack.unique_email('apache-legacy', domain='legacy.example.com')
        token = requests.get(f'{apache.base}{path}', params={'Command': 'TaskerRegistration', 'Email': email,
                                                             'Password': 'pw-apache-legacy-1'}, timeout=TIMEOUT).text
        assert len(token) == 64 and int(token, 16) >= 0, (path, token[:200])
        # A script's Authorization header reaches the worker (CGIPassAuth).
        me = requests.get(f'{apache.base}/api/me', headers={'Authorization': 'Bearer ' + token}, timeout=TIMEOUT)
        assert me.status_code == 200 and me.json()['email'] == email


def test_a_worker_that_is_down_is_a_json_503(apache):
    apache.stop_worker()
    try:
        r = requests.get(f'{apache.base}/api/open-jobs', timeout=TIMEOUT)
        assert r.status_code == 503, r.text[:300]
        assert r.headers['Content-Type'].startswith('application/json')
        assert r.json()['error']['code'] == 'worker_unavailable'
        legacy = requests.get(f'{apache.base}/Server.aph', params={'Command': 'GetAllJobs'}, timeout=TIMEOUT)
        assert legacy.text.startswith('Error:'), legacy.text[:200]
    finally:
        apache.start_worker()
    assert requests.get(f'{apache.base}/healthz', timeout=TIMEOUT).status_code == 200
