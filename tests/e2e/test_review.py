"""Review and settlement through nginx, the real worker and MariaDB: a result waits for
review (pending), the requester approves it (its bounty moves from the job's escrow to
the tasker) or rejects it with a reason (no money moves, its slot is offered again), the
worker approves what waited longer than the job's review window; a job's escrow holds
only the slots it opened (activation, top-ups, images added), finishing it gives back
what no slot can use, and pending results keep their bounties until settled. Money is
checked to the cent, and `$TT_ADMIN audit` agrees at the end of every test that moves it."""
import json
import time
import uuid

import requests

import e2e_lib as e
from e2e_lib import earnings, escrow_balance, expect, money, review, submit_one


def _state(db):
    """e.snapshot and what a review decision changes: the results' states, reasons and
    settlements, the settlements, the jobs' escrowed slots and budgets."""
    snap = e.snapshot(db)
    snap['trains_review'] = e.query(
        db, "SELECT state, COUNT(*) AS n, COALESCE(SUM(CRC32(CONCAT_WS('|', id, state, COALESCE(reject_reason, ''), "
            "COALESCE(settlement_id, 0), COALESCE(settled_at, '')))), 0) AS h FROM trains GROUP BY state ORDER BY state")
    snap['settlements'] = e.query_one(db, 'SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS top FROM settlements')
    snap['jobs_money'] = e.query_one(db, 'SELECT COALESCE(SUM(escrowed_slots * id), 0) AS s, '
                                         'COALESCE(SUM(budget * id), 0) AS b FROM jobs')
    snap['tasks_wanted'] = e.query_one(db, 'SELECT COALESCE(SUM(results_wanted * id), 0) AS w, '
                                           'COALESCE(SUM(open_slots * id), 0) AS o, '
                                           'COALESCE(SUM(train_count * id), 0) AS t FROM tasks')
    return snap


def _decide(db, requester, job_id, action, **selection):
    """Previews the decision (nothing may change), then makes it: the real one settles
    exactly what the preview announced. Returns the real answer."""
    before = _state(db)
    preview = expect(review(requester, job_id, action, preview=True, **selection), 200)
    assert _state(db) == before, f'a preview of {action} {selection} changed the database'
    assert preview['preview'] is True and preview['action'] == action, preview
    done = expect(review(requester, job_id, action, **selection), 200)
    assert done['preview'] is False and done['action'] == action, done
    assert (done['count'], done['amount'], done['skipped']) == (preview['count'], preview['amount'], preview['skipped']), \
        f'the preview {preview} announced another outcome than the decision {done}'
    return done


def _job(requester, job_id):
    return expect(requester.get(f'/api/jobs/{job_id}'), 200)


def _trains(requester, job_id, query=''):
    return expect(requester.get(f'/api/jobs/{job_id}/trains?perPage=500{query}'), 200)['items']


def _bounty_entries(db, settlement_id):
    return e.query(db, "SELECT kind, amount, from_account, to_account FROM ledger_entries WHERE settlement_id = %s "
                       "ORDER BY id", settlement_id)


def _settlement_of(db, train_id):
    return e.query_one(db, 'SELECT state, settlement_id, reject_reason, settled_at FROM trains WHERE id = %s', train_id)


def _account(db, user):
    return e.query_one(db, 'SELECT account_id FROM users WHERE id = %s', user.id)['account_id']


def _job_account(db, job_id):
    return e.query_one(db, 'SELECT account_id FROM jobs WHERE id = %s', job_id)['account_id']


def _task_row(db, task_id):
    return e.query_one(db, 'SELECT results_wanted, open_slots, train_count FROM tasks WHERE id = %s', task_id)


# --- 1. one result approved, one rejected ----------------------------------------------------------------------

def test_a_submitted_result_is_pending_and_answered_with_its_review_fields(db, requester_with_active_job, new_user):
    setup = requester_with_active_job(images=1, results_per_image=1, bounty='0.10', width=64, height=48)
    tasker = new_user('tasker')
    lease, train = submit_one(tasker, setup.id)
    assert train['state'] == 'pending' and train['bounty'] == '0.10', train
    # openapi.yaml: rejectReason and settledAt are left out (null) while pending; taskerName and
    # the image's size may be left out of the answer to a submission just stored, and are right when given.
    for key, want in (('rejectReason', None), ('settledAt', None), ('taskerName', tasker.user['screenName']),
                      ('imageWidth', 64), ('imageHeight', 48)):
        assert train.get(key, want) == want, \
            f'POST /api/leases/{lease["id"]}/train answered {train}: {key} should be {want!r}'
    listed = _trains(setup.requester, setup.id)
    assert [(t['id'], t['state'], t['taskerName'], t['imageWidth'], t['imageHeight'], t.get('rejectReason'),
             t.get('settledAt')) for t in listed] == \
        [(train['id'], 'pending', tasker.user['screenName'], 64, 48, None, None)], listed
    done = expect(review(setup.requester, setup.id, 'reject', trainIds=[train['id']], reason='Too loose.'), 200)
    assert done['count'] == 1, done
    (listed,) = _trains(setup.requester, setup.id)
    assert (listed['state'], listed['rejectReason']) == ('rejected', 'Too loose.') and listed['settledAt'], listed
    # The slot came back: the image is offered again, and the next result is approved.
    train = submit_one(new_user('tasker'), setup.id)[1]
    assert tasker.balance() == 0
    expect(review(setup.requester, setup.id, 'approve', trainIds=[train['id']]), 200)
    e.audit_ok()


