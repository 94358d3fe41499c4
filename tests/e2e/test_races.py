"""Races: many taskers at once on one job, on the last slot of one image, on a budget of a
few bounties; many payout requests at once on one balance. The database is checked
afterwards: nobody got a task twice, no money moved while taskers worked, every result
was paid once when approved, no money appeared or vanished, `$TT_ADMIN audit` agrees."""
import collections
import functools
import time

import pytest
import requests

import e2e_lib as e
from e2e_lib import expect, money


RACE_TIMEOUT = 15  # seconds; a request of a race that takes longer has hung
NGINX_GIVES_UP = 62  # seconds: nginx's fastcgi_read_timeout (60 s) and a margin
_hung_since = []  # start times of requests that hung


@pytest.fixture(scope='module', autouse=True)
def _let_hung_requests_end():
    """When a request hung (the server never answered it), wait at the end of this module
    until nginx has given up on it, so that the hung requests do not spill into the
    tests that run next."""
    yield
    if _hung_since:
        wait = max(_hung_since) + NGINX_GIVES_UP - time.time()
        if wait > 0:
            time.sleep(wait)


class Hung(Exception):
    pass


def _post(client, path, **kw):
    """POST with a short timeout; a request the server never answers, or that nginx gives
    up on (503 worker_unavailable after its 60 s fastcgi_read_timeout), raises Hung."""
    started = time.time()
    try:
        r = client.post(path, timeout=RACE_TIMEOUT, **kw)
    except requests.exceptions.Timeout:
        _hung_since.append(started)
        raise Hung(f'POST {path} got no answer within {RACE_TIMEOUT} s')
    except requests.exceptions.ConnectionError as ex:
        _hung_since.append(started)
        raise Hung(f'POST {path}: connection failed: {ex}')
    if r.status_code in (502, 504) or (r.status_code == 503 and 'worker_unavailable' in r.text):
        raise Hung(f'POST {path} -> {r.status_code} {r.text.strip()} after {r.elapsed.total_seconds():.0f} s')
    return r


def _post_retrying_busy(client, path, **kw):
    """POST, retrying a 503 `busy` (documented: lock conflicts the server gave up on)
    after its Retry-After. Returns (response, number of 503s)."""
    busy = 0
    for _ in range(20):
        r = _post(client, path, **kw)
        if r.status_code != 503:
            return r, busy
        expect(r, 503, 'busy')
        busy += 1
        time.sleep(min(float(r.headers.get('Retry-After', '1')), 1.0) * 0.2)
    return r, busy


def _take_counted(tasker, job_id, out):
    """A new lease (never 200: every lease is submitted before the next take), or None on
    404 no_work; the answer is counted in `out`."""
    r, busy = _post_retrying_busy(tasker, f'/api/jobs/{job_id}/leases')
    out['busy'] += busy
    out['statuses'][('take', r.status_code)] += 1
    if r.status_code == 404:
        expect(r, 404, 'no_work')
        return None
    return expect(r, 201)


def _work_until_no_work(tasker, job_id, with_next=False):
    """take -> submit until 404 no_work; with_next: take once, then submit with ?next=true,
    each answer holding the next lease, until one holds none (nextError no_work). Returns
    what happened (never raises: a failure is returned in 'error', so that one hung thread
    does not keep the others waiting)."""
    out = {'trains': [], 'tasks': [], 'busy': 0, 'statuses': collections.Counter(), 'error': None}
    try:
        lease = _take_counted(tasker, job_id, out)
        for _ in range(200):
            if lease is None:
                return out
            out['tasks'].append(lease['taskId'])
            path = f'/api/leases/{lease["id"]}/train' + ('?next=true' if with_next else '')
            r, busy = _post_retrying_busy(tasker, path, json={'boxes': [e.inside_box(lease)]})
            out['busy'] += busy
            out['statuses'][('train', r.status_code)] += 1
            answer = expect(r, 201 if not busy else (200, 201))
            if not with_next:
                out['trains'].append(answer['id'])
                lease = _take_counted(tasker, job_id, out)
                continue
            out['trains'].append(answer['train']['id'])
            lease = answer['next']
            if lease is None:
                assert answer['nextError']['code'] == 'no_work', answer
            else:
                assert answer['nextError'] is None and lease['state'] == 'live', answer
        raise AssertionError('a tasker looped 200 times without hearing no_work')
    except (Hung, AssertionError) as ex:
        out['error'] = f'tasker {tasker.id}: {ex}'
        return out


