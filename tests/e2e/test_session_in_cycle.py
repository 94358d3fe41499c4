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

    # Ended behind the worker's back, as its expiry or another process would.
    e.query(db, 'UPDATE sessions SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE token_hash = %s',
            _digest(tasker))
    before = e.snapshot(db)
    expect(_submit_next(tasker, lease), 401, 'unauthenticated')
    expect(tasker.post(f'/api/leases/{lease["id"]}/train', json={'boxes': [e.inside_box(lease)]}),
           401, 'unauthenticated')
    expect(tasker.post(f'/api/jobs/{setup.id}/leases'), 401, 'unauthenticated')
    assert e.snapshot(db) == before
    assert e.query(db, 'SELECT state FROM leases WHERE id = %s', lease['id']) == [{'state': 'live'}]
    e.audit_ok()


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