def test_approving_one_pays_its_bounty_and_rejecting_one_moves_no_money(db, requester_with_active_job, new_users):
    bounty = money('0.10')
    setup = requester_with_active_job(images=3, results_per_image=1, bounty=str(bounty))
    jid, requester = setup.id, setup.requester
    t1, t2 = new_users('tasker', 2)
    assert requester.balance() == 0 and escrow_balance(db, jid) == 3 * bounty
    _, a = submit_one(t1, jid)
    _, b = submit_one(t1, jid)
    _, c = submit_one(t2, jid)
    # Handing in moves no money: the bounties are pending.
    assert earnings(t1) == {'available': 0, 'pending': 2 * bounty, 'pendingCount': 2, 'approved': 0,
                            'approvedCount': 0, 'rejected': 0, 'rejectedCount': 0}
    assert earnings(t2)['pending'] == bounty and t2.balance() == 0
    assert escrow_balance(db, jid) == 3 * bounty
    job = _job(requester, jid)
    assert (job['pendingCount'], job['approvedCount'], job['rejectedCount'], job['trainCount'], job['budgetLeft']) == \
        (3, 0, 0, 3, '0.30'), job

    # Approve a, by id.
    done = _decide(db, requester, jid, 'approve', trainIds=[a['id']])
    assert (done['count'], done['amount'], done['skipped']) == (1, '0.10', 0), done
    assert earnings(t1) == {'available': bounty, 'pending': bounty, 'pendingCount': 1, 'approved': bounty,
                            'approvedCount': 1, 'rejected': 0, 'rejectedCount': 0}
    assert t1.balance() == bounty and t2.balance() == 0
    assert escrow_balance(db, jid) == 2 * bounty
    job = _job(requester, jid)
    assert (job['budgetLeft'], job['pendingCount'], job['approvedCount'], job['trainCount']) == ('0.20', 2, 1, 3), job
    row = _settlement_of(db, a['id'])
    assert row['state'] == 'approved' and row['settled_at'] is not None and row['reject_reason'] is None, row
    entries = _bounty_entries(db, row['settlement_id'])
    assert [(x['kind'], money(x['amount']), x['from_account'], x['to_account']) for x in entries] == \
        [('bounty', bounty, _job_account(db, jid), _account(db, t1))], entries
    settlement = e.query_one(db, 'SELECT job_id, action, decided_by, result_count, amount FROM settlements WHERE id = %s',
                             row['settlement_id'])
    assert (settlement['job_id'], settlement['action'], settlement['decided_by'], settlement['result_count'],
            money(settlement['amount'])) == (jid, 'approve', requester.id, 1, bounty), settlement
    approved = _trains(requester, jid, '&state=approved')
    assert [(t['id'], t['state']) for t in approved] == [(a['id'], 'approved')] and approved[0]['settledAt'], approved

    # Reject b, with a reason: no money moves, its slot is offered again.
    reason = 'The box misses the car on the left.'
    done = _decide(db, requester, jid, 'reject', trainIds=[b['id']], reason=reason)
    assert (done['count'], done['amount'], done['skipped']) == (1, '0.00', 0), done
    assert t1.balance() == bounty and escrow_balance(db, jid) == 2 * bounty and requester.balance() == 0
    assert earnings(t1) == {'available': bounty, 'pending': 0, 'pendingCount': 0, 'approved': bounty,
                            'approvedCount': 1, 'rejected': bounty, 'rejectedCount': 1}
    mine = expect(t1.get('/api/me/results?state=rejected'), 200)
    assert mine['total'] == 1 and [(r['id'], r['state'], r['rejectReason']) for r in mine['items']] == \
        [(b['id'], 'rejected', reason)], mine
    assert mine['items'][0]['settledAt'], mine
    assert _settlement_of(db, b['id'])['reject_reason'] == reason
    assert list(_bounty_entries(db, _settlement_of(db, b['id'])['settlement_id'])) == [], 'a rejection moved money'
    assert _task_row(db, b['taskId']) == {'results_wanted': 1, 'open_slots': 1, 'train_count': 0}
    job = _job(requester, jid)
    assert (job['budgetLeft'], job['pendingCount'], job['approvedCount'], job['rejectedCount'], job['trainCount'],
            job['openSlots']) == ('0.20', 1, 1, 1, 2, 1), job
    # c is still pending, untouched.
    assert _settlement_of(db, c['id'])['state'] == 'pending' and earnings(t2)['pending'] == bounty
    e.audit_ok()


def test_refused_review_requests_change_nothing(base, db, requester_with_active_job, new_users):
    setup = requester_with_active_job(images=3, results_per_image=1, bounty='0.05')
    other = requester_with_active_job(images=1, results_per_image=1, bounty='0.05')
    jid, requester = setup.id, setup.requester
    t1, t2 = new_users('tasker', 2)
    _, settled = submit_one(t1, jid)
    _, pending = submit_one(t1, jid)
    _, foreign = submit_one(t2, other.id)
    expect(review(requester, jid, 'approve', trainIds=[settled['id']]), 200)
    path = f'/api/jobs/{jid}/review'

    before = _state(db)
    # Another requester's job: as if it did not exist, for the summary, the list and the decisions.
    for action, extra in (('approve', {}), ('reject', {'reason': 'no'})):
        expect(review(other.requester, jid, action, trainIds=[pending['id']], **extra), 404)
        expect(review(other.requester, jid, action, state='pending', **extra), 404)
        expect(review(other.requester, jid, action, preview=True, state='pending', **extra), 404)
    expect(other.requester.get(path), 404)
    expect(other.requester.get(f'/api/jobs/{jid}/trains'), 404)
    # No such job.
    expect(review(requester, 2_000_000_000, 'approve', state='pending'), 404)
    # A tasker (even the one whose result it is) may not review.
    expect(review(t1, jid, 'approve', trainIds=[pending['id']]), 403)
    expect(review(t1, jid, 'reject', trainIds=[pending['id']], reason='mine'), 403)
    expect(t1.get(path), 403)
    # Signed out.
    expect(review(e.Client(base), jid, 'approve', trainIds=[pending['id']]), 401)
    # A result already settled, alone or with other settled ones: 409 already_settled.
    for action, extra in (('approve', {}), ('reject', {'reason': 'too late'})):
        expect(review(requester, jid, action, trainIds=[settled['id']], **extra), 409, 'already_settled')
        expect(review(requester, jid, action, trainIds=[settled['id'], settled['id']], **extra), 409, 'already_settled')
    # Reject without a reason, or with only blanks.
    for extra in ({}, {'reason': ''}, {'reason': '   '}, {'reason': ' \n\t '}, {'reason': None}):
        expect(review(requester, jid, 'reject', trainIds=[pending['id']], **extra), 422, 'reason_required')
    expect(review(requester, jid, 'reject', state='pending', reason='  '), 422, 'reason_required')
    # A reason longer than 500 characters, or with control characters.
    expect(review(requester, jid, 'reject', trainIds=[pending['id']], reason='x' * 501), 422)
    expect(review(requester, jid, 'reject', trainIds=[pending['id']], reason='bad\x07bell'), 422)
    # A result of another job, alone or beside one of this job; an id that is no result.
    expect(review(requester, jid, 'approve', trainIds=[foreign['id']]), 404)
    expect(review(requester, jid, 'approve', trainIds=[pending['id'], foreign['id']]), 404)
    expect(review(requester, jid, 'reject', trainIds=[foreign['id'], pending['id']], reason='no'), 404)
    expect(review(requester, jid, 'approve', trainIds=[pending['id'], 2_000_000_000]), 404)
    # The selection: exactly one of trainIds, taskerId, state "pending".
    for selection in ({}, {'trainIds': [pending['id']], 'state': 'pending'},
                      {'trainIds': [pending['id']], 'taskerId': t1.id}, {'taskerId': t1.id, 'state': 'pending'},
                      {'trainIds': []}, {'trainIds': [0]}, {'trainIds': [-1]}, {'taskerId': 0},
                      {'state': 'approved'}, {'state': 'rejected'}, {'state': 'all'},
                      {'trainIds': list(range(1, 10_002))}):
        expect(review(requester, jid, 'approve', **selection), 400)
        expect(review(requester, jid, 'approve', preview=True, **selection), 400)
    # The action.
    for action in ('accept', 'APPROVE', 'auto_approve', '', 'delete'):
        expect(review(requester, jid, action, trainIds=[pending['id']], reason='x'), 400)
    expect(requester.post(path, json={'trainIds': [pending['id']]}), 400)
    expect(requester.post(path, data='{"action": "approve", "trainIds": [',
                          headers={'Content-Type': 'application/json'}), 400)
    assert _state(db) == before, 'a refused review request changed the database'
    assert _settlement_of(db, pending['id'])['state'] == 'pending'
    assert _settlement_of(db, foreign['id'])['state'] == 'pending'
    assert t1.balance() == money('0.05') and t2.balance() == 0
    e.audit_ok()


