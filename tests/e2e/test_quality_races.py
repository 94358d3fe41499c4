"""Races of quality control: a tasker blocked while many requests of theirs take leases
and hand in results; many taskers racing on a job with adaptive redundancy while the
worker's quality thread offers the held slots of images whose results disagree. The
database is checked afterwards: no lease of a blocked tasker is live, every result of
theirs was handed in before the block (and rejected by it), no image ever holds more
results than the job's results per image, `$TT_ADMIN audit` agrees."""
import collections
import functools
import time


import e2e_lib as e
from e2e_lib import expect, money

W, H = 64, 48


def _job(base, images, results_per_image, quality=None, bounty='0.05'):
    """A fresh requester, credited, with an active job of `images` PNGs of W x H."""
    budget = str(money(bounty) * images * results_per_image)
    fields = {'quality': quality} if quality else {}
    return e.requester_with_active_job(base, images=images, results_per_image=results_per_image, bounty=bounty,
                                       budget=budget, width=W, height=H, **fields)


# --- (a) a block while the tasker's requests race ------------------------------------------------------------------

def _work_until_refused(tasker, job_id, out):
    """take -> hand in, over and over, until the take is refused (403 blocked, or 404
    no_work). Never raises: a failure is kept in out['error']."""
    try:
        for _ in range(400):
            r = e.race_call(tasker, 'POST', f'/api/jobs/{job_id}/leases')
            out['statuses'][('take', r.status_code)] += 1
            if r.status_code == 503:
                expect(r, 503, 'busy')
                time.sleep(0.05)
                continue
            if r.status_code in (403, 404):
                expect(r, r.status_code, 'blocked' if r.status_code == 403 else 'no_work')
                out['last'] = r.status_code
                return
            lease = expect(r, (200, 201))
            r = e.race_call(tasker, 'POST', f'/api/leases/{lease["id"]}/train', json={'boxes': [e.inside_box(lease)]})
            out['statuses'][('train', r.status_code)] += 1
            if r.status_code == 503:
                expect(r, 503, 'busy')
            elif r.status_code == 409:
                # Another thread handed this lease in first, or the block ended it.
                expect(r, 409, ('lease_not_live', 'lease_expired'))
            else:
                expect(r, (200, 201))
        raise AssertionError('a thread looped 400 times without being refused')
    except (e.Hung, AssertionError) as ex:
        out['error'] = f'{ex}'


def test_a_tasker_blocked_while_16_of_their_requests_take_and_hand_in(base, db, admin_ready, new_user):
    setup = _job(base, images=80, results_per_image=1)
    jid, requester = setup.id, setup.requester
    tasker = new_user('tasker')
    outs = [{'statuses': collections.Counter()} for _ in range(16)]
    reason = 'Blocked in the middle of the work.'

    def blocker():
        """Blocks the tasker once they handed in 5 results (on a connection of its own:
        pymysql connections are not shared between threads)."""
        conn = e.db_connect()
        try:
            deadline = time.time() + 60
            while e.query_one(conn, 'SELECT COUNT(*) AS n FROM trains WHERE job_id = %s AND tasker_id = %s',
                              jid, tasker.id)['n'] < 5:
                assert time.time() < deadline, 'the tasker handed in fewer than 5 results in 60 s'
                time.sleep(0.05)
        finally:
            conn.close()
        r = e.race_call(requester, 'POST', f'/api/jobs/{jid}/taskers/{tasker.id}/block', json={'reason': reason})
        return expect(r, 200)

    results = e.run_concurrently([functools.partial(_work_until_refused, tasker, jid, out) for out in outs]
                                 + [blocker], timeout=240)
    outcome = results[-1]
    errors = [o['error'] for o in outs if o.get('error')]
    assert not errors, f'{len(errors)} threads failed: {errors[:3]}'
    statuses = sum((o['statuses'] for o in outs), collections.Counter())
    print(f'race: {dict(statuses)}, block {outcome}')
    # Every thread ended on the block (not on the end of the work).
    assert [o.get('last') for o in outs] == [403] * 16, [o.get('last') for o in outs]
    assert outcome['allJobs'] is False and outcome['leasesEnded'] in (0, 1), outcome

    live = e.query_one(db, "SELECT COUNT(*) AS n FROM leases WHERE job_id = %s AND tasker_id = %s AND state = 'live'",
                       jid, tasker.id)['n']
    assert live == 0, f'{live} live leases of the blocked tasker'
    trains = e.query(db, 'SELECT id, state, reject_reason FROM trains WHERE job_id = %s AND tasker_id = %s',
                     jid, tasker.id)
    assert len(trains) >= 5, trains
    # Every result was handed in before the block: it rejected them all, and none came after.
    assert outcome['resultsRejected'] == len(trains), (outcome, len(trains))
    assert all((t['state'], t['reject_reason']) == ('rejected', reason) for t in trains), trains
    assert statuses[('train', 201)] == len(trains), statuses
    # Their slots are offered again: as many as the job has images.
    job = expect(requester.get(f'/api/jobs/{jid}'), 200)
    assert (job['openSlots'], job['pendingCount'], job['rejectedCount'], job['budgetLeft']) == \
        (80, 0, len(trains), '4.00'), job
    expect(tasker.post(f'/api/jobs/{jid}/leases'), 403, 'blocked')
    e.audit_ok()


