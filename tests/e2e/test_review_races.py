"""Races of review decisions: the requester's approvals and rejections (many at once)
and the worker's auto-approval on the same results; taskers handing in results while the
requester decides everything pending again and again. Afterwards every result is decided
exactly once, its money moved at most once (the ledger entries of its settlement), every
tasker holds the bounties of their approved results, and `$TT_ADMIN audit` agrees."""
import calendar
import collections
import concurrent.futures
import functools
import random
import threading
import time

import pytest

import e2e_lib as e
from e2e_lib import escrow_balance, expect, money, submit_one

SWEEP_SECONDS = 5  # the worker's reclaimEverySeconds on a test stack


def _decide_one(requester, job_id, train_id, action):
    """A single-result decision; (train_id, action, status, count or error code)."""
    body = {'action': action, 'trainIds': [train_id]}
    if action == 'reject':
        body['reason'] = f'Rejected in a race ({train_id}).'
    try:
        r = e.race_call(requester, 'POST', f'/api/jobs/{job_id}/review', json=body)
    except e.Hung as ex:
        return train_id, action, 'hung', str(ex)
    if r.status_code == 200:
        answer = r.json()
        assert answer['skipped'] == 1 - answer['count'], answer
        return train_id, action, 200, answer['count']
    try:
        code = r.json()['error']['code']
    except (ValueError, KeyError, TypeError):
        code = r.text[:200]
    return train_id, action, r.status_code, code


# --- the worker's sweep, as a clock -----------------------------------------------------------------------------

@pytest.fixture(scope='module')
def sweep_clock(base, admin_ready):
    """sweep_clock(db) -> the time.monotonic() at which the worker's next sweep is due:
    a result is handed in to a job that auto-approves at once, the sweep that approves it
    is seen (its settled_at, the sweep's clock), and the next comes SWEEP_SECONDS later."""
    sentinel = e.requester_with_active_job(base, images=6, results_per_image=1, bounty='0.01',
                                           autoApproveAfterHours=0)
    tasker = e.register(base, 'tasker')

    def next_sweep(db):
        _, train = submit_one(tasker, sentinel.id)
        deadline = time.monotonic() + SWEEP_SECONDS * 3
        while True:
            row = e.query_one(db, 'SELECT state, settled_at FROM trains WHERE id = %s', train['id'])
            if row['state'] == 'approved':
                break
            assert time.monotonic() < deadline, 'the worker approved nothing of a 0-hour job within 15 s'
            time.sleep(0.02)
        seen_mono, seen_wall = time.monotonic(), time.time()
        # settled_at is the sweep's clock (UTC); when it agrees with what was seen, it is more precise.
        settled = calendar.timegm(row['settled_at'].timetuple()) + row['settled_at'].microsecond / 1e6
        lag = seen_wall - settled
        swept_at = seen_mono - lag if 0 <= lag < 1 else seen_mono
        return swept_at + SWEEP_SECONDS

    yield next_sweep
    tasker.close()
    sentinel.requester.close()


def _sleep_until(moment):
    wait = moment - time.monotonic()
    if wait > 0:
        time.sleep(wait)


def _make_due(job_id):
    """The job's review window set to 0 hours from another connection: the next sweep approves."""
    conn = e.db_connect()
    try:
        with conn.cursor() as cur:
            cur.execute('UPDATE jobs SET auto_approve_after_hours = 0 WHERE id = %s', (job_id,))
        return 'due'
    finally:
        conn.close()


def _until_nothing_pending(db, job_id, seconds=SWEEP_SECONDS * 3):
    """Waits for the sweep (the job's window is 0 hours now) to leave nothing pending."""
    deadline = time.monotonic() + seconds
    while e.query_one(db, "SELECT COUNT(*) AS n FROM trains WHERE job_id = %s AND state = 'pending'", job_id)['n']:
        assert time.monotonic() < deadline, f'results of job {job_id} still pending {seconds} s after the race'
        time.sleep(0.2)


# --- checks ---------------------------------------------------------------------------------------------------