# --- 2. bulk decisions and the summary --------------------------------------------------------------------------

def _summary_taskers(summary):
    return {t['taskerId']: (t['taskerName'], t['pending'], t['approved'], t['rejected'], t['pendingAmount'])
            for t in summary['taskers']}


def test_bulk_decisions_by_ids_by_tasker_and_everything_pending(db, requester_with_active_job, new_users):
    bounty = money('0.05')
    setup = requester_with_active_job(images=8, results_per_image=1, bounty=str(bounty))
    jid, requester = setup.id, setup.requester
    ta, tb, tc = new_users('tasker', 3)
    trains = {t.id: [submit_one(t, jid)[1]['id'] for _ in range(n)] for t, n in ((ta, 3), (tb, 3), (tc, 2))}
    a1, a2, a3 = trains[ta.id]

    summary = expect(requester.get(f'/api/jobs/{jid}/review'), 200)
    assert (summary['jobId'], summary['autoApproveAfterHours']) == (jid, 72), summary
    assert (summary['pending'], summary['approved'], summary['rejected']) == (
        {'count': 8, 'amount': '0.40'}, {'count': 0, 'amount': '0.00'}, {'count': 0, 'amount': '0.00'}), summary
    assert _summary_taskers(summary) == {
        ta.id: (ta.user['screenName'], 3, 0, 0, '0.15'), tb.id: (tb.user['screenName'], 3, 0, 0, '0.15'),
        tc.id: (tc.user['screenName'], 2, 0, 0, '0.10')}, summary
    order = [t['taskerId'] for t in summary['taskers']]
    assert order == sorted(order, key=lambda i: (-len(trains[i]), i)), 'the taskers, most pending first'

    # By ids; then again with one of them already settled: skipped 1.
    done = _decide(db, requester, jid, 'approve', trainIds=[a1, a2])
    assert (done['count'], done['amount'], done['skipped']) == (2, '0.10', 0), done
    done = _decide(db, requester, jid, 'approve', trainIds=[a1, a3])
    assert (done['count'], done['amount'], done['skipped']) == (1, '0.05', 1), done
    assert ta.balance() == 3 * bounty
    # Everything pending of one tasker: rejected, no money moves, three slots open again.
    done = _decide(db, requester, jid, 'reject', taskerId=tb.id, reason='Every box is empty.')
    assert (done['count'], done['amount'], done['skipped']) == (3, '0.00', 0), done
    assert tb.balance() == 0 and escrow_balance(db, jid) == 5 * bounty
    assert _job(requester, jid)['openSlots'] == 3
    # A tasker with nothing pending, and a tasker of no result in this job: nothing to decide.
    done = _decide(db, requester, jid, 'approve', taskerId=tb.id)
    assert (done['count'], done['amount'], done['skipped']) == (0, '0.00', 0), done
    done = _decide(db, requester, jid, 'approve', taskerId=requester.id)
    assert (done['count'], done['amount']) == (0, '0.00'), done
    # Everything pending in the job: tc's two.
    done = _decide(db, requester, jid, 'approve', state='pending')
    assert (done['count'], done['amount'], done['skipped']) == (2, '0.10', 0), done
    done = _decide(db, requester, jid, 'approve', state='pending')
    assert (done['count'], done['amount']) == (0, '0.00'), done

    summary = expect(requester.get(f'/api/jobs/{jid}/review'), 200)
    assert (summary['pending'], summary['approved'], summary['rejected']) == (
        {'count': 0, 'amount': '0.00'}, {'count': 5, 'amount': '0.25'}, {'count': 3, 'amount': '0.15'}), summary
    assert _summary_taskers(summary) == {
        ta.id: (ta.user['screenName'], 0, 3, 0, '0.00'), tb.id: (tb.user['screenName'], 0, 0, 3, '0.00'),
        tc.id: (tc.user['screenName'], 0, 2, 0, '0.00')}, summary
    # The list's filters agree.
    assert sorted(t['id'] for t in _trains(requester, jid, '&state=rejected')) == trains[tb.id]
    assert sorted(t['id'] for t in _trains(requester, jid, f'&taskerId={ta.id}')) == trains[ta.id]
    assert sorted(t['id'] for t in _trains(requester, jid, f'&state=approved&taskerId={tc.id}')) == trains[tc.id]
    assert _trains(requester, jid, '&state=pending') == []
    expect(requester.get(f'/api/jobs/{jid}/trains?state=maybe'), 400)
    assert [t.balance() for t in (ta, tb, tc)] == [3 * bounty, 0, 2 * bounty]
    assert escrow_balance(db, jid) == 3 * bounty  # the three slots opened again
    job = _job(requester, jid)
    assert (job['budgetLeft'], job['trainCount'], job['approvedCount'], job['rejectedCount'], job['openSlots']) == \
        ('0.15', 5, 5, 3, 3), job
    # One ledger entry per tasker and approving settlement, none for the rejection.
    per = e.query(db, "SELECT s.action, s.result_count, COUNT(l.id) AS entries, COALESCE(SUM(l.amount), 0) AS paid "
                      "FROM settlements s LEFT JOIN ledger_entries l ON l.settlement_id = s.id WHERE s.job_id = %s "
                      "GROUP BY s.id ORDER BY s.id", jid)
    assert [(p['action'], p['result_count'], p['entries'], money(p['paid'])) for p in per] == [
        ('approve', 2, 1, 2 * bounty), ('approve', 1, 1, bounty), ('reject', 3, 0, 0), ('approve', 2, 1, 2 * bounty)], per
    e.audit_ok()


