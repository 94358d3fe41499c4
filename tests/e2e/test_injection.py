"""SQL injection strings in every string field and in path and query parameters: they are
stored verbatim (and come back verbatim, in JSON and CSV) or refused; never executed (the
tables are all still there, no query slept, nobody signed in without a password)."""
import csv
import io
import time
import urllib.parse
import uuid

import e2e_lib as e
from e2e_lib import expect, money

INJ = "x'); DROP TABLE users; --"
INJ2 = "Robert'); DROP TABLE jobs;-- "
INJ3 = "1' OR '1'='1"
INJ4 = "\\'; SELECT SLEEP(3); -- "
INJ_NOSPACE = "x');DROP/**/TABLE/**/payouts;--"
ALL = (INJ, INJ2, INJ3, INJ4, INJ_NOSPACE)
TABLES = {'users', 'sessions', 'login_failures', 'accounts', 'ledger_entries', 'jobs', 'tasks', 'leases',
          'trains', 'boxes', 'payouts'}


def _tables_intact(db):
    present = e.tables(db)
    assert TABLES <= present, f'tables missing: {TABLES - present}'
    assert e.query_one(db, 'SELECT COUNT(*) AS n FROM users')['n'] > 0


def test_injection_in_account_fields_is_stored_verbatim_or_refused(base, db, new_user):
    # Screen name and password: stored as they are.
    user = new_user('tasker', screen_name=INJ, password=INJ + 'pw')
    assert user.me()['screenName'] == INJ
    assert e.query_one(db, 'SELECT screen_name FROM users WHERE id = %s', user.id)['screen_name'] == INJ
    c = e.Client(base, source_address=e.unique_loopback_address())
    try:
        assert expect(c.post('/api/auth/login', json={'email': user.email, 'password': INJ + 'pw'}),
                      200)['user']['id'] == user.id
        # An email with quotes and SQL that is still an address: stored verbatim.
        email = f"o'brien');drop-table-users;--{uuid.uuid4().hex[:8]}@e2e.example.com"
        r = c.post('/api/auth/register', json={'email': email, 'password': 'longenough1', 'screenName': INJ2})
        me = expect(r, 201)['user']
        assert me['email'] == email and me['screenName'] == INJ2.strip(), me
        assert e.query_one(db, 'SELECT email FROM users WHERE id = %s', me['id'])['email'] == email

        before = e.snapshot(db)
        # Not an address, not a role: refused, the message may quote it but nothing else.
        expect(c.post('/api/auth/register', json={'email': INJ, 'password': 'longenough1'}), 422, echoed=ALL)
        expect(c.post('/api/auth/register', json={'email': e.unique_email('inj'), 'password': 'longenough1',
                                                  'role': INJ}), 422, echoed=ALL)
        # No way in without the password.
        for email_try in (INJ, f"{user.email}' --", f"' OR '1'='1' -- @x.co", user.email):
            for password in (INJ3, "' OR '1'='1", INJ):
                expect(c.post('/api/auth/login', json={'email': email_try, 'password': password}),
                       (401, 429), echoed=ALL + (email_try,))
        assert e.snapshot(db) == before
    finally:
        c.close()
    _tables_intact(db)