# --- (b) adaptive slots under concurrency --------------------------------------------------------------------------

def _spot(i):
    """A box of its own for tasker i: twelve places that do not overlap."""
    return {'x': (i % 4) * 16, 'y': (i // 4 % 3) * 16, 'w': 14, 'h': 14, 'label': 'car'}


def _work_until_no_work(tasker, job_id, box, out):
    try:
        for _ in range(100):
            r = e.race_call(tasker, 'POST', f'/api/jobs/{job_id}/leases')
            out['statuses'][('take', r.status_code)] += 1
            if r.status_code == 503:
                expect(r, 503, 'busy')
                time.sleep(0.05)
                continue
            if r.status_code == 404:
                expect(r, 404, 'no_work')
                return
            lease = expect(r, (200, 201))
            r = e.race_call(tasker, 'POST', f'/api/leases/{lease["id"]}/train', json={'boxes': [box]})
            out['statuses'][('train', r.status_code)] += 1
            expect(r, 201)
            out['tasks'].append(lease['taskId'])
        raise AssertionError('a tasker looped 100 times without hearing no_work')
    except (e.Hung, AssertionError) as ex:
        out['error'] = f'tasker {tasker.id}: {ex}'


def test_adaptive_slots_under_concurrency_never_exceed_the_maximum(base, db, admin_ready, new_users):
    images, maximum = 12, 3
    setup = _job(base, images=images, results_per_image=maximum, quality={'minResultsPerImage': 2})
    jid, requester = setup.id, setup.requester
    taskers = new_users('tasker', 10)
    outs = []
    for round_ in range(6):
        round_outs = [{'statuses': collections.Counter(), 'tasks': []} for _ in taskers]
        e.run_concurrently([functools.partial(_work_until_no_work, t, jid, _spot(i), out)
                            for i, (t, out) in enumerate(zip(taskers, round_outs))], timeout=240)
        errors = [o['error'] for o in round_outs if o.get('error')]
        assert not errors, f'round {round_}: {errors[:3]}'
        outs += round_outs
        # Let the quality thread assess the last results (and offer what it offers).
        time.sleep(2)
        done = e.query_one(db, 'SELECT SUM(quality_done) AS d, SUM(open_slots) AS o FROM tasks WHERE job_id = %s', jid)
        if done['d'] == images and done['o'] == 0:
            break
    statuses = sum((o['statuses'] for o in outs), collections.Counter())
    print(f'rounds: {round_ + 1}, statuses {dict(statuses)}')

    per_task = e.query(db, 'SELECT t.id, t.train_count, t.open_slots, t.held_slots, t.results_wanted, t.quality_done, '
                           '(SELECT COUNT(*) FROM trains x WHERE x.task_id = t.id) AS trains '
                           'FROM tasks t WHERE t.job_id = %s ORDER BY t.id', jid)
    over = [row for row in per_task if row['trains'] > maximum or row['train_count'] > maximum
            or row['results_wanted'] > maximum]
    assert not over, f'images with more than {maximum} results: {over}'
    # Every tasker drew somewhere else: every image's first two results disagreed, so each got its third.
    assert [(r['trains'], r['open_slots'], r['held_slots'], r['quality_done']) for r in per_task] == \
        [(maximum, 0, 0, 1)] * images, per_task
    dup = e.query(db, 'SELECT task_id, tasker_id, COUNT(*) AS n FROM trains WHERE job_id = %s '
                      'GROUP BY task_id, tasker_id HAVING n > 1', jid)
    assert not dup, dup
    job = expect(requester.get(f'/api/jobs/{jid}'), 200)
    assert (job['trainCount'], job['openSlots'], job['pendingCount']) == (images * maximum, 0, images * maximum), job
    e.audit_ok()