# --- 3. the worker's auto-approval ------------------------------------------------------------------------------

def _wait_until(what, check, seconds=20):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f'{what}: not within {seconds} s'
        time.sleep(0.2)


def _pending(db, job_id):
    return e.query_one(db, "SELECT COUNT(*) AS n FROM trains WHERE job_id = %s AND state = 'pending'", job_id)['n']


def test_the_worker_approves_results_whose_review_window_ran_out(db, requester_with_active_job, new_users):
    bounty = money('0.05')
    jobs = {hours: requester_with_active_job(images=2, results_per_image=1, bounty=str(bounty),
                                             autoApproveAfterHours=hours) for hours in (1, 72, 0)}
    for hours, setup in jobs.items():
        assert setup.job['autoApproveAfterHours'] == hours, setup.job
    t1, t2 = new_users('tasker', 2)
    submitted = {}
    for hours in (1, 72, 0):
        jid = jobs[hours].id
        submitted[hours] = [submit_one(t1, jid)[1], submit_one(t2, jid)[1]]
        assert all(t['state'] == 'pending' for t in submitted[hours])
    created = {t['id']: e.query_one(db, 'SELECT created_at FROM trains WHERE id = %s', t['id'])['created_at']
               for t in submitted[0]}

    # 0 hours: approved by the next sweep, within seconds, with nothing moved in time.
    _wait_until('the results of a job with autoApproveAfterHours 0 approved by the worker',
                lambda: _pending(db, jobs[0].id) == 0, seconds=15)
    # That sweep ran after the other results were handed in: they are still pending.
    assert _pending(db, jobs[1].id) == 2 and _pending(db, jobs[72].id) == 2
    assert t1.balance() == bounty and t2.balance() == bounty  # one result of the 0-hour job each
    for t in submitted[0]:
        row = e.query_one(db, 'SELECT r.state, r.created_at, r.settled_at, s.action, s.decided_by FROM trains r '
                              'JOIN settlements s ON s.id = r.settlement_id WHERE r.id = %s', t['id'])
        assert (row['state'], row['action'], row['decided_by']) == ('approved', 'auto_approve', None), row
        assert row['created_at'] == created[t['id']] and row['settled_at'] >= row['created_at'], row
    # Approving them now is too late.
    expect(review(jobs[0].requester, jobs[0].id, 'approve', trainIds=[t['id'] for t in submitted[0]]),
           409, 'already_settled')

    # 1 hour (and 72): the results handed in two hours ago, as the database now says.
    with db.cursor() as cur:
        for hours in (1, 72):
            cur.execute('UPDATE trains SET created_at = created_at - INTERVAL 2 HOUR WHERE job_id = %s', (jobs[hours].id,))
    _wait_until('the results of a job with autoApproveAfterHours 1, handed in 2 hours ago, approved by the worker',
                lambda: _pending(db, jobs[1].id) == 0, seconds=20)
    # The same sweep saw the 72-hour job: 2 hours are not 72.
    assert _pending(db, jobs[72].id) == 2
    job72 = _job(jobs[72].requester, jobs[72].id)
    assert (job72['pendingCount'], job72['approvedCount'], job72['budgetLeft']) == (2, 0, '0.10'), job72

    # Money moved once: each tasker has the bounty of their two approved results, nothing twice.
    assert t1.balance() == 2 * bounty and t2.balance() == 2 * bounty
    for t in (t1, t2):
        assert earnings(t) == {'available': 2 * bounty, 'pending': bounty, 'pendingCount': 1, 'approved': 2 * bounty,
                               'approvedCount': 2, 'rejected': 0, 'rejectedCount': 0}
    for hours in (0, 1):
        jid = jobs[hours].id
        assert escrow_balance(db, jid) == 0
        paid = e.query(db, "SELECT l.to_account, l.amount, s.action FROM ledger_entries l "
                           "JOIN settlements s ON s.id = l.settlement_id WHERE l.job_id = %s AND l.kind = 'bounty'", jid)
        assert sorted((p['to_account'], money(p['amount']), p['action']) for p in paid) == sorted(
            [(_account(db, t1), bounty, 'auto_approve'), (_account(db, t2), bounty, 'auto_approve')]), paid
        job = _job(jobs[hours].requester, jid)
        assert (job['pendingCount'], job['approvedCount'], job['trainCount'], job['budgetLeft']) == (0, 2, 2, '0.00'), job
    e.audit_ok()
    # The requester can still decide the 72-hour job's results.
    done = expect(review(jobs[72].requester, jobs[72].id, 'approve', state='pending'), 200)
    assert (done['count'], done['amount']) == (2, '0.10'), done
    e.audit_ok()


