"""The whole path through nginx: a requester makes a job, uploads images three ways, pays
for it; two taskers take and submit; the results come back exactly, as JSON and CSV.
Also: who may see an image, duplicates, the session cookie, logout, login throttling."""
import base64
import csv
import hashlib
import io
import time
import uuid

import requests

import e2e_lib as e
from e2e_lib import expect, money


def _same_boxes(got, sent):
    assert len(got) == len(sent), (got, sent)
    for g, s in zip(got, sent):
        assert g['label'] == s['label'], (g, s)
        for k in 'xywh':
            assert isinstance(g[k], (int, float)), g
            assert float(g[k]) == float(s[k]), f'{k}: got {g[k]!r}, sent {s[k]!r} ({g} vs {s})'


def test_requester_and_two_taskers_end_to_end(base, db, admin_ready, new_user, new_users, anonymous):
    requester = new_user('requester')
    labels = ['car', 'person', 'sign, "stop"']  # a comma and quotes: CSV must quote them
    job = expect(requester.post('/api/jobs', json=e.job_body(
        labels=labels, bounty='0.05', budget='1.00', resultsPerImage=2)), 201)
    jid = job['id']
    assert job['state'] == 'draft' and job['labels'] == labels and job['bounty'] == '0.05' and job['budget'] == '1.00'

    # --- three images, three ways ------------------------------------------------------
    raw_png, multi_jpeg, b64_webp = e.png(64, 48), e.jpeg(40, 24), e.webp(30, 20)
    r1 = expect(requester.post(f'/api/jobs/{jid}/images?filename=raw.png', data=raw_png,
                               headers={'Content-Type': 'image/png'}), 201)
    r2 = expect(requester.post(f'/api/jobs/{jid}/images',
                               files=[('file', ('multi.jpg', multi_jpeg, 'image/jpeg'))]), 201)
    r3 = expect(requester.post(f'/api/jobs/{jid}/images?filename=b64.webp',
                               data='data:image/webp;base64,' + base64.b64encode(b64_webp).decode(),
                               headers={'Content-Type': 'text/plain'}), 201)
    uploaded = {}
    for answer, data, mime, w, h, name in [(r1, raw_png, 'image/png', 64, 48, 'raw.png'),
                                            (r2, multi_jpeg, 'image/jpeg', 40, 24, 'multi.jpg'),
                                            (r3, b64_webp, 'image/webp', 30, 20, 'b64.webp')]:
        assert len(answer['items']) == 1, answer
        item = answer['items'][0]
        assert item['duplicate'] is False, item
        task = item['task']
        assert (task['mimeType'], task['width'], task['height'], task['filename']) == (mime, w, h, name), task
        assert task['sha256'] == hashlib.sha256(data).hexdigest(), task
        # A draft's images have no slot paid for yet: activation opens them.
        assert task['jobId'] == jid and task['resultsWanted'] == 0 and task['trainCount'] == 0, task
        assert task['imageUrl'] == f'/api/tasks/{task["id"]}/image', task
        uploaded[task['id']] = (task, data)

    # The same image again: a duplicate, no new task (raw and multipart alike).
    again = expect(requester.post(f'/api/jobs/{jid}/images?filename=again.png', data=raw_png,
                                  headers={'Content-Type': 'image/png'}), 201)
    assert again['items'][0]['duplicate'] is True, again
    assert again['items'][0]['task']['id'] == r1['items'][0]['task']['id'], again
    again = expect(requester.post(f'/api/jobs/{jid}/images',
                                  files=[('file', ('x.jpg', multi_jpeg, 'image/jpeg'))]), 201)
    assert again['items'][0]['duplicate'] is True and again['items'][0]['task']['id'] == r2['items'][0]['task']['id']
    listed = expect(requester.get(f'/api/jobs/{jid}/tasks'), 200)
    assert listed['total'] == 3 and sorted(t['id'] for t in listed['items']) == sorted(uploaded), listed
    assert e.query_one(db, 'SELECT COUNT(*) AS n FROM tasks WHERE job_id = %s', jid)['n'] == 3

    # The owner sees every image, byte for byte.
    for tid, (task, data) in uploaded.items():
        r = requester.get(f'/api/tasks/{tid}/image')
        assert r.status_code == 200 and r.content == data, e.describe(r)
        assert r.headers['Content-Type'].startswith(task['mimeType']), r.headers
        # One Cache-Control, the worker's (requests joins repeated headers with ", ").
        assert r.headers['Cache-Control'] == 'private, max-age=86400', r.headers

    # --- money in, activation -------------------------------------------------------------
    e.admin('credit', requester.email, '5.00')
    assert requester.balance() == money('5.00')
    job = expect(requester.post(f'/api/jobs/{jid}/activate'), 200)
    # Activation pays the escrow for the slots it opens (3 images x 2 results), not the whole budget.
    assert job['state'] == 'active' and job['budgetLeft'] == '0.30' and job['openSlots'] == 6, job
    assert job['imageCount'] == 3 and job['slotsFunded'] == 6 and job['unfundedSlots'] == 0, job
    assert requester.balance() == money('4.70')

    # --- two taskers take and submit -----------------------------------------------------
    t1, t2 = new_users('tasker', 2)
    outsider = new_user('tasker')
    open_jobs = expect(t1.get('/api/open-jobs'), 200)['items']
    mine = [j for j in open_jobs if j['id'] == jid]
    assert len(mine) == 1 and mine[0]['imagesLeftForMe'] == 3 and 'budget' not in mine[0], open_jobs

    sent = {}  # train id -> (tasker, task id, nothingToMark, boxes)
    for n, tasker in enumerate((t1, t2)):
        seen = set()
        for i in range(3):
            lease = expect(tasker.post(f'/api/jobs/{jid}/leases'), 201)
            tid = lease['taskId']
            task, data = uploaded[tid]
            assert tid not in seen, 'a tasker got the same image twice'
            seen.add(tid)
            assert lease['state'] == 'live' and lease['jobId'] == jid and lease['bounty'] == '0.05', lease
            assert lease['labels'] == labels and lease['secondsLeft'] > 0, lease
            assert lease['image'] == {'url': f'/api/tasks/{tid}/image', 'width': task['width'],
                                      'height': task['height']}, lease
            # The tasker holding the lease sees the task and the image.
            r = tasker.get(lease['image']['url'])
            assert r.status_code == 200 and r.content == data, e.describe(r)
            assert expect(tasker.get(f'/api/tasks/{tid}'), 200)['id'] == tid
            # Somebody who never had it does not; nobody signed out does.
            expect(outsider.get(f'/api/tasks/{tid}/image'), 404)
            expect(outsider.get(f'/api/tasks/{tid}'), 404)
            expect(anonymous.get(f'/api/tasks/{tid}/image'), 401)

            w, h = task['width'], task['height']
            if n == 1 and i == 2:
                body = {'boxes': [], 'nothingToMark': True}
            else:
                body = {'boxes': [
                    {'x': 0.5, 'y': 1.25, 'w': w - 0.5, 'h': 3.75, 'label': labels[i % 3]},  # touches the right edge
                    {'x': 10, 'y': 5, 'w': 7.125, 'h': h - 5, 'label': labels[(i + n + 1) % 3]},  # the bottom edge
                    {'x': 3.3, 'y': 0.1, 'w': 1e-3, 'h': 0.7, 'label': labels[2]},
                ][:1 + (i + n) % 3], 'nothingToMark': False}
            train = expect(tasker.post(f'/api/leases/{lease["id"]}/train', json=body), 201)
            assert train['leaseId'] == lease['id'] and train['taskId'] == tid and train['jobId'] == jid, train
            assert train['taskerId'] == tasker.id and train['bounty'] == '0.05' and train['state'] == 'pending', train
            assert train['coordinateSpace'] == 'image' and train['nothingToMark'] is body['nothingToMark'], train
            _same_boxes(train['boxes'], body['boxes'])
            sent[train['id']] = (tasker, tid, body['nothingToMark'], body['boxes'])
            assert expect(tasker.get(f'/api/leases/{lease["id"]}'), 200)['state'] == 'submitted'
        expect(tasker.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')
        # Having had the lease, the tasker still sees the image.
        for tid in seen:
            assert tasker.get(f'/api/tasks/{tid}/image').status_code == 200
    assert len(sent) == 6

    # --- results as JSON -------------------------------------------------------------------
    page = expect(requester.get(f'/api/jobs/{jid}/trains'), 200)
    assert page['total'] == 6 and len(page['items']) == 6, page
    for train in page['items']:
        tasker, tid, nothing, boxes = sent[train['id']]
        assert (train['taskerId'], train['taskId'], train['nothingToMark']) == (tasker.id, tid, nothing), train
        _same_boxes(train['boxes'], boxes)
    for tid in uploaded:
        per_task = expect(requester.get(f'/api/tasks/{tid}/trains'), 200)['items']
        assert sorted(t['id'] for t in per_task) == sorted(k for k, v in sent.items() if v[1] == tid)
        assert len(per_task) == 2
        for train in per_task:
            _same_boxes(train['boxes'], sent[train['id']][3])
    # Paging.
    first = expect(requester.get(f'/api/jobs/{jid}/trains?page=1&perPage=4'), 200)
    second = expect(requester.get(f'/api/jobs/{jid}/trains?page=2&perPage=4'), 200)
    assert len(first['items']) == 4 and len(second['items']) == 2 and first['total'] == 6
    assert {t['id'] for t in first['items'] + second['items']} == set(sent)

    # --- results as CSV: every box, the same as the JSON ---------------------------------
    def check_csv(resp, train_ids):
        assert resp.status_code == 200, e.describe(resp)
        assert resp.headers['Content-Type'].startswith('text/csv'), resp.headers
        rows = list(csv.DictReader(io.StringIO(resp.content.decode('utf-8'))))
        expected_rows = sum(max(1, len(sent[t][3])) for t in train_ids)
        assert len(rows) == expected_rows, rows
        by_train = {}
        for row in rows:
            by_train.setdefault(int(row['train_id']), []).append(row)
        assert set(by_train) == set(train_ids)
        for train_id, trows in by_train.items():
            tasker, tid, nothing, boxes = sent[train_id]
            task = uploaded[tid][0]
            for row in trows:
                assert int(row['task_id']) == tid and int(row['job_id']) == jid, row
                assert int(row['tasker_id']) == tasker.id and row['filename'] == task['filename'], row
                assert int(row['image_width']) == task['width'] and int(row['image_height']) == task['height'], row
                assert row['nothing_to_mark'] in ('1', 'true') if nothing else row['nothing_to_mark'] in ('0', 'false')
                assert row['created_at'], row
            if nothing:
                assert len(trows) == 1 and all(trows[0][k] == '' for k in ('label', 'x', 'y', 'w', 'h')), trows
                continue
            got = [{'label': r['label'], 'x': float(r['x']), 'y': float(r['y']), 'w': float(r['w']),
                    'h': float(r['h'])} for r in trows]
            _same_boxes(got, boxes)

    check_csv(requester.get(f'/api/jobs/{jid}/trains?format=csv'), list(sent))
    for tid in uploaded:
        check_csv(requester.get(f'/api/tasks/{tid}/trains?format=csv'), [k for k, v in sent.items() if v[1] == tid])

    # --- money: pending until the requester approves ------------------------------------------
    for tasker in (t1, t2):
        assert tasker.balance() == 0 and e.earnings(tasker)['pending'] == money('0.15')
    job = expect(requester.get(f'/api/jobs/{jid}'), 200)
    assert (job['budgetLeft'], job['pendingCount'], job['trainCount'], job['openSlots']) == ('0.30', 6, 6, 0), job
    decision = e.approve_all(requester, jid)
    assert (decision['count'], decision['amount']) == (6, '0.30'), decision
    for tasker in (t1, t2):
        me = tasker.me()
        assert money(me['balance']) == money('0.15') and money(me['earnedToday']) == money('0.15'), me
        ledger = expect(tasker.get('/api/me/ledger'), 200)
        bounties = [x for x in ledger['items'] if x['kind'] == 'bounty']
        assert len(bounties) == 1 and bounties[0]['amount'] == '0.15' and bounties[0]['direction'] == 'in', ledger
        approved = expect(tasker.get('/api/me/results?state=approved'), 200)['items']
        assert {x['id'] for x in approved} == {k for k, v in sent.items() if v[0] is tasker}, approved
    job = expect(requester.get(f'/api/jobs/{jid}'), 200)
    assert job['budgetLeft'] == '0.00' and job['trainCount'] == 6 and job['approvedCount'] == 6, job
    e.audit_ok()

    # Finishing returns what is left of the escrow: nothing, every slot was used.
    job = expect(requester.post(f'/api/jobs/{jid}/finish'), 200)
    assert job['state'] == 'finished' and job['budgetLeft'] == '0.00', job
    assert requester.balance() == money('4.70')
    e.audit_ok()


def test_session_cookie_is_httponly_samesite_and_logout_ends_it(base):
    email, password = e.unique_email('cookie'), 'pw-cookie-123456'
    r = requests.post(base + '/api/auth/register', json={'email': email, 'password': password, 'role': 'tasker'},
                      timeout=e.TIMEOUT)
    body = expect(r, 201)
    cookie = r.headers.get('Set-Cookie', '')
    assert cookie.startswith('tt_session='), r.headers
    attrs = [a.strip().lower() for a in cookie.split(';')]
    assert 'httponly' in attrs, cookie
    assert any(a.startswith('samesite=') and a.split('=', 1)[1] in ('lax', 'strict') for a in attrs), cookie
    assert 'path=/' in attrs, cookie
    token = cookie.split(';')[0].split('=', 1)[1]
    assert token and token == body['token'], (cookie, body)
    assert 'no-store' in r.headers.get('Cache-Control', ''), r.headers

    def me(**kw):
        return requests.get(base + '/api/me', timeout=e.TIMEOUT, **kw)

    # The cookie alone signs in; so does the bearer token.
    assert expect(me(headers={'Cookie': f'tt_session={token}'}), 200)['email'] == email
    assert expect(me(headers={'Authorization': f'Bearer {token}'}), 200)['email'] == email
    # The scheme in any case, spaces and tabs around the token (RFC 9110); another scheme is no session.
    assert expect(me(headers={'Authorization': f'bEARER \t {token}\t '}), 200)['email'] == email
    expect(me(headers={'Authorization': f'Basic {token}'}), 401, 'unauthenticated')
    expect(me(headers={'Authorization': f'Bearer{token}'}), 401, 'unauthenticated')

    # A second session through login.
    r = requests.post(base + '/api/auth/login', json={'email': email.upper(), 'password': password}, timeout=e.TIMEOUT)
    second = expect(r, 200)['token']
    assert second != token and 'httponly' in r.headers.get('Set-Cookie', '').lower()

    # Logout through the cookie: 204, the cookie is cleared, the old token no longer works.
    r = requests.post(base + '/api/auth/logout', headers={'Cookie': f'tt_session={token}'}, timeout=e.TIMEOUT)
    assert r.status_code == 204, e.describe(r)
    cleared = r.headers.get('Set-Cookie', '').lower()
    assert cleared.startswith('tt_session=;') or cleared.startswith('tt_session=""'), cleared
    assert 'max-age=0' in cleared or 'expires=thu, 01 jan 1970' in cleared, cleared
    expect(me(headers={'Cookie': f'tt_session={token}'}), 401, 'unauthenticated')
    expect(me(headers={'Authorization': f'Bearer {token}'}), 401, 'unauthenticated')
    # The other session lives on until it too is ended (here through the bearer token).
    expect(me(headers={'Authorization': f'Bearer {second}'}), 200)
    r = requests.post(base + '/api/auth/logout', headers={'Authorization': f'Bearer {second}'}, timeout=e.TIMEOUT)
    assert r.status_code == 204, e.describe(r)
    expect(me(headers={'Authorization': f'Bearer {second}'}), 401)
    expect(me(headers={'Cookie': f'tt_session={second}'}), 401)


def test_login_throttle_answers_429_with_retry_after(base, new_user):
    user = new_user('tasker')
    # A client address of its own, so that this test's failures block nobody else's sign-ins.
    addr = e.unique_loopback_address()
    client = e.Client(base, source_address=addr)
    other = e.Client(base, source_address=e.unique_loopback_address())
    try:
        failures = 0
        for i in range(15):
            r = client.post('/api/auth/login', json={'email': user.email, 'password': f'wrong-password-{i}'})
            if r.status_code == 429:
                break
            expect(r, 401, 'invalid_credentials')
            failures += 1
        else:
            raise AssertionError('15 wrong passwords in a row and never a 429')
        assert failures >= 3, f'blocked after only {failures} failures'
        expect(r, 429, 'too_many_attempts')
        retry = r.headers.get('Retry-After')
        assert retry is not None and retry.isdigit() and int(retry) >= 1, r.headers
        # While blocked, even the right password is refused, from any address: the account is throttled.
        expect(client.post('/api/auth/login', json={'email': user.email, 'password': user.password}), 429)
        expect(other.post('/api/auth/login', json={'email': user.email, 'password': user.password}), 429)
        # Once the wait is over, the right password works again.
        time.sleep(int(retry) + 0.5)
        for _ in range(10):
            r = other.post('/api/auth/login', json={'email': user.email, 'password': user.password})
            if r.status_code != 429:
                break
            time.sleep(int(r.headers.get('Retry-After', '1')) + 0.2)
        assert expect(r, 200)['user']['id'] == user.id
    finally:
        client.close()
        other.close()


def test_one_email_one_account_whatever_its_case_or_unicode_spelling(base, db):
    """Emails are unique whatever their case, and in any Unicode spelling of the same text
    (composed or decomposed accents); an address with another letter is another account,
    accents included ("zoë" is not "zoe"); invisible characters are refused."""
    tag = uuid.uuid4().hex[:10]
    composed, decomposed, plain = f'zo\u00eb-{tag}@e2e.example.com', f'zoe\u0308-{tag}@e2e.example.com', f'zoe-{tag}@e2e.example.com'
    anon = e.Client(base)
    try:
        def register(email):
            return anon.post('/api/auth/register', json={'email': email, 'password': 'longenough-1', 'role': 'tasker'})
        first = expect(register(composed), 201)
        assert first['user']['email'] == composed
        expect(register(decomposed.upper()), 409, 'email_taken')
        assert expect(register(plain), 201)['user']['email'] == plain
        expect(register(f'zoe\u200b-{tag}@e2e.example.com'), 422, 'invalid_email')
        signed_in = expect(anon.post('/api/auth/login', json={'email': decomposed, 'password': 'longenough-1'}), 200)
        assert signed_in['user']['id'] == first['user']['id']
        rows = e.query(db, 'SELECT email FROM users WHERE email LIKE %s', f'%-{tag}@e2e.example.com')
        assert sorted(r['email'] for r in rows) == sorted([composed, plain]), rows
    finally:
        anon.close()


def test_the_session_cookie_does_not_act_for_another_site(base, db, new_user):
    """SameSite=Lax keeps the cookie from other sites' forms, but not from a sibling site
    (another port or subdomain). A request that may change something and comes with the
    cookie from another site, as the browser says (Sec-Fetch-Site, else Origin), is refused
    with 403 and changes nothing; reads, the same site, and bearer tokens are not affected."""
    tasker = new_user('tasker')
    e.admin('credit', tasker.email, '0.30')
    host = base.split('://', 1)[1]
    cookie = {'Cookie': f'tt_session={tasker.token}'}
    payout = {'amount': '0.10', 'address': 'W-csrf'}

    def post(path, **headers):
        return requests.post(base + path, json=payout, headers={**cookie, **headers}, timeout=e.TIMEOUT)

    before = e.snapshot(db)
    for headers in ({'Origin': 'http://evil.127.0.0.1:9999'}, {'Origin': 'null'},
                    {'Sec-Fetch-Site': 'same-site', 'Origin': f'http://{host}'}, {'Sec-Fetch-Site': 'cross-site'}):
        expect(post('/api/payouts', **headers), 403, 'cross_site_request')
    expect(post('/api/auth/logout', Origin='http://evil.127.0.0.1:9999'), 403, 'cross_site_request')
    assert e.snapshot(db) == before
    # Reads with the cookie, whatever the origin (the browser keeps the answer from the other site).
    expect(requests.get(base + '/api/me', headers={**cookie, 'Origin': 'http://evil.127.0.0.1:9999'},
                        timeout=e.TIMEOUT), 200)
    # This site, as a browser says it, and clients that are no browser.
    expect(post('/api/payouts', **{'Sec-Fetch-Site': 'same-origin', 'Origin': f'http://{host}'}), 201)
    expect(post('/api/payouts', Origin=f'http://{host}'), 201)
    expect(post('/api/payouts'), 201)
    # Behind a proxy that names the scheme's own port in Host, which the Origin leaves out.
    name = host.split(':')[0]
    e.admin('credit', tasker.email, '0.20')
    expect(post('/api/payouts', Host=f'{name}:443', Origin=f'https://{name}'), 201)
    expect(post('/api/payouts', Host=f'{name}:80', Origin=f'http://{name}'), 201)
    expect(post('/api/payouts', Host=f'{name}:80', Origin=f'https://{name}'), 403, 'cross_site_request')
    # A bearer token is no ambient credential: the origin does not matter.
    expect(tasker.post('/api/payouts', json={'amount': '0.00', 'address': 'W-csrf'},
                       headers={'Origin': 'http://evil.127.0.0.1:9999'}), 422)
    assert tasker.balance() == 0
    e.audit_ok()
