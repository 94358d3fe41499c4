"""Regressions of defects found in review: each test failed before its fix."""
import json
import os
import struct
import time
import uuid

import requests

import e2e_lib as e
from e2e_lib import expect


def test_throttle_cannot_be_dodged_with_a_variant_of_the_email(base, new_user):
    """Once an account is throttled, a variant of its email with an invisible character
    does not reach it: emails are compared exactly (sql/015), so the variant is no account
    and its right password does not sign in (before, the database matched it loosely and
    the throttle had to count against the account instead of the typed text)."""
    user = new_user('tasker')
    client = e.Client(base, source_address=e.unique_loopback_address())
    try:
        for i in range(15):
            r = client.post('/api/auth/login', json={'email': user.email, 'password': f'wrong-{i}'})
            if r.status_code == 429:
                break
        else:
            raise AssertionError('never throttled')
        local, domain = user.email.split('@')
        other = e.Client(base, source_address=e.unique_loopback_address())
        try:
            for variant in (local + '@\u200b' + domain, local + '\u200b@' + domain):
                expect(other.post('/api/auth/login', json={'email': variant, 'password': user.password}),
                       401, 'invalid_credentials')
            expect(other.post('/api/auth/login', json={'email': user.email.upper(), 'password': user.password}), 429)
        finally:
            other.close()
    finally:
        client.close()


def test_a_draft_job_does_not_exist_for_taskers(base, new_user):
    requester = new_user('requester')
    draft = expect(requester.post('/api/jobs', json=e.job_body()), 201)
    tasker = new_user('tasker')
    expect(tasker.post(f'/api/jobs/{draft["id"]}/leases'), 404)
    expect(tasker.get(f'/api/jobs/{draft["id"]}'), 404)


def test_lengths_count_code_points_as_the_database_does(base, new_user):
    """64 letters with a combining accent are 64 characters to Swift but 128 code points
    to MariaDB's VARCHAR(64): refused up front, never a 500 at submission time."""
    requester = new_user('requester')
    long_label = 'e\u0301' * 64
    expect(requester.post('/api/jobs', json=e.job_body(labels=[long_label])), 422)
    r = requester.post('/api/jobs', json=e.job_body(title='a\u0301' * 150))
    expect(r, 422)


def big_png(megabytes, seed):
    """A file that passes the upload's checks (the PNG signature and IHDR, then chunks up to
    IEND; their CRCs are not checked), its bulk random bytes in a private chunk: the size
    of a large photo, cheap to make."""
    head = e.png(64, 48)[:33]
    size = megabytes * 1024 * 1024 - len(head) - 12 - 12
    data = os.urandom(size - 1) + bytes([seed])
    return head + struct.pack('>I', size) + b'raNd' + data + b'\0\0\0\0' + b'\0\0\0\0IEND\xaeB`\x82'


def test_an_export_does_not_hold_a_worker_for_a_slow_client(base, new_user):
    """Eight downloads of a 45 MB export that nobody reads (as many as worker threads):
    nginx spools exports to disk and at most two run at once, so the API keeps answering.
    Before, each stalled download held a worker thread until its client read it all."""
    requester = new_user('requester')
    job = expect(requester.post('/api/jobs', json=e.job_body()), 201)
    for seed in range(3):
        expect(requester.post(f'/api/jobs/{job["id"]}/images?filename=big{seed}.png', data=big_png(15, seed),
                              headers={'Content-Type': 'image/png'}), 201)
    url = f'{base}/api/jobs/{job["id"]}/export?format=yolo'
    headers = {'Authorization': f'Bearer {requester.token}'}
    stalled = []
    try:
        for _ in range(8):
            r = requests.get(url, headers=headers, stream=True, timeout=30)
            assert r.status_code in (200, 429), r.status_code
            stalled.append(r)  # never read
        time.sleep(1)
        started = time.monotonic()
        expect(requests.get(f'{base}/api/healthz', timeout=20), 200)
        expect(requester.get('/api/me', timeout=20), 200)
        assert time.monotonic() - started < 5
        busy = [r for r in stalled if r.status_code == 429]
        assert busy, 'more exports ran at once than the gate allows'
        for r in busy:
            assert r.headers.get('Retry-After'), r.headers
            assert r.json()['error']['code'] == 'exports_busy'
    finally:
        for r in stalled:
            r.close()