def _check_each_result_decided_once(db, job_id, answers, bounty, taskers):
    """`answers`: (train_id, action, status, count|code) of single-result decisions."""
    hung = [a for a in answers if a[2] == 'hung']
    assert not hung, f'{len(hung)} of {len(answers)} decisions got no answer: {hung[:3]}'
    odd = [a for a in answers if (a[2], a[3]) not in {(200, 1), (409, 'already_settled')}]
    assert not odd, (f'{len(odd)} of {len(answers)} decisions were answered neither 200 with count 1 nor '
                     f'409 already_settled: {odd[:5]}')
    rows = e.query(db, 'SELECT r.id, r.state, r.tasker_id, r.settlement_id, r.bounty, s.action, s.result_count '
                       'FROM trains r LEFT JOIN settlements s ON s.id = r.settlement_id WHERE r.job_id = %s', job_id)
    wins = collections.defaultdict(list)
    for train_id, action, status, count in answers:
        if status == 200:
            wins[train_id].append(action)
    by = collections.Counter()
    for row in rows:
        assert row['state'] in ('approved', 'rejected') and row['settlement_id'] is not None, row
        expected = {'approved': ('approve', 'auto_approve'), 'rejected': ('reject',)}[row['state']]
        assert row['action'] in expected, row
        api_wins = wins.get(row['id'], [])
        if row['action'] == 'auto_approve':
            assert api_wins == [], f'result {row["id"]} was auto-approved, yet decisions won: {api_wins}'
        else:
            assert api_wins == [row['action']], \
                f'result {row["id"]} ({row["state"]} by {row["action"]}) was won by the decisions {api_wins}'
        by[row['action']] += 1
    # Money moved at most once: per settlement, one bounty entry per tasker, paying exactly its approved results.
    entries = e.query(db, "SELECT l.settlement_id, l.kind, l.to_account, l.amount FROM ledger_entries l "
                          "JOIN settlements s ON s.id = l.settlement_id WHERE s.job_id = %s", job_id)
    accounts = {t.id: e.query_one(db, 'SELECT account_id FROM users WHERE id = %s', t.id)['account_id'] for t in taskers}
    owed = collections.Counter()
    for row in rows:
        if row['state'] == 'approved':
            owed[(row['settlement_id'], accounts[row['tasker_id']])] += money(row['bounty'])
    paid = collections.Counter()
    seen = collections.Counter()
    for x in entries:
        assert x['kind'] == 'bounty', f'a decision of an open job moved money other than a bounty: {x}'
        seen[(x['settlement_id'], x['to_account'])] += 1
        paid[(x['settlement_id'], x['to_account'])] += money(x['amount'])
    assert all(n == 1 for n in seen.values()), f'more than one bounty entry per settlement and tasker: {seen}'
    assert paid == owed, f'the ledger paid {dict(paid)}, the approved results are worth {dict(owed)}'
    for row in e.query(db, 'SELECT s.id, s.result_count, (SELECT COUNT(*) FROM trains r WHERE r.settlement_id = s.id) '
                           'AS n FROM settlements s WHERE s.job_id = %s', job_id):
        assert row['result_count'] == row['n'] >= 1, f'settlement {row}'
    approved = collections.Counter(r['tasker_id'] for r in rows if r['state'] == 'approved')
    for t in taskers:
        assert t.balance() == bounty * approved[t.id], f'tasker {t.id}'
    rejected = sum(1 for r in rows if r['state'] == 'rejected')
    assert escrow_balance(db, job_id) == bounty * rejected, 'the escrow keeps the bounties of the slots offered again'
    return by


# --- 1. one result ----------------------------------------------------------------------------------------------

def test_approve_reject_and_the_sweep_race_on_one_result(db, requester_with_active_job, new_user, sweep_clock):
    bounty = money('0.05')
    setup = requester_with_active_job(images=1, results_per_image=1, bounty=str(bounty))
    jid = setup.id
    tasker = new_user('tasker')
    _, train = submit_one(tasker, jid)
    clients = [e.Client(setup.requester.base, token=setup.requester.token) for _ in range(32)]
    try:
        due = sweep_clock(db)
        _sleep_until(due + 0.05)
        # The review window is closed at the start of the race: the sweep due now competes.
        out = e.run_concurrently([functools.partial(_make_due, jid)] + [
            functools.partial(_decide_one, c, jid, train['id'], 'approve' if i % 2 else 'reject')
            for i, c in enumerate(clients)])
    finally:
        for c in clients:
            c.close()
    _until_nothing_pending(db, jid)
    answers = out[1:]
    by = _check_each_result_decided_once(db, jid, answers, bounty, [tasker])
    statuses = collections.Counter((a[2], a[3]) for a in answers)
    print(f'one result: decided by {dict(by)}; answers {dict(statuses)}')
    assert sum(by.values()) == 1
    assert statuses[(200, 1)] == (0 if by['auto_approve'] else 1), statuses
    e.audit_ok()


# --- 2. twenty results, 32 threads --------------------------------------------------------------------------------