def _assert_no_errors(results):
    errors = [r['error'] for r in results if r.get('error')]
    assert not errors, f'{len(errors)} of {len(results)} threads failed; first ones:\n' + '\n'.join(errors[:5])


@pytest.mark.parametrize('with_next', [False, True], ids=['take-then-submit', 'submit-and-next'])
def test_32_taskers_race_on_50_images_wanting_3_results(base, db, requester_with_active_job, new_users, with_next):
    images, wanted, bounty, budget = 50, 3, money('0.05'), money('10.00')
    setup = requester_with_active_job(images=images, results_per_image=wanted, bounty=str(bounty),
                                      budget=str(budget), width=32, height=24)
    jid = setup.id
    taskers = new_users('tasker', 32)
    started = time.time()
    results = e.run_concurrently([functools.partial(_work_until_no_work, t, jid, with_next=with_next)
                                  for t in taskers], timeout=240)
    elapsed = time.time() - started
    total = images * wanted

    statuses = sum((r['statuses'] for r in results), collections.Counter())
    busy = sum(r['busy'] for r in results)
    print(f'race: {elapsed:.1f}s, statuses {dict(statuses)}, 503 busy retries {busy}')
    _assert_no_errors(results)

    # Over HTTP: 150 results in all, no tasker twice on one image.
    assert sum(len(r['trains']) for r in results) == total, statuses
    for t, r in zip(taskers, results):
        assert len(r['tasks']) == len(set(r['tasks'])), f'tasker {t.id} got a task twice: {r["tasks"]}'

    # In the database.
    per_task = e.query(db, 'SELECT t.id, t.train_count, t.open_slots, t.results_wanted, '
                           '(SELECT COUNT(*) FROM trains x WHERE x.task_id = t.id) AS trains, '
                           '(SELECT COUNT(*) FROM leases l WHERE l.task_id = t.id) AS leases '
                           'FROM tasks t WHERE t.job_id = %s ORDER BY t.id', jid)
    assert len(per_task) == images
    bad = [row for row in per_task if (row['trains'], row['train_count'], row['open_slots'], row['leases'])
           != (wanted, wanted, 0, wanted)]
    assert not bad, f'tasks without exactly {wanted} trains / open_slots 0: {bad}'
    dup_leases = e.query(db, 'SELECT task_id, tasker_id, COUNT(*) AS n FROM leases WHERE job_id = %s '
                             'GROUP BY task_id, tasker_id HAVING n > 1', jid)
    assert not dup_leases, dup_leases
    dup_trains = e.query(db, 'SELECT task_id, tasker_id, COUNT(*) AS n FROM trains WHERE job_id = %s '
                             'GROUP BY task_id, tasker_id HAVING n > 1', jid)
    assert not dup_trains, dup_trains
    states = e.query(db, 'SELECT state, COUNT(*) AS n FROM leases WHERE job_id = %s GROUP BY state', jid)
    assert {s['state']: s['n'] for s in states} == {'submitted': total}, states

    # Activation paid the escrow for every slot (not the whole budget), and the work moved
    # no money: the escrow still holds every bounty, the taskers have nothing yet.
    def escrow():
        return money(e.query_one(db, 'SELECT a.balance FROM jobs j JOIN accounts a ON a.id = j.account_id '
                                     'WHERE j.id = %s', jid)['balance'])
    assert escrow() == total * bounty
    assert setup.requester.balance() == budget - total * bounty
    ids = [t.id for t in taskers]
    marks = ','.join(['%s'] * len(ids))

    def earned():
        return money(e.query_one(db, f'SELECT COALESCE(SUM(a.balance), 0) AS s FROM users u '
                                     f'JOIN accounts a ON a.id = u.account_id WHERE u.id IN ({marks})', *ids)['s'])
    assert earned() == 0
    assert e.approve_all(setup.requester, jid)['count'] == total
    assert escrow() == 0
    assert earned() == total * bounty
    for t, r in zip(taskers, results):
        assert t.balance() == len(r['trains']) * bounty, f'tasker {t.id}'
    # One entry per tasker who worked, naming the settlement that approved their results.
    workers = sum(1 for r in results if r['trains'])
    ledger = e.query_one(db, "SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS s FROM ledger_entries "
                             "WHERE kind = 'bounty' AND job_id = %s", jid)
    assert ledger['n'] == workers and money(ledger['s']) == total * bounty, ledger
    unpaid = e.query_one(db, "SELECT COUNT(*) AS n FROM trains r WHERE r.job_id = %s AND (r.state <> 'approved' "
                             "OR NOT EXISTS (SELECT 1 FROM ledger_entries x WHERE x.settlement_id = r.settlement_id))",
                         jid)
    assert unpaid['n'] == 0, unpaid
    e.audit_ok()

    job = expect(setup.requester.get(f'/api/jobs/{jid}'), 200)
    assert job['trainCount'] == total and job['openSlots'] == 0 and job['approvedCount'] == total, job
    assert money(job['budgetLeft']) == 0, job