# --- 4. a rejected result gives its slot back ---------------------------------------------------------------------

def test_a_rejected_result_gives_its_slot_to_another_tasker(db, requester_with_active_job, new_users):
    bounty = money('0.05')
    setup = requester_with_active_job(images=1, results_per_image=1, bounty=str(bounty))
    jid, requester, tid = setup.id, setup.requester, setup.tasks[0]['id']
    ta, tb, tc = new_users('tasker', 3)
    lease_a, train_a = submit_one(ta, jid)
    assert lease_a['taskId'] == tid
    expect(tb.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')
    assert _task_row(db, tid) == {'results_wanted': 1, 'open_slots': 0, 'train_count': 1}

    done = expect(review(requester, jid, 'reject', trainIds=[train_a['id']], reason='Wrong object.'), 200)
    assert (done['count'], done['amount']) == (1, '0.00'), done
    assert _task_row(db, tid) == {'results_wanted': 1, 'open_slots': 1, 'train_count': 0}
    assert escrow_balance(db, jid) == bounty, 'the escrow keeps the bounty for the slot offered again'
    job = _job(requester, jid)
    assert (job['trainCount'], job['openSlots'], job['pendingCount'], job['rejectedCount']) == (0, 1, 0, 1), job
    # The tasker who was rejected never gets the same task again; another one does.
    expect(ta.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')
    assert jid not in [j['id'] for j in expect(ta.get('/api/open-jobs'), 200)['items']]
    assert jid in [j['id'] for j in expect(tb.get('/api/open-jobs'), 200)['items']]
    lease_b, train_b = submit_one(tb, jid)
    assert lease_b['taskId'] == tid
    expect(ta.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')
    expect(tc.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')
    job = _job(requester, jid)
    assert (job['trainCount'], job['pendingCount'], job['approvedCount'], job['rejectedCount'], job['openSlots']) == \
        (1, 1, 0, 1, 0), job
    assert job['trainCount'] == job['approvedCount'] + job['pendingCount']
    assert _task_row(db, tid) == {'results_wanted': 1, 'open_slots': 0, 'train_count': 1}

    done = expect(review(requester, jid, 'approve', trainIds=[train_b['id']]), 200)
    assert (done['count'], done['amount']) == (1, '0.05'), done
    assert (ta.balance(), tb.balance(), escrow_balance(db, jid)) == (0, bounty, 0)
    job = _job(requester, jid)
    assert (job['trainCount'], job['approvedCount'], job['budgetLeft']) == (1, 1, '0.00'), job
    assert job['trainCount'] == job['approvedCount'] + job['pendingCount']
    assert [(t['id'], t['state']) for t in _trains(requester, jid)] == [(train_a['id'], 'rejected'),
                                                                         (train_b['id'], 'approved')]
    e.audit_ok()


# --- 5. top-ups ---------------------------------------------------------------------------------------------------

def _funding(job):
    return (job['budget'], job['budgetLeft'], job['slotsFunded'], job['unfundedSlots'], job['topUpCost'], job['openSlots'])


def _wanted(db, job_id):
    return [r['results_wanted'] for r in e.query(db, 'SELECT results_wanted FROM tasks WHERE job_id = %s ORDER BY id',
                                                  job_id)]


def _drain(taskers, job_id):
    """Each tasker takes and hands in until no_work; returns the trains."""
    trains = []
    for t in taskers:
        while True:
            r = t.post(f'/api/jobs/{job_id}/leases')
            if r.status_code == 404:
                expect(r, 404, 'no_work')
                break
            lease = expect(r, 201)
            trains.append(expect(t.post(f'/api/leases/{lease["id"]}/train', json={'boxes': [e.inside_box(lease)]}), 201))
    return trains


def test_top_up_opens_the_slots_the_budget_did_not_cover(base, db, requester_with_active_job, new_users, admin_ready):
    bounty = money('0.10')
    # 4 images x 2 results = 8 slots, a budget for 3.
    setup = requester_with_active_job(images=4, results_per_image=2, bounty=str(bounty), budget='0.30', credit='1.00')
    jid, requester = setup.id, setup.requester
    assert requester.balance() == money('0.70'), 'activation charges only the slots it opens'
    assert _funding(setup.job) == ('0.30', '0.30', 3, 5, '0.50', 3), setup.job
    assert _wanted(db, jid) == [2, 1, 0, 0]
    t1, t2, t3 = new_users('tasker', 3)
    first = _drain([t1, t2, t3], jid)
    assert len(first) == 3
    for t in (t1, t2, t3):
        expect(t.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')

    # Refusals that change nothing.
    draft = expect(requester.post('/api/jobs', json=e.job_body(bounty='0.10', budget='0.10', resultsPerImage=1)), 201)
    other = e.register(base, 'requester')
    e.admin('credit', other.email, '1.00')
    before = _state(db)
    expect(requester.post(f'/api/jobs/{draft["id"]}/top-up', json={'amount': '0.10'}), 409, 'job_not_open')
    expect(requester.post(f'/api/jobs/{jid}/top-up', json={'amount': '-0.10'}), 422)
    expect(requester.post(f'/api/jobs/{jid}/top-up', json={'amount': '0.001'}), (400, 422))
    expect(requester.post(f'/api/jobs/{jid}/top-up', json={'amount': '100000000000.00'}), 422)
    expect(t1.post(f'/api/jobs/{jid}/top-up', json={'amount': '0.10'}), 403)
    expect(other.post(f'/api/jobs/{jid}/top-up', json={'amount': '0.10'}), 404)
    assert _state(db) == before, 'a refused top-up changed the database'
    assert _funding(_job(requester, jid)) == ('0.30', '0.30', 3, 5, '0.50', 0)

    # A top-up of 0.20 opens two more slots; work is handed out again.
    up = expect(requester.post(f'/api/jobs/{jid}/top-up', json={'amount': '0.20'}), 200)
    assert (up['slotsOpened'], up['charged']) == (2, '0.20'), up
    assert _funding(up['job']) == ('0.50', '0.50', 5, 3, '0.30', 2), up['job']
    assert requester.balance() == money('0.50')
    assert _wanted(db, jid) == [2, 2, 1, 0]
    second = _drain([t1, t2, t3], jid)
    assert len(second) == 2
    # All the rest: 3 slots for 0.30 (the budget grows by 0.50: room for two more bounties).
    up = expect(requester.post(f'/api/jobs/{jid}/top-up', json={'amount': '0.50'}), 200)
    assert (up['slotsOpened'], up['charged']) == (3, '0.30'), up
    assert _funding(up['job']) == ('1.00', '0.80', 8, 0, '0.00', 3), up['job']
    assert requester.balance() == money('0.20')
    # Images added to the active job are funded at once, as far as the budget allows (two slots).
    tasks = e.upload_pngs(requester, jid, [e.png(64, 48), e.png(64, 48)])
    assert requester.balance() == 0
    assert _wanted(db, jid) == [2, 2, 2, 2, 2, 0]
    job = _job(requester, jid)
    assert _funding(job) == ('1.00', '1.00', 10, 2, '0.20', 5), job
    assert job['imageCount'] == 6
    # A top-up the balance does not cover: 422, nothing changes, not even the budget.
    before = _state(db)
    expect(requester.post(f'/api/jobs/{jid}/top-up', json={'amount': '0.20'}), 422, 'insufficient_balance')
    assert _state(db) == before
    assert _funding(_job(requester, jid)) == ('1.00', '1.00', 10, 2, '0.20', 5)
    # With the money, the last two slots open (an empty body: the budget as it is does not cover them).
    e.admin('credit', requester.email, '0.20')
    up = expect(requester.post(f'/api/jobs/{jid}/top-up'), 200)
    assert (up['slotsOpened'], up['charged']) == (0, '0.00'), up
    up = expect(requester.post(f'/api/jobs/{jid}/top-up', json={'amount': '0.20'}), 200)
    assert (up['slotsOpened'], up['charged']) == (2, '0.20'), up
    assert _funding(up['job']) == ('1.20', '1.20', 12, 0, '0.00', 7), up['job']
    assert requester.balance() == 0
    third = _drain([t1, t2, t3], jid)
    assert len(third) == 7
    assert {t['taskId'] for t in third} >= {x['id'] for x in tasks}
    expect(e.review(requester, jid, 'approve', state='pending'), 200)
    assert t1.balance() + t2.balance() + t3.balance() == 12 * bounty
    assert escrow_balance(db, jid) == 0
    # A finished job takes no top-up.
    expect(requester.post(f'/api/jobs/{jid}/finish'), 200)
    expect(requester.post(f'/api/jobs/{jid}/top-up', json={'amount': '0.10'}), 409, 'job_not_open')
    e.audit_ok()


def test_removing_the_untouched_images_of_an_open_job_gives_their_escrow_back(base, db, requester_with_active_job):
    """The legacy RemoveJobImages deletes the images nobody has worked on. On an open job
    their slots were paid into the escrow at activation: that money must not stay behind
    for slots that no longer exist, nor be charged again when images are added."""
    bounty = money('0.10')
    setup = requester_with_active_job(images=2, results_per_image=1, bounty=str(bounty), credit='1.00')
    jid, requester = setup.id, setup.requester
    assert requester.balance() == money('0.80') and escrow_balance(db, jid) == 2 * bounty
    token = _legacy_ok(_legacy(base, 'RequesterLogon', Email=requester.email, Password=requester.password))
    try:
        reply = _legacy(base, 'RemoveJobImages', UserID=token, JobID=str(jid))
        assert reply == '2 files deleted.' or reply.startswith('Error:'), reply
        job = _job(requester, jid)
        assert money(job['budgetLeft']) == bounty * job['slotsFunded'], \
            f'after RemoveJobImages ({reply!r}) the escrow holds {job["budgetLeft"]} for {job["slotsFunded"]} slots: {job}'
        assert requester.balance() + money(job['budgetLeft']) == money('1.00')
        e.audit_ok()
        # Two images added again: the budget (0.20) is not exceeded, the requester pays for two slots in all.
        e.upload_pngs(requester, jid, [e.png(64, 48), e.png(64, 48)])
        job = _job(requester, jid)
        assert money(job['budgetLeft']) <= money(job['budget']), job
        assert requester.balance() + money(job['budgetLeft']) == money('1.00'), (requester.balance(), job)
        e.audit_ok()
    finally:
        expect(requester.post(f'/api/jobs/{jid}/finish'), 200)  # whatever happened, finishing settles the escrow


def test_the_review_window_of_a_job_is_checked(new_user):
    requester = new_user('requester')
    assert expect(requester.post('/api/jobs', json=e.job_body()), 201)['autoApproveAfterHours'] == 72
    for hours in (0, 1, 8760):
        assert expect(requester.post('/api/jobs', json=e.job_body(autoApproveAfterHours=hours)), 201)[
            'autoApproveAfterHours'] == hours
    for hours in (-1, 8761, 1.5, '12', True, [1]):
        expect(requester.post('/api/jobs', json=e.job_body(autoApproveAfterHours=hours)), (400, 422))
    draft = expect(requester.post('/api/jobs', json=e.job_body(autoApproveAfterHours=5)), 201)
    changed = expect(requester.patch(f'/api/jobs/{draft["id"]}', json=e.job_body(name=draft['name'],
                                                                                 autoApproveAfterHours=7)), 200)
    assert changed['autoApproveAfterHours'] == 7, changed


# --- 6. finishing with results pending ----------------------------------------------------------------------------

def test_finish_keeps_the_bounties_of_pending_results_until_they_are_settled(db, requester_with_active_job, new_users):
    bounty = money('0.10')
    setup = requester_with_active_job(images=4, results_per_image=1, bounty=str(bounty))
    jid, requester = setup.id, setup.requester
    ta, tb = new_users('tasker', 2)
    trains = [submit_one(ta, jid)[1] for _ in range(3)]
    held = expect(tb.post(f'/api/jobs/{jid}/leases'), 201)  # the fourth image, leased when the job finishes
    expect(review(requester, jid, 'approve', trainIds=[trains[0]['id']]), 200)
    assert ta.balance() == bounty and escrow_balance(db, jid) == 3 * bounty and requester.balance() == 0

    job = expect(requester.post(f'/api/jobs/{jid}/finish'), 200)
    assert job['state'] == 'finished' and job['openSlots'] == 0, job
    assert job['budgetLeft'] == '0.20', f'after finish the escrow holds the 2 pending bounties: {job}'
    assert job['pendingCount'] == 2, job
    assert requester.balance() == bounty, 'the leased slot is refunded'
    expect(tb.post(f'/api/leases/{held["id"]}/train', json={'boxes': [e.inside_box(held)]}), 409, 'lease_not_live')
    expect(tb.post(f'/api/jobs/{jid}/leases'), 409, 'job_not_open')
    e.audit_ok()

    # Approved after finish: the tasker is paid from the escrow.
    done = _decide(db, requester, jid, 'approve', trainIds=[trains[1]['id']])
    assert (done['count'], done['amount']) == (1, '0.10'), done
    assert ta.balance() == 2 * bounty and escrow_balance(db, jid) == bounty and requester.balance() == bounty
    # Rejected after finish: the bounty goes back to the requester.
    done = _decide(db, requester, jid, 'reject', trainIds=[trains[2]['id']], reason='Nothing is marked.')
    assert (done['count'], done['amount']) == (1, '0.10'), done
    assert ta.balance() == 2 * bounty and escrow_balance(db, jid) == 0 and requester.balance() == 2 * bounty
    refund = e.query(db, "SELECT amount, from_account, to_account FROM ledger_entries WHERE settlement_id = %s",
                     _settlement_of(db, trains[2]['id'])['settlement_id'])
    assert [(money(r['amount']), r['from_account'], r['to_account']) for r in refund] == \
        [(bounty, _job_account(db, jid), _account(db, requester))], refund
    job = _job(requester, jid)
    assert (job['budgetLeft'], job['pendingCount'], job['approvedCount'], job['rejectedCount'], job['trainCount'],
            job['openSlots']) == ('0.00', 0, 2, 1, 2, 0), job
    assert earnings(ta) == {'available': 2 * bounty, 'pending': 0, 'pendingCount': 0, 'approved': 2 * bounty,
                            'approvedCount': 2, 'rejected': bounty, 'rejectedCount': 1}
    # The rejected slot of a finished job is not offered again.
    expect(tb.post(f'/api/jobs/{jid}/leases'), 409, 'job_not_open')
    assert _task_row(db, trains[2]['taskId'])['open_slots'] == 0
    e.audit_ok()


# --- 7. the tasker's history, earnings and payouts --------------------------------------------------------------

def test_the_taskers_history_and_earnings_and_payouts_draw_only_on_available(db, requester_with_active_job, new_users):
    bounty = money('0.10')
    setup = requester_with_active_job(images=5, results_per_image=1, bounty=str(bounty), width=80, height=60)
    jid, requester = setup.id, setup.requester
    tasker, stranger = new_users('tasker', 2)
    zero = {'available': 0, 'pending': 0, 'pendingCount': 0, 'approved': 0, 'approvedCount': 0, 'rejected': 0,
            'rejectedCount': 0}
    assert earnings(tasker) == zero
    assert expect(tasker.get('/api/me/results'), 200) == {'items': [], 'page': 1, 'perPage': 50, 'total': 0}
    trains = []
    for i in range(5):
        lease = expect(tasker.post(f'/api/jobs/{jid}/leases'), 201)
        body = {'boxes': [], 'nothingToMark': True} if i == 4 else \
            {'boxes': [{'x': 1 + i, 'y': 2, 'w': 10, 'h': 7.5, 'label': 'car'}]}
        trains.append(expect(tasker.post(f'/api/leases/{lease["id"]}/train', json=body), 201))
        assert earnings(tasker) == dict(zero, pending=(i + 1) * bounty, pendingCount=i + 1)
    ids = [t['id'] for t in trains]

    # Newest first, in pages.
    pages = [expect(tasker.get(f'/api/me/results?perPage=2&page={p}'), 200) for p in (1, 2, 3, 4)]
    assert [[r['id'] for r in p['items']] for p in pages] == [ids[4:2:-1], ids[2:0:-1], ids[:1], []]
    assert all((p['total'], p['perPage'], p['page']) == (5, 2, n) for n, p in enumerate(pages, 1)), pages
    first = pages[2]['items'][0]
    assert (first['jobId'], first['jobTitle'], first['taskId'], first['imageUrl'], first['imageWidth'],
            first['imageHeight'], first['boxes'], first['nothingToMark'], first['state'], first.get('rejectReason'),
            first['bounty'], first.get('settledAt')) == (
        jid, setup.job['title'], trains[0]['taskId'], f'/api/tasks/{trains[0]["taskId"]}/image', 80, 60,
        [{'x': 1, 'y': 2, 'w': 10, 'h': 7.5, 'label': 'car'}], False, 'pending', None, '0.10', None), first
    assert first['createdAt'] and pages[0]['items'][0]['nothingToMark'] is True
    # The image loads for the tasker who had it, not for another.
    r = tasker.get(first['imageUrl'])
    assert r.status_code == 200 and e.ttstack.png_size(r.content) == (80, 60), e.describe(r)
    expect(stranger.get(first['imageUrl']), 404)
    expect(tasker.get('/api/me/results?state=done'), 400)
    expect(tasker.get('/api/me/results?perPage=0'), 400)

    # Two approved, one rejected.
    expect(review(requester, jid, 'approve', trainIds=ids[:2]), 200)
    expect(review(requester, jid, 'reject', trainIds=[ids[2]], reason='Too small.'), 200)
    assert earnings(tasker) == {'available': 2 * bounty, 'pending': 2 * bounty, 'pendingCount': 2,
                                'approved': 2 * bounty, 'approvedCount': 2, 'rejected': bounty, 'rejectedCount': 1}
    for state, want in (('pending', ids[4:2:-1]), ('approved', ids[1::-1]), ('rejected', [ids[2]])):
        page = expect(tasker.get(f'/api/me/results?state={state}'), 200)
        assert [r['id'] for r in page['items']] == want and page['total'] == len(want), (state, page)
        assert all(r['state'] == state for r in page['items'])
        assert all((r.get('settledAt') is None) == (state == 'pending') for r in page['items']), page
    rejected = expect(tasker.get('/api/me/results?state=rejected'), 200)['items'][0]
    assert rejected['rejectReason'] == 'Too small.'
    assert expect(stranger.get('/api/me/results'), 200)['total'] == 0
    assert money(tasker.me()['balance']) == 2 * bounty

    # A payout draws on available only: more than available but within available + pending is refused.
    before = _state(db)
    for amount in ('0.30', '0.40', '0.21'):
        expect(tasker.post('/api/payouts', json={'amount': amount, 'address': 'XqWallet-review'}), 422,
               'insufficient_balance')
    assert _state(db) == before
    payout = expect(tasker.post('/api/payouts', json={'amount': '0.20', 'address': 'XqWallet-review'}), 201)
    assert payout['amount'] == '0.20' and payout['state'] == 'requested', payout
    assert earnings(tasker) == {'available': 0, 'pending': 2 * bounty, 'pendingCount': 2, 'approved': 2 * bounty,
                                'approvedCount': 2, 'rejected': bounty, 'rejectedCount': 1}
    expect(tasker.post('/api/payouts', json={'amount': '0.10', 'address': 'XqWallet-review'}), 422,
           'insufficient_balance')
    # The rest approved: available again.
    expect(review(requester, jid, 'approve', state='pending'), 200)
    assert earnings(tasker) == {'available': 2 * bounty, 'pending': 0, 'pendingCount': 0, 'approved': 4 * bounty,
                                'approvedCount': 4, 'rejected': bounty, 'rejectedCount': 1}
    expect(tasker.post('/api/payouts', json={'amount': '0.20', 'address': 'XqWallet-review'}), 201)
    assert tasker.balance() == 0
    e.audit_ok()


# --- 8. the legacy protocol ----------------------------------------------------------------------------------------

def _legacy(base, command, method='GET', data=None, **params):
    r = requests.request(method, f'{base}/Server.aph', params={'Command': command, **params}, data=data,
                         headers={'Content-Type': 'text/plain;charset=UTF-8'} if data is not None else {},
                         timeout=e.TIMEOUT)
    assert r.status_code == 200, e.describe(r)
    return r.text


def _legacy_ok(text):
    assert not text.startswith('Error:'), text
    return text


def test_legacy_results_wait_for_review_and_payment_waits_for_approval(base, db, admin_ready):
    import base64
    password = 'pw-' + uuid.uuid4().hex[:20]
    req_email, tasker_email = e.unique_email('legacy-req'), e.unique_email('legacy-tasker')
    req_token = _legacy_ok(_legacy(base, 'RequesterRegistration', Email=req_email, Password=password))
    e.admin('credit', req_email, '1.00')
    name = 'job-' + uuid.uuid4().hex[:10]
    record = json.dumps({'title': 'Mark the car', 'description': 'legacy review', 'instructions': 'Box it.',
                         'bounty': '0.25', 'budget': '0.25', 'MaxTrains': '1', 'labels': ['car']})
    job = json.loads(_legacy_ok(_legacy(base, 'PublishJob1', 'POST', record, UserID=req_token, Name=name)))
    assert _legacy(base, 'UploadImage', 'POST', base64.b64encode(e.png(500, 300)).decode(), UserID=req_token,
                   JobID=job['ID']) == 'Ok'
    job = json.loads(_legacy_ok(_legacy(base, 'PublishJob2', 'POST', record, UserID=req_token, Name=name)))
    assert job['state'] == 'active', job
    jid = int(job['ID'])

    # The legacy requester is an ordinary account.
    requester = e.Client(base)
    signed_in = expect(requester.post('/api/auth/login', json={'email': req_email, 'password': password}), 200)
    requester.token = signed_in['token']
    job_view = _job(requester, jid)
    assert job_view['autoApproveAfterHours'] == 72, job_view
    assert (job_view['budgetLeft'], job_view['slotsFunded']) == ('0.25', 1), job_view
    assert requester.balance() == money('0.75')

    tasker_token = _legacy_ok(_legacy(base, 'TaskerRegistration', Email=tasker_email, Password=password))
    tasker = e.Client(base, token=tasker_token)
    train = json.loads(_legacy_ok(_legacy(base, 'GetNexAvailableTrain', UserID=tasker_token, JobID=job['ID'])))
    assert _legacy(base, 'ReportTrain', 'POST', json.dumps(dict(train, X=10, Y=10, W=50, H=50)), UserID=tasker_token,
                   JobID=job['ID']) == ''
    # Pending: the balance does not move, the payment is refused.
    assert tasker.balance() == 0
    assert earnings(tasker) == {'available': 0, 'pending': money('0.25'), 'pendingCount': 1, 'approved': 0,
                                'approvedCount': 0, 'rejected': 0, 'rejectedCount': 0}
    before = _state(db)
    reply = _legacy(base, 'RequestPayment', UserID=tasker_token, Address='XdashWallet1', Amount='0.25')
    assert reply.startswith('Error:'), reply
    reply = _legacy(base, 'RequestPayment', UserID=tasker_token, Address='XdashWallet1')
    assert reply.startswith('Error:'), reply
    assert _state(db) == before
    assert escrow_balance(db, jid) == money('0.25')

    # The requester approves it through the JSON API; then the payment can draw on it.
    (stored,) = _trains(requester, jid)
    assert stored['state'] == 'pending' and stored['coordinateSpace'] == 'legacy-canvas', stored
    done = expect(review(requester, jid, 'approve', trainIds=[stored['id']]), 200)
    assert (done['count'], done['amount']) == (1, '0.25'), done
    assert tasker.balance() == money('0.25') and escrow_balance(db, jid) == 0
    reply = _legacy_ok(_legacy(base, 'RequestPayment', UserID=tasker_token, Address='XdashWallet1', Amount='0.25'))
    assert reply.startswith('Ok') and '0.25' in reply, reply
    assert tasker.balance() == 0
    e.audit_ok()