def test_32_threads_approve_and_reject_20_results_while_the_sweep_approves(db, requester_with_active_job, new_users,
                                                                           sweep_clock):
    bounty = money('0.05')
    setup = requester_with_active_job(images=20, results_per_image=1, bounty=str(bounty), width=32, height=24)
    jid = setup.id
    taskers = new_users('tasker', 4)
    ids = [submit_one(t, jid)[1]['id'] for t in taskers for _ in range(5)]
    clients = [e.Client(setup.requester.base, token=setup.requester.token) for _ in range(32)]

    # Each result has its moment, 40 ms apart, around the sweep due: all 32 threads decide it
    # then, each at random approve or reject; the results whose moment is after the sweep are
    # contested by it, the one at its moment three ways.
    order = ids[:]
    random.shuffle(order)

    def thread(client, seed, start):
        rnd = random.Random(seed)
        answers = []
        for k, train_id in enumerate(order):
            _sleep_until(start + 0.04 * k + rnd.uniform(0, 0.01))
            answers.append(_decide_one(client, jid, train_id, rnd.choice(('approve', 'reject'))))
        return answers

    try:
        due = sweep_clock(db)
        start = due - 0.04 * len(order) / 2
        _sleep_until(start - 0.05)
        started = time.monotonic()
        out = e.run_concurrently([functools.partial(_make_due, jid)] + [
            functools.partial(thread, c, i, start) for i, c in enumerate(clients)], timeout=240)
        elapsed = time.monotonic() - started
    finally:
        for c in clients:
            c.close()
    _until_nothing_pending(db, jid)
    answers = [a for per_thread in out[1:] for a in per_thread]
    assert len(answers) == 32 * 20
    by = _check_each_result_decided_once(db, jid, answers, bounty, taskers)
    statuses = collections.Counter((a[2], a[3]) for a in answers)
    print(f'20 results in {elapsed:.1f}s (sweep due {due - started:.2f}s after the start): decided by {dict(by)}; '
          f'answers {dict(statuses)}')
    assert sum(by.values()) == 20
    assert statuses[(200, 1)] == by['approve'] + by['reject'], statuses
    job = expect(setup.requester.get(f'/api/jobs/{jid}'), 200)
    assert (job['approvedCount'], job['rejectedCount'], job['pendingCount'], job['openSlots'], job['trainCount']) == \
        (by['approve'] + by['auto_approve'], by['reject'], 0, by['reject'], by['approve'] + by['auto_approve']), job
    e.audit_ok()


# --- 3. taskers hand in while the requester decides everything pending ------------------------------------------

def _take(tasker, job_id, stats):
    """A new lease, or None on 404 no_work; take's documented 503 busy is asked again."""
    for _ in range(20):
        r = e.race_call(tasker, 'POST', f'/api/jobs/{job_id}/leases')
        stats[('take', r.status_code)] += 1
        if r.status_code != 503:
            break
        expect(r, 503, 'busy')
        time.sleep(0.05)
    if r.status_code == 404:
        expect(r, 404, 'no_work')
        return None
    return expect(r, 201)


def _tasker_loop(tasker, job_id, stats, with_next):
    """take -> submit (with ?next=true: each answer holds the next lease) until no_work.
    Returns (trains, error)."""
    trains = []
    try:
        lease = _take(tasker, job_id, stats)
        for _ in range(200):
            if lease is None:
                return trains, None
            path = f'/api/leases/{lease["id"]}/train' + ('?next=true' if with_next else '')
            r = e.race_call(tasker, 'POST', path, json={'boxes': [e.inside_box(lease)]})
            stats[('submit', r.status_code)] += 1
            answer = expect(r, 201)
            if not with_next:
                trains.append(answer['id'])
                lease = _take(tasker, job_id, stats)
                continue
            trains.append(answer['train']['id'])
            lease = answer['next']
            if lease is None:
                stats[('next', answer['nextError']['code'])] += 1
                assert answer['nextError']['code'] in ('no_work', 'busy'), answer
                if answer['nextError']['code'] == 'busy':
                    lease = _take(tasker, job_id, stats)
        return trains, 'looped 200 times without no_work'
    except (e.Hung, AssertionError) as ex:
        return trains, f'tasker {tasker.id}: {ex}'


@pytest.fixture(scope='module')
def taskers32(base, admin_ready):
    """32 taskers for the two variants of the race below (each job is new to them)."""
    taskers = e.register_many(base, 'tasker', 32)
    yield taskers
    for t in taskers:
        t.close()