def test_injection_in_job_upload_train_and_payout_fields_is_stored_verbatim(base, db, new_user, admin_ready):
    requester = new_user('requester')
    e.admin('credit', requester.email, '1.00')
    labels = [INJ, INJ2.strip(), 'car']
    started = time.time()
    job = expect(requester.post('/api/jobs', json=e.job_body(
        name=INJ, title=INJ2, description=INJ3, instructions=INJ4, labels=labels, bounty='0.05', budget='0.10',
        resultsPerImage=1)), 201)
    assert time.time() - started < 2.5, 'creating the job took as long as the SLEEP in its text'
    jid = job['id']
    shown = expect(requester.get(f'/api/jobs/{jid}'), 200)
    assert (shown['name'], shown['title'], shown['description'], shown['instructions'], shown['labels']) == \
        (INJ, INJ2.strip(), INJ3, INJ4, labels), shown
    row = e.query_one(db, 'SELECT name, description, instructions FROM jobs WHERE id = %s', jid)
    assert (row['name'], row['description'], row['instructions']) == (INJ, INJ3, INJ4), row
    # A job type that is not one of the types: refused.
    before = e.snapshot(db)
    expect(requester.post('/api/jobs', json=e.job_body(type=INJ)), 422, echoed=ALL)
    expect(requester.patch(f'/api/jobs/{jid}', json={'type': INJ2}), 422, echoed=ALL)
    assert e.snapshot(db) == before
    # PATCH with them too.
    patched = expect(requester.patch(f'/api/jobs/{jid}', json={'description': INJ, 'title': INJ3}), 200)
    assert patched['description'] == INJ and patched['title'] == INJ3, patched

    # File names, from the query string and from multipart.
    raw = expect(requester.post(f'/api/jobs/{jid}/images', params={'filename': INJ + '.png'}, data=e.png(),
                                headers={'Content-Type': 'image/png'}), 201)
    assert raw['items'][0]['task']['filename'] == INJ + '.png', raw
    multi = expect(requester.post(f'/api/jobs/{jid}/images',
                                  files=[('file', (INJ3 + '.png', e.png(), 'image/png'))]), 201)
    assert multi['items'][0]['task']['filename'] == INJ3 + '.png', multi
    names = {r['filename'] for r in e.query(db, 'SELECT filename FROM tasks WHERE job_id = %s', jid)}
    assert names == {INJ + '.png', INJ3 + '.png'}, names
    expect(requester.post(f'/api/jobs/{jid}/activate'), 200)

    # A box labelled with the injection string: stored and shown verbatim, in JSON and CSV.
    tasker = new_user('tasker', screen_name=INJ3)
    lease = expect(tasker.post(f'/api/jobs/{jid}/leases'), 201)
    assert lease['labels'] == labels
    b = {'x': 1, 'y': 1, 'w': 5, 'h': 5, 'label': INJ}
    train = expect(tasker.post(f'/api/leases/{lease["id"]}/train', json={'boxes': [b]}), 201)
    assert train['boxes'][0]['label'] == INJ
    assert e.query_one(db, 'SELECT label FROM boxes WHERE train_id = %s', train['id'])['label'] == INJ
    rows = list(csv.DictReader(io.StringIO(
        expect(requester.get(f'/api/jobs/{jid}/trains?format=csv'), 200).decode('utf-8'))))
    assert [(r['label'], r['filename']) for r in rows] == [(INJ, e.query_one(
        db, 'SELECT filename FROM tasks WHERE id = %s', lease['taskId'])['filename'])], rows
    # A label the job does not have: refused (the message may quote it, nothing more).
    other = new_user('tasker')
    lease2 = expect(other.post(f'/api/jobs/{jid}/leases'), 201)
    assert lease2['taskId'] != lease['taskId']
    before = e.snapshot(db)
    expect(other.post(f'/api/leases/{lease2["id"]}/train', json={'boxes': [{**b, 'label': INJ4}]}),
           422, 'unknown_label', echoed=ALL)
    assert e.snapshot(db) == before

    # A payout address full of SQL (no spaces: addresses have none) is stored as is; with spaces, refused.
    e.approve_all(requester, jid)
    assert tasker.balance() == money('0.05')
    before = e.snapshot(db)
    expect(tasker.post('/api/payouts', json={'amount': '0.05', 'address': INJ}), 422, echoed=ALL)
    assert e.snapshot(db) == before
    payout = expect(tasker.post('/api/payouts', json={'amount': '0.05', 'address': INJ_NOSPACE}), 201)
    assert payout['address'] == INJ_NOSPACE
    assert e.query_one(db, 'SELECT address FROM payouts WHERE id = %s', payout['id'])['address'] == INJ_NOSPACE
    assert expect(tasker.get('/api/payouts'), 200)['items'][0]['address'] == INJ_NOSPACE
    _tables_intact(db)
    e.audit_ok()


def test_injection_in_path_and_query_parameters_is_refused(base, db, requester_with_active_job, new_user):
    setup = requester_with_active_job(images=1, results_per_image=1)
    requester, jid = setup.requester, setup.id
    tasker = new_user('tasker')
    before = e.snapshot(db)
    for s in ALL + ('1 OR 1=1', '1; DROP TABLE jobs', f'{jid} OR 1=1', f'{jid}%27', '-1 UNION SELECT 1'):
        q = urllib.parse.quote(s, safe='')
        for client, method, path in [
                (requester, 'GET', f'/api/jobs/{q}'),
                (requester, 'PATCH', f'/api/jobs/{q}'),
                (requester, 'POST', f'/api/jobs/{q}/activate'),
                (requester, 'GET', f'/api/jobs/{q}/trains?format=csv'),
                (requester, 'GET', f'/api/tasks/{q}/trains'),
                (requester, 'GET', f'/api/tasks/{q}/image'),
                (tasker, 'POST', f'/api/jobs/{q}/leases'),
                (tasker, 'GET', f'/api/leases/{q}'),
                (tasker, 'DELETE', f'/api/leases/{q}'),
                (tasker, 'POST', f'/api/leases/{q}/train')]:
            kw = {'json': {'title': 'x'}} if method == 'PATCH' else (
                {'json': {'boxes': [{'x': 1, 'y': 1, 'w': 1, 'h': 1}]}} if path.endswith('/train') else {})
            expect(client.request(method, path, **kw), 404, echoed=ALL + (s, q))
        for path in (f'/api/jobs?page={q}', f'/api/jobs?perPage={q}', f'/api/jobs/{jid}/tasks?page={q}',
                     f'/api/jobs/{jid}/trains?perPage={q}', f'/api/me/ledger?page={q}'):
            expect(requester.get(path), 400, echoed=ALL + (s, q))
        # An unknown format is not CSV; it is not an error either (or a clean one).
        r = requester.get(f'/api/jobs/{jid}/trains?format={q}')
        assert r.status_code in (200, 400), e.describe(r)
        expect(r, r.status_code, echoed=ALL + (s, q))
    assert e.snapshot(db) == before
    _tables_intact(db)