def _take(tasker, job_id):
    """(status, response), or ('hung', message)."""
    try:
        r = _post(tasker, f'/api/jobs/{job_id}/leases')
        return r.status_code, r
    except Hung as ex:
        return 'hung', str(ex)


def _statuses(answers):
    hung = [r for s, r in answers if s == 'hung']
    assert not hung, f'{len(hung)} of {len(answers)} requests hung: {hung[:3]}'
    return collections.Counter(s for s, _ in answers)


def test_race_on_the_last_slots_of_one_image(base, db, requester_with_active_job, new_users):
    taskers = new_users('tasker', 20)
    for wanted in (1, 2):
        setup = requester_with_active_job(images=1, results_per_image=wanted, bounty='0.05', budget='1.00')
        jid, tid = setup.id, setup.tasks[0]['id']
        answers = e.run_concurrently([functools.partial(_take, t, jid) for t in taskers])
        statuses = _statuses(answers)
        assert statuses == {201: wanted, 404: 20 - wanted}, \
            f'results_per_image={wanted}: {dict(statuses)}: ' + '; '.join(
                e.describe(r) for s, r in answers if s not in (201, 404))[:2000]
        for s, r in answers:
            if s == 404:
                expect(r, 404, 'no_work')
        holders = [(t, expect(r, 201)) for t, (s, r) in zip(taskers, answers) if s == 201]
        assert all(lease['taskId'] == tid for _, lease in holders)
        row = e.query_one(db, 'SELECT open_slots, train_count FROM tasks WHERE id = %s', tid)
        assert (row['open_slots'], row['train_count']) == (0, 0), row
        assert e.query_one(db, "SELECT COUNT(*) AS n FROM leases WHERE task_id = %s", tid)['n'] == wanted

        for t, lease in holders:
            expect(t.post(f'/api/leases/{lease["id"]}/train', json={'boxes': [e.inside_box(lease)]}), 201)
        row = e.query_one(db, 'SELECT open_slots, train_count FROM tasks WHERE id = %s', tid)
        assert (row['open_slots'], row['train_count']) == (0, wanted), row
        assert e.query_one(db, 'SELECT COUNT(*) AS n FROM trains WHERE task_id = %s', tid)['n'] == wanted
        # Nothing is left for anyone.
        for t in taskers[:5]:
            expect(t.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')
    e.audit_ok()


def test_race_on_a_budget_of_two_bounties(base, db, requester_with_active_job, new_users):
    setup = requester_with_active_job(images=5, results_per_image=1, bounty='0.10', budget='0.20')
    jid = setup.id
    taskers = new_users('tasker', 10)
    answers = e.run_concurrently([functools.partial(_take, t, jid) for t in taskers])
    statuses = _statuses(answers)
    assert statuses == {201: 2, 404: 8}, dict(statuses)
    for s, r in answers:
        if s == 404:
            expect(r, 404, 'no_work')
    row = e.query_one(db, 'SELECT a.balance, j.escrowed_slots FROM jobs j JOIN accounts a ON a.id = j.account_id '
                          'WHERE j.id = %s', jid)
    assert money(row['balance']) == money('0.20') and row['escrowed_slots'] == 2, row
    for t, (s, r) in zip(taskers, answers):
        if s == 201:
            lease = r.json()
            expect(t.post(f'/api/leases/{lease["id"]}/train', json={'boxes': [e.inside_box(lease)]}), 201)
    # Spent: nobody gets more work; approved, the job paid exactly its budget.
    answers = e.run_concurrently([functools.partial(_take, t, jid) for t in taskers])
    assert _statuses(answers) == {404: 10}
    assert e.approve_all(setup.requester, jid)['count'] == 2
    paid = e.query_one(db, "SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS s FROM ledger_entries "
                           "WHERE kind = 'bounty' AND job_id = %s", jid)
    assert paid['n'] == 2 and money(paid['s']) == money('0.20'), paid
    row = e.query_one(db, 'SELECT a.balance, j.escrowed_slots FROM jobs j JOIN accounts a ON a.id = j.account_id '
                          'WHERE j.id = %s', jid)
    assert money(row['balance']) == 0 and row['escrowed_slots'] == 0, row
    e.audit_ok()


def _payout(base, token, amount):
    c = e.Client(base, token=token)
    try:
        return _post(c, '/api/payouts', json={'amount': amount, 'address': 'XqWallet-e2e-race'})
    except Hung as ex:
        return ex
    finally:
        c.close()


def test_race_of_payout_requests_on_one_balance(base, db, requester_with_active_job, new_user, admin_ready):
    setup = requester_with_active_job(images=5, results_per_image=1, bounty='0.10')
    tasker = new_user('tasker')
    for _ in range(5):
        lease = expect(tasker.post(f'/api/jobs/{setup.id}/leases'), 201)
        expect(tasker.post(f'/api/leases/{lease["id"]}/train', json={'boxes': [e.inside_box(lease)]}), 201)
    assert tasker.balance() == 0
    # Pending results are no balance to draw on.
    expect(tasker.post('/api/payouts', json={'amount': '0.10', 'address': 'XqWallet-e2e-race'}), 422,
           'insufficient_balance')
    e.approve_all(setup.requester, setup.id)
    assert tasker.balance() == money('0.50')
    pool_before = money(e.query_one(db, 'SELECT balance FROM accounts WHERE id = 2')['balance'])

    answers = e.run_concurrently([functools.partial(_payout, base, tasker.token, '0.10') for _ in range(20)])
    hung = [str(a) for a in answers if isinstance(a, Hung)]
    assert not hung, f'{len(hung)} of 20 payout requests hung: {hung[:3]}'
    statuses = collections.Counter(r.status_code for r in answers)
    assert statuses == {201: 5, 422: 15}, dict(statuses)
    for r in answers:
        if r.status_code == 422:
            expect(r, 422, 'insufficient_balance')
    created = sorted((r.json() for r in answers if r.status_code == 201), key=lambda p: p['id'])
    assert all(p['amount'] == '0.10' and p['state'] == 'requested' for p in created), created

    me = tasker.me()
    assert money(me['balance']) == 0, me
    account = e.query_one(db, 'SELECT a.balance FROM users u JOIN accounts a ON a.id = u.account_id '
                              'WHERE u.id = %s', tasker.id)
    assert money(account['balance']) == 0, account
    negative = e.query(db, "SELECT id, balance FROM accounts WHERE kind <> 'external' AND balance < 0")
    assert not negative, negative
    listed = expect(tasker.get('/api/payouts'), 200)['items']
    assert sorted(p['id'] for p in listed) == [p['id'] for p in created]
    holds = e.query_one(db, "SELECT COUNT(*) AS n, COALESCE(SUM(l.amount), 0) AS s FROM ledger_entries l "
                            "JOIN payouts p ON p.id = l.payout_id WHERE p.user_id = %s AND l.kind = 'payout_hold'",
                            tasker.id)
    assert holds['n'] == 5 and money(holds['s']) == money('0.50'), holds
    assert money(e.query_one(db, 'SELECT balance FROM accounts WHERE id = 2')['balance']) == pool_before + money('0.50')
    e.audit_ok()

    # An admin pays one and rejects another.
    paid, rejected = created[0], created[1]
    e.admin('mark-paid', paid['id'], 'TX-e2e-' + str(paid['id']))
    e.admin('reject-payout', rejected['id'])
    by_id = {p['id']: p for p in expect(tasker.get('/api/payouts'), 200)['items']}
    assert by_id[paid['id']]['state'] == 'paid' and by_id[paid['id']]['reference'] == 'TX-e2e-' + str(paid['id'])
    assert by_id[paid['id']]['decidedAt'], by_id[paid['id']]
    assert by_id[rejected['id']]['state'] == 'rejected' and by_id[rejected['id']]['decidedAt']
    assert sum(p['state'] == 'requested' for p in by_id.values()) == 3
    assert tasker.balance() == money('0.10')  # the rejected amount came back
    kinds = e.query(db, "SELECT l.kind, COUNT(*) AS n, SUM(l.amount) AS s FROM ledger_entries l "
                        "JOIN payouts p ON p.id = l.payout_id WHERE p.user_id = %s GROUP BY l.kind", tasker.id)
    kinds = {k['kind']: (k['n'], money(k['s'])) for k in kinds}
    assert kinds == {'payout_hold': (5, money('0.50')), 'payout_paid': (1, money('0.10')),
                     'payout_return': (1, money('0.10'))}, kinds
    paid_entry = e.query_one(db, "SELECT from_account, to_account FROM ledger_entries "
                                 "WHERE kind = 'payout_paid' AND payout_id = %s", paid['id'])
    assert (paid_entry['from_account'], paid_entry['to_account']) == (2, 1), paid_entry
    assert money(e.query_one(db, 'SELECT balance FROM accounts WHERE id = 2')['balance']) == pool_before + money('0.30')
    ledger = expect(tasker.get('/api/me/ledger?perPage=100'), 200)['items']
    assert collections.Counter(x['kind'] for x in ledger) == {'bounty': 1, 'payout_hold': 5, 'payout_return': 1}, ledger

    # A decided payout cannot be decided again; nothing moves.
    assert e.admin('mark-paid', rejected['id'], 'TX-again', check=False).returncode != 0
    assert e.admin('reject-payout', paid['id'], check=False).returncode != 0
    assert tasker.balance() == money('0.10')
    e.audit_ok()


def test_more_concurrent_requests_than_worker_threads_are_all_answered(base, new_user):
    """Three times as many requests at once as the worker has threads: every one is
    answered, promptly. (With nginx keeping FastCGI connections open, a libfcgi thread
    stays bound to its connection; connections beyond the threads must still be served.)"""
    threads = int(e.config().get('threads', 8))
    n = max(24, 3 * threads)
    user = new_user('tasker')

    def call(_):
        c = e.Client(base, token=user.token)
        started = time.time()
        try:
            r = c.get('/api/me', timeout=RACE_TIMEOUT)
            return r.status_code, time.time() - started, r.text[:120]
        except requests.exceptions.RequestException as ex:
            _hung_since.append(started)
            return 'hung', time.time() - started, str(ex)[:120]
        finally:
            c.close()

    for round_ in range(2):
        answers = e.run_concurrently([functools.partial(call, i) for i in range(n)])
        bad = [a for a in answers if a[0] != 200]
        assert not bad, (f'round {round_ + 1}: {len(bad)} of {n} concurrent GET /api/me were not answered 200 '
                         f'(worker threads: {threads}): {bad[:3]}')
        slowest = max(a[1] for a in answers)
        assert slowest < 10, f'round {round_ + 1}: the slowest of {n} concurrent GET /api/me took {slowest:.1f} s'