@pytest.mark.parametrize('with_next', [False, True], ids=['take-then-submit', 'submit-and-next'])
def test_32_taskers_hand_in_while_the_requester_decides_everything_pending(base, db, requester_with_active_job,
                                                                          taskers32, with_next):
    bounty = money('0.05')
    images, wanted = 60, 2
    setup = requester_with_active_job(images=images, results_per_image=wanted, bounty=str(bounty), width=32, height=24)
    jid, requester = setup.id, setup.requester
    taskers = taskers32
    before = {t.id: t.balance() for t in taskers}
    stats = collections.Counter()
    lock = threading.Lock()
    done = threading.Event()
    decisions = []

    def requester_loop():
        c = e.Client(base, token=requester.token)
        rounds = 0
        try:
            while not done.is_set():
                rounds += 1
                # Rejections (which offer the slots again) in the first rounds only, so that the work ends.
                for action in (('reject', 'approve') if rounds <= 6 else ('approve',)):
                    body = {'action': action, 'state': 'pending'}
                    if action == 'reject':
                        body['reason'] = f'Round {rounds}: redo it.'
                    r = e.race_call(c, 'POST', f'/api/jobs/{jid}/review', json=body)
                    with lock:
                        stats[('review', r.status_code)] += 1
                    decisions.append((action, expect(r, 200)['count']))
            return None
        except (e.Hung, AssertionError) as ex:
            return f'requester: {ex}'
        finally:
            c.close()

    def tasker_thread(t):
        local = collections.Counter()
        try:
            return _tasker_loop(t, jid, local, with_next)
        finally:
            with lock:
                stats.update(local)

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=33) as pool:
        reviewer = pool.submit(requester_loop)
        workers = [pool.submit(tasker_thread, t) for t in taskers]
        results = [w.result(timeout=240) for w in workers]
        done.set()
        review_error = reviewer.result(timeout=60)
    elapsed = time.monotonic() - started
    print(f'{len(decisions)} decisions and {sum(len(r[0]) for r in results)} results in {elapsed:.1f}s; '
          f'answers {dict(stats)}')
    errors = [err for _, err in results if err] + ([review_error] if review_error else [])
    assert not errors, f'{len(errors)} threads failed; first ones:\n' + '\n'.join(errors[:5])
    assert not [k for k in stats if isinstance(k[1], int) and k[1] >= 500], f'5xx answers: {dict(stats)}'
    assert stats[('submit', 201)] == sum(len(r[0]) for r in results)
    # The requester decided results while the taskers handed them in, both ways.
    assert sum(n for a, n in decisions if a == 'reject') > 0 and sum(n for a, n in decisions if a == 'approve') > 0, \
        f'no decision overlapped the work: {decisions}'

    # Whatever is still pending is approved; then every result is settled, once.
    expect(e.review(requester, jid, 'approve', state='pending'), 200)
    rows = e.query(db, 'SELECT r.id, r.state, r.tasker_id, r.task_id, r.settlement_id, s.action FROM trains r '
                       'LEFT JOIN settlements s ON s.id = r.settlement_id WHERE r.job_id = %s', jid)
    handed_in = sorted(i for r in results for i in r[0])
    assert sorted(r['id'] for r in rows) == handed_in
    bad = [r for r in rows if r['settlement_id'] is None or
           (r['state'], r['action']) not in {('approved', 'approve'), ('rejected', 'reject')}]
    assert not bad, bad[:5]
    approved = [r for r in rows if r['state'] == 'approved']
    rejected = [r for r in rows if r['state'] == 'rejected']
    assert sum(n for a, n in decisions if a == 'reject') == len(rejected)
    # Nobody handed in the same image twice, no image has more results kept than its slots.
    pairs = collections.Counter((r['task_id'], r['tasker_id']) for r in rows)
    assert max(pairs.values()) == 1
    per_task = e.query(db, "SELECT t.id, t.results_wanted, t.open_slots, t.train_count, "
                           "(SELECT COUNT(*) FROM trains r WHERE r.task_id = t.id AND r.state = 'approved') AS approved "
                           "FROM tasks t WHERE t.job_id = %s", jid)
    for t in per_task:
        assert t['results_wanted'] == wanted and t['train_count'] == t['approved'] and \
            t['open_slots'] == wanted - t['approved'], t
    # The money: every tasker holds the bounties of their approved results, paid once.
    by_tasker = collections.Counter(r['tasker_id'] for r in approved)
    for t in taskers:
        assert t.balance() == before[t.id] + bounty * by_tasker[t.id], f'tasker {t.id}'
    paid = e.query_one(db, "SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS s FROM ledger_entries "
                           "WHERE job_id = %s AND kind = 'bounty'", jid)
    assert money(paid['s']) == bounty * len(approved), paid
    dup = e.query(db, "SELECT settlement_id, to_account, COUNT(*) AS n FROM ledger_entries WHERE job_id = %s "
                      "AND kind = 'bounty' GROUP BY settlement_id, to_account HAVING n > 1", jid)
    assert not dup, dup
    assert escrow_balance(db, jid) == bounty * (images * wanted - len(approved))
    job = expect(requester.get(f'/api/jobs/{jid}'), 200)
    assert (job['trainCount'], job['approvedCount'], job['pendingCount'], job['rejectedCount']) == \
        (len(approved), len(approved), 0, len(rejected)), job
    e.audit_ok()
