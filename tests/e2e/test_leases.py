"""The rules of leases and submissions, one tasker at a time: the budget caps the slots
opened, an expired or skipped lease gives its slot back (but never to the same tasker), a
held lease is returned again, and a resubmitted train is stored once and paid once when
approved. Taking and handing in move no money: the escrow holds each opened slot's bounty."""
import time

import e2e_lib as e
from e2e_lib import expect, money


def _escrow(db, job_id):
    """The job's escrow balance and the slots it pays for."""
    row = e.query_one(db, 'SELECT a.balance, j.escrowed_slots FROM jobs j JOIN accounts a ON a.id = j.account_id '
                          'WHERE j.id = %s', job_id)
    return money(row['balance']), row['escrowed_slots']


def _run_out(db, lease):
    """The clock passes the lease's end, simulated in the database: the lease moved a day
    back, whatever the time zone."""
    with db.cursor() as cur:
        cur.execute('UPDATE leases SET created_at = created_at - INTERVAL 1 DAY, '
                    'expires_at = expires_at - INTERVAL 1 DAY WHERE id = %s', (lease['id'],))


def _submit(tasker, lease, **kw):
    return tasker.post(f'/api/leases/{lease["id"]}/train', json={'boxes': [e.inside_box(lease)], **kw})


def test_budget_of_two_bounties_hands_out_two_leases(db, requester_with_active_job, new_users):
    setup = requester_with_active_job(images=5, results_per_image=1, bounty='0.10', budget='0.20')
    jid = setup.id
    t1, t2, t3, t4 = new_users('tasker', 4)

    l1 = expect(t1.post(f'/api/jobs/{jid}/leases'), 201)
    l2 = expect(t2.post(f'/api/jobs/{jid}/leases'), 201)
    assert l1['taskId'] != l2['taskId']
    # The budget opened two slots, both leased: no third lease, although 3 images are untouched.
    expect(t3.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')
    assert _escrow(db, jid) == (money('0.20'), 2)
    job = expect(setup.requester.get(f'/api/jobs/{jid}'), 200)
    assert (job['slotsFunded'], job['unfundedSlots'], job['topUpCost']) == (2, 3, '0.30'), job
    assert jid not in [j['id'] for j in expect(t3.get('/api/open-jobs'), 200)['items']]

    # Releasing one makes one more available.
    r = t1.delete(f'/api/leases/{l1["id"]}')
    assert r.status_code == 204, e.describe(r)
    assert _escrow(db, jid) == (money('0.20'), 2)
    assert jid in [j['id'] for j in expect(t3.get('/api/open-jobs'), 200)['items']]
    l3 = expect(t3.post(f'/api/jobs/{jid}/leases'), 201)
    expect(t4.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')

    expect(_submit(t2, l2), 201)
    expect(_submit(t3, l3), 201)
    # Every opened slot has its result: nobody gets work, and nothing is paid before review.
    for t in (t1, t2, t3, t4):
        expect(t.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')
    assert _escrow(db, jid) == (money('0.20'), 2)
    assert (t1.balance(), t2.balance(), t3.balance(), t4.balance()) == (0, 0, 0, 0)
    assert e.approve_all(setup.requester, jid)['count'] == 2
    # Approved: the job paid exactly its budget, one ledger entry per tasker.
    assert _escrow(db, jid) == (money('0.00'), 0)
    assert (t1.balance(), t2.balance(), t3.balance(), t4.balance()) == (0, money('0.10'), money('0.10'), 0)
    paid = e.query_one(db, "SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS s FROM ledger_entries "
                           "WHERE kind = 'bounty' AND job_id = %s", jid)
    assert paid['n'] == 2 and money(paid['s']) == money('0.20'), paid
    job = expect(setup.requester.get(f'/api/jobs/{jid}'), 200)
    assert job['budgetLeft'] == '0.00' and job['trainCount'] == 2, job
    e.audit_ok()


def test_the_housekeeper_ends_expired_leases_without_anyone_asking_for_work(db, requester_with_active_job, new_users):
    """The worker's housekeeper (every `reclaimEverySeconds`, 5 by default) gives an expired
    lease's slot back although nobody asks the job for work; no money moves."""
    setup = requester_with_active_job(images=2, results_per_image=1, bounty='0.05', budget='0.10')
    jid = setup.id
    (t1,) = new_users('tasker', 1)
    lease = expect(t1.post(f'/api/jobs/{jid}/leases'), 201)
    assert _escrow(db, jid) == (money('0.10'), 2)
    _run_out(db, lease)
    deadline = time.monotonic() + 20
    while e.query_one(db, 'SELECT state FROM leases WHERE id = %s', lease['id'])['state'] == 'live':
        assert time.monotonic() < deadline, 'the expired lease was not ended within 20 s'
        time.sleep(0.2)
    assert e.query_one(db, 'SELECT state FROM leases WHERE id = %s', lease['id'])['state'] == 'expired'
    assert e.query_one(db, 'SELECT open_slots FROM tasks WHERE id = %s', lease['taskId'])['open_slots'] == 1
    assert _escrow(db, jid) == (money('0.10'), 2)
    e.audit_ok()


def test_taking_again_ends_the_takers_own_expired_lease(db, requester_with_active_job, new_users):
    """A tasker whose lease ran out asks for work before the housekeeper came by: that lease
    ends (its slot back) and they get a new one, never two live ones."""
    setup = requester_with_active_job(images=2, results_per_image=1, bounty='0.05', budget='0.10')
    jid = setup.id
    (t1,) = new_users('tasker', 1)
    first = expect(t1.post(f'/api/jobs/{jid}/leases'), 201)
    _run_out(db, first)
    second = expect(t1.post(f'/api/jobs/{jid}/leases'), 201)
    assert second['taskId'] != first['taskId'], (first, second)
    leases = e.query(db, "SELECT id, state FROM leases WHERE tasker_id = %s AND job_id = %s ORDER BY id", t1.id, jid)
    assert [(x['id'], x['state']) for x in leases] == [(first['id'], 'expired'), (second['id'], 'live')], leases
    assert e.query_one(db, 'SELECT open_slots FROM tasks WHERE id = %s', first['taskId'])['open_slots'] == 1
    assert _escrow(db, jid) == (money('0.10'), 2)
    e.audit_ok()


def test_expired_lease_returns_its_slot_and_cannot_be_submitted(db, requester_with_active_job, new_users):
    setup = requester_with_active_job(images=1, results_per_image=1, bounty='0.05', budget='0.05')
    jid, tid = setup.id, setup.tasks[0]['id']
    t1, t2, t3 = new_users('tasker', 3)

    l1 = expect(t1.post(f'/api/jobs/{jid}/leases'), 201)
    # Asking again while holding a live lease gives the same lease.
    again = expect(t1.post(f'/api/jobs/{jid}/leases'), 200)
    assert again['id'] == l1['id'] and again['taskId'] == tid, again
    expect(t2.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')

    _run_out(db, l1)
    # Whether or not the housekeeper has ended it yet, it shows as expired and it is too late to submit.
    shown = expect(t1.get(f'/api/leases/{l1["id"]}'), 200)
    assert (shown['state'], shown['secondsLeft']) == ('expired', 0), shown
    expect(_submit(t1, l1), 409, 'lease_expired')
    assert t1.balance() == 0

    # Another tasker gets the slot back.
    l2 = expect(t2.post(f'/api/jobs/{jid}/leases'), 201)
    assert l2['taskId'] == tid and l2['id'] != l1['id']
    assert expect(t1.get(f'/api/leases/{l1["id"]}'), 200)['state'] == 'expired'
    expect(_submit(t1, l1), 409, 'lease_expired')
    # The first tasker never gets that task again.
    expect(t1.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')
    # The holder asking again gets the same lease.
    assert expect(t2.post(f'/api/jobs/{jid}/leases'), 200)['id'] == l2['id']

    # A skip (DELETE): the slot goes back, but not to the one who skipped, nor to the one who let it expire.
    r = t2.delete(f'/api/leases/{l2["id"]}')
    assert r.status_code == 204, e.describe(r)
    assert expect(t2.get(f'/api/leases/{l2["id"]}'), 200)['state'] == 'released'
    expect(_submit(t2, l2), 409, 'lease_not_live')
    expect(t2.delete(f'/api/leases/{l2["id"]}'), 409, 'lease_not_live')
    row = e.query_one(db, 'SELECT open_slots, train_count FROM tasks WHERE id = %s', tid)
    assert (row['open_slots'], row['train_count']) == (1, 0), row
    expect(t2.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')
    expect(t1.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')
    assert jid not in [j['id'] for j in expect(t1.get('/api/open-jobs'), 200)['items']]

    l3 = expect(t3.post(f'/api/jobs/{jid}/leases'), 201)
    assert l3['taskId'] == tid
    expect(_submit(t3, l3), 201)
    assert _escrow(db, jid) == (money('0.05'), 1)
    assert e.approve_all(setup.requester, jid)['count'] == 1
    assert (t1.balance(), t2.balance(), t3.balance()) == (0, 0, money('0.05'))
    assert _escrow(db, jid) == (0, 0)
    leases = e.query(db, 'SELECT tasker_id, state FROM leases WHERE task_id = %s ORDER BY id', tid)
    assert [(x['tasker_id'], x['state']) for x in leases] == [
        (t1.id, 'expired'), (t2.id, 'released'), (t3.id, 'submitted')], leases
    e.audit_ok()


def test_resubmitting_the_same_train_is_stored_once_and_paid_once(db, requester_with_active_job, new_user):
    setup = requester_with_active_job(images=1, results_per_image=1, bounty='0.05', budget='0.05')
    tasker = new_user('tasker')
    lease = expect(tasker.post(f'/api/jobs/{setup.id}/leases'), 201)
    body = {'boxes': [{'x': 1.5, 'y': 2, 'w': 10, 'h': 7.25, 'label': 'car'},
                      {'x': 20, 'y': 3, 'w': 4, 'h': 4, 'label': 'person'}], 'nothingToMark': False}
    first = expect(tasker.post(f'/api/leases/{lease["id"]}/train', json=body), 201)
    second = expect(tasker.post(f'/api/leases/{lease["id"]}/train', json=body), 200)
    assert second['id'] == first['id'] and second['boxes'] == first['boxes'], (first, second)
    # The same boxes as strings, and without the default nothingToMark: still the same train.
    same = {'boxes': [{k: (str(v) if k != 'label' else v) for k, v in b.items()} for b in body['boxes']]}
    assert expect(tasker.post(f'/api/leases/{lease["id"]}/train', json=same), 200)['id'] == first['id']
    assert first['state'] == 'pending' and tasker.balance() == 0
    assert e.earnings(tasker)['pending'] == money('0.05')

    # Another payload on the same lease is a conflict, and changes nothing.
    before = e.snapshot(db)
    other = {'boxes': [{'x': 1.5, 'y': 2, 'w': 10, 'h': 7.25, 'label': 'person'}]}
    expect(tasker.post(f'/api/leases/{lease["id"]}/train', json=other), 409)
    expect(tasker.post(f'/api/leases/{lease["id"]}/train', json={'boxes': [], 'nothingToMark': True}), 409)
    assert e.snapshot(db) == before

    assert e.query_one(db, 'SELECT COUNT(*) AS n FROM trains WHERE lease_id = %s', lease['id'])['n'] == 1
    assert e.query_one(db, 'SELECT COUNT(*) AS n FROM boxes WHERE train_id = %s', first['id'])['n'] == 2
    assert e.approve_all(setup.requester, setup.id)['count'] == 1
    paid = e.query_one(db, "SELECT COUNT(*) AS n FROM ledger_entries e JOIN trains r ON r.settlement_id = e.settlement_id "
                           "WHERE e.kind = 'bounty' AND r.id = %s", first['id'])
    assert paid['n'] == 1, paid
    assert tasker.balance() == money('0.05')
    e.audit_ok()


def test_a_tasker_moves_forward_and_a_slot_given_back_behind_them_comes_last(db, requester_with_active_job, new_users):
    setup = requester_with_active_job(images=3, results_per_image=1)
    t1, t2, t3 = (t['id'] for t in setup.tasks)
    ahead, behind = new_users('tasker', 2)
    take = f'/api/jobs/{setup.id}/leases'
    held = expect(behind.post(take), 201)
    assert held['taskId'] == t1
    first = expect(ahead.post(take), 201)
    assert first['taskId'] == t2
    expect(behind.delete(f'/api/leases/{held["id"]}'), 204)  # t1's slot is free again, behind `ahead`
    expect(_submit(ahead, first), 201)
    # Ahead of the tasker first: t3, although t1 is lower ...
    second = expect(ahead.post(take), 201)
    assert second['taskId'] == t3
    expect(_submit(ahead, second), 201)
    # ... then, with nothing ahead, the slot given back behind them.
    third = expect(ahead.post(take), 201)
    assert third['taskId'] == t1
    expect(_submit(ahead, third), 201)
    expect(ahead.post(take), 404, 'no_work')
    expect(behind.post(take), 404, 'no_work')
    e.audit_ok()


def test_a_slot_given_back_by_an_expired_lease_goes_first_to_a_tasker_who_has_not_passed_it(
        db, requester_with_active_job, new_users):
    setup = requester_with_active_job(images=2, results_per_image=1)
    t1, t2 = (t['id'] for t in setup.tasks)
    ahead, behind, fresh = new_users('tasker', 3)
    take = f'/api/jobs/{setup.id}/leases'
    lost = expect(behind.post(take), 201)
    assert lost['taskId'] == t1
    assert expect(ahead.post(take), 201)['taskId'] == t2
    _run_out(db, lost)
    assert expect(fresh.post(take), 201)['taskId'] == t1
    e.audit_ok()
