"""The tasker cycle's two requests (take a lease, hand in a train) check the session inside
the procedure once the worker has seen it live (SessionHints): a session that ends
meanwhile, by signing out or running out, is refused there with 401 and nothing changes;
signing out through the API forgets the hint at once."""
import hashlib

import e2e_lib as e
from e2e_lib import expect


def _digest(tasker):
    return hashlib.sha256(tasker.token.encode()).digest()


def _submit_next(tasker, lease):
    return tasker.post(f'/api/leases/{lease["id"]}/train?next=true', json={'boxes': [e.inside_box(lease)]})


def test_a_session_ended_elsewhere_is_refused_by_the_cycle_and_changes_nothing(db, requester_with_active_job,
                                                                               new_user):
    setup = requester_with_active_job(images=4, results_per_image=1)
    tasker = new_user('tasker')
    lease = expect(tasker.post(f'/api/jobs/{setup.id}/leases'), 201)
    # The session is now known to the worker; the next answers use the hint.
    lease = expect(_submit_next(tasker, lease), 201)['next']
    assert lease is not None

    def expire(seconds):
        e.query(db, 'UPDATE sessions SET expires_at = UTC_TIMESTAMP(6) + INTERVAL %s SECOND WHERE token_hash = %s',
                seconds, _digest(tasker))

    requests = {
        'submit and next': lambda: _submit_next(tasker, lease),
        'submit': lambda: tasker.post(f'/api/leases/{lease["id"]}/train', json={'boxes': [e.inside_box(lease)]}),
        'take': lambda: tasker.post(f'/api/jobs/{setup.id}/leases'),
    }
    for name, request in requests.items():
        # Live again, and known to the worker (a refusal forgets the hint; this take, which
        # answers the lease held, reads the session afresh and remembers it).
        expire(3600)
        assert expect(tasker.post(f'/api/jobs/{setup.id}/leases'), 200)['id'] == lease['id']
        # Then ended behind the worker's back, as its expiry or another process would.
        expire(-1)
        before = e.snapshot(db)
        expect(request(), 401, 'unauthenticated')
        assert e.snapshot(db) == before, name
        assert e.query(db, 'SELECT state FROM leases WHERE id = %s', lease['id']) == [{'state': 'live'}], name
    e.audit_ok()


def test_a_requesters_session_is_never_taken_for_a_taskers(requester_with_active_job):
    setup = requester_with_active_job(images=1, results_per_image=1)
    # Refused before any hint is noted: the second answer is the same 403, not the
    # procedure's 401 that a hint would lead to.
    for _ in range(2):
        expect(setup.requester.post(f'/api/jobs/{setup.id}/leases'), 403, 'forbidden')


def test_signing_out_forgets_the_hint_at_once(db, requester_with_active_job, new_user):
    setup = requester_with_active_job(images=3, results_per_image=1)
    tasker = new_user('tasker')
    lease = expect(tasker.post(f'/api/jobs/{setup.id}/leases'), 201)
    expect(tasker.post('/api/auth/logout'), 204)
    before = e.snapshot(db)
    # Read afresh, the ended session is refused before the body is looked at: a malformed
    # body gets the 401 too, not the 400 a hinted request would reach first.
    expect(tasker.post(f'/api/leases/{lease["id"]}/train?next=true', data='{',
                       headers={'Content-Type': 'application/json'}), 401, 'unauthenticated')
    expect(_submit_next(tasker, lease), 401, 'unauthenticated')
    expect(tasker.post(f'/api/jobs/{setup.id}/leases'), 401, 'unauthenticated')
    assert e.snapshot(db) == before


def test_a_hinted_session_is_still_only_its_taskers(db, requester_with_active_job, new_user):
    setup = requester_with_active_job(images=3, results_per_image=1)
    first, second = new_user('tasker'), new_user('tasker')
    lease = expect(first.post(f'/api/jobs/{setup.id}/leases'), 201)
    expect(second.post(f'/api/jobs/{setup.id}/leases'), 201)
    before = e.snapshot(db)
    # Both sessions are known now; one tasker's lease is not the other's.
    expect(_submit_next(second, lease), 404, 'not_found')
    assert e.snapshot(db) == before
