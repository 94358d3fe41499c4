"""POST /api/leases/{id}/train?next=true: the result is stored (pending review), and the same
answer holds the tasker's next lease in the job (one request per image). A retried
submission gets the same next lease; a refused one takes nothing; without a next lease
the answer says why, as taking one would have."""
import e2e_lib as e
from e2e_lib import expect, money


def _submit_next(tasker, lease, flag='true', **body):
    return tasker.post(f'/api/leases/{lease["id"]}/train?next={flag}',
                       json=body or {'boxes': [e.inside_box(lease)]})


def _live_leases(db, tasker):
    return e.query(db, "SELECT id, task_id FROM leases WHERE tasker_id = %s AND state = 'live'", tasker.id)


def test_each_answer_holds_the_next_lease_until_there_is_no_work(db, requester_with_active_job, new_user):
    setup = requester_with_active_job(images=3, results_per_image=1, bounty='0.05')
    tasker = new_user('tasker')
    lease = expect(tasker.post(f'/api/jobs/{setup.id}/leases'), 201)
    seen = [lease['taskId']]
    for _ in range(2):
        answer = expect(_submit_next(tasker, lease), 201)
        assert answer['train']['leaseId'] == lease['id'] and answer['nextError'] is None, answer
        following = answer['next']
        assert following['state'] == 'live' and following['jobId'] == setup.id
        assert following['taskId'] not in seen and following['image']['url'].endswith(f'/{following["taskId"]}/image')
        assert [row['id'] for row in _live_leases(db, tasker)] == [following['id']]
        seen.append(following['taskId'])
        lease = following
    last = expect(_submit_next(tasker, lease), 201)
    assert last['next'] is None and last['nextError']['code'] == 'no_work', last
    assert sorted(seen) == sorted(t['id'] for t in setup.tasks)
    assert e.earnings(tasker)['pending'] == money('0.15') and tasker.balance() == 0
    assert not _live_leases(db, tasker)
    e.audit_ok()


def test_a_retried_submission_gets_the_same_next_lease(db, requester_with_active_job, new_user):
    setup = requester_with_active_job(images=3, results_per_image=1)
    tasker = new_user('tasker')
    lease = expect(tasker.post(f'/api/jobs/{setup.id}/leases'), 201)
    body = {'boxes': [e.inside_box(lease)]}
    first = expect(_submit_next(tasker, lease, **body), 201)
    again = expect(_submit_next(tasker, lease, **body), 200)
    assert again['train'] == first['train'] and again['next']['id'] == first['next']['id'], (first, again)
    assert len(_live_leases(db, tasker)) == 1
    assert e.earnings(tasker)['pending'] == money(setup.job['bounty'])


def test_a_refused_submission_takes_nothing(db, requester_with_active_job, new_user):
    setup = requester_with_active_job(images=2, results_per_image=1, width=64, height=48)
    tasker = new_user('tasker')
    lease = expect(tasker.post(f'/api/jobs/{setup.id}/leases'), 201)
    before = e.snapshot(db)
    outside = {'boxes': [{'x': 60, 'y': 1, 'w': 10, 'h': 10, 'label': lease['labels'][0]}]}
    expect(_submit_next(tasker, lease, **outside), 422, 'box_outside_image')
    expect(_submit_next(tasker, lease, flag='maybe'), 400, 'bad_request')
    expect(tasker.post(f'/api/leases/{lease["id"]}/train?next=true', data='{', headers={
        'Content-Type': 'application/json'}), 400)
    assert e.snapshot(db) == before
    assert [row['id'] for row in _live_leases(db, tasker)] == [lease['id']]


def test_a_submission_for_a_lease_given_back_takes_no_next_one(db, requester_with_active_job, new_user):
    setup = requester_with_active_job(images=3, results_per_image=1)
    tasker = new_user('tasker')
    lease = expect(tasker.post(f'/api/jobs/{setup.id}/leases'), 201)
    expect(tasker.delete(f'/api/leases/{lease["id"]}'), 204)
    before = e.snapshot(db)
    expect(_submit_next(tasker, lease), 409, 'lease_not_live')
    assert e.snapshot(db) == before
    assert not _live_leases(db, tasker)


def test_no_next_lease_in_a_paused_job_says_why(db, requester_with_active_job, new_user):
    setup = requester_with_active_job(images=2, results_per_image=1)
    tasker = new_user('tasker')
    lease = expect(tasker.post(f'/api/jobs/{setup.id}/leases'), 201)
    expect(setup.requester.post(f'/api/jobs/{setup.id}/pause'), 200)
    answer = expect(_submit_next(tasker, lease), 201)
    assert answer['next'] is None and answer['nextError']['code'] == 'job_not_open', answer
    assert 'paused' in answer['nextError']['message']
    assert answer['train']['state'] == 'pending'
    assert e.earnings(tasker)['pending'] == money(setup.job['bounty'])