def test_deeply_nested_legacy_json_is_refused_not_fatal(base, new_user):
    requester = new_user('requester')
    token = requests.get(f'{base}/Server.aph', params={
        'Command': 'RequesterLogon', 'Email': requester.email, 'Password': requester.password}, timeout=30).text
    body = '{"labels": ' + '[' * 400 + ']' * 400 + ', "title": "x"}'
    r = requests.post(f'{base}/Server.aph', params={'Command': 'PublishJob1', 'UserID': token, 'Name': 'deep'},
                      data=body, headers={'Content-Type': 'application/json'}, timeout=30)
    assert r.status_code == 200, r.status_code
    expect(requests.get(f'{base}/api/healthz', timeout=10), 200)
    json.dumps(r.text)  # a reply, whatever it says; the worker is alive


def test_one_address_guessing_many_accounts_is_throttled(base, new_user):
    """The client address has a looser allowance than one account (people share
    addresses), but a machine trying account after account is still stopped."""
    client = e.Client(base, source_address=e.unique_loopback_address())
    try:
        for attempt in range(40):
            r = client.post('/api/auth/login', json={'email': e.unique_email('guess'), 'password': 'not-it-123'})
            if r.status_code == 429:
                break
            expect(r, 401, 'invalid_credentials')
        else:
            raise AssertionError('40 failed sign-ins from one address and never a 429')
        assert attempt >= 30, f'an address was blocked after only {attempt} failures'
        assert r.headers.get('Retry-After')
        # Someone else, elsewhere, is not affected.
        user = new_user('tasker')
        expect(e.Client(base, source_address=e.unique_loopback_address()).post(
            '/api/auth/login', json={'email': user.email, 'password': user.password}), 200)
    finally:
        client.close()


def test_an_upload_gets_its_body_limit_however_its_path_is_written(new_user):
    """The worker's router matches paths in any case and with a trailing slash; nginx's
    upload location (28 MB instead of the API's 1 MB) matches them the same way."""
    requester = new_user('requester')
    job = expect(requester.post('/api/jobs', json=e.job_body()), 201)
    for i, path in enumerate((f'/api/jobs/{job["id"]}/images/', f'/api/JOBS/{job["id"]}/Images')):
        body = expect(requester.post(path, data=big_png(2, i), headers={'Content-Type': 'image/png'}), 201)
        assert body['items'][0]['duplicate'] is False, body


def test_look_alike_accounts_have_throttles_of_their_own(base, db):
    """"zoë@" and "zoe@" are two accounts (sql/015), so they are two throttle keys
    (sql/016): signing in to one does not clear the other's block."""
    tag = uuid.uuid4().hex[:10]
    victim, other = f'zo\u00eb-{tag}@e2e.example.com', f'zoe-{tag}@e2e.example.com'
    client = e.Client(base, source_address=e.unique_loopback_address())
    try:
        for email in (victim, other):
            expect(client.post('/api/auth/register', json={'email': email, 'password': 'longenough-1', 'role': 'tasker'}), 201)
        expect(client.post('/api/auth/login', json={'email': victim, 'password': 'wrong-1'}), 401)
        # The victim's account blocked for an hour, as many failures would block it.
        with db.cursor() as cur:
            cur.execute('UPDATE login_failures SET blocked_until = NOW(6) + INTERVAL 1 HOUR WHERE throttle_key = %s',
                        ('email:' + victim,))
            assert cur.rowcount == 1
        db.commit()
        expect(client.post('/api/auth/login', json={'email': other, 'password': 'longenough-1'}), 200)
        expect(client.post('/api/auth/login', json={'email': victim, 'password': 'longenough-1'}), 429)
    finally:
        client.close()
