"""Review and settlement as the tasker sees it, in real Chromium against the real stack:
the three figures of the earnings screen (pending, available, rejected with reasons)
and the history of the tasker's own results. Results are handed in and reviewed
through the JSON API (the tasker's and the requester's); the tasker reads them in the
app, at a phone's and at a desktop's size."""
import tt_helpers as h
from tt_helpers import balance, click, pending, q, qs, wait_for

SMALL = (320, 240)


def figure(drv, kind):
    return q(drv, f'[data-testid={kind}-amount]').text.strip()


def figures(drv):
    return {kind: figure(drv, kind) for kind in ('pending', 'available', 'rejected')}


def open_earnings(drv):
    """The earnings screen, opened from the main tabs (which fetches the figures again)."""
    click(drv, '[data-testid=nav-jobs]')
    wait_for(lambda: q(drv, '[data-testid=job-list]'), what='the job list')
    click(drv, '[data-testid=nav-earnings]')
    wait_for(lambda: q(drv, '[data-testid=earnings-screen]'), what='the earnings screen')


def test_earnings_pending_available_rejected(browser, base, admin_ready, shot):
    """Handed-in results are pending, not available; the requester approves one (its
    bounty becomes available) and rejects one (rejected, with the reason shown)."""
    drv = browser
    req, cheap, _ = h.create_job(base, [SMALL] * 2, bounty='0.25', title='Cheap cars')
    _, dear, _ = h.create_job(base, [SMALL] * 2, bounty='0.40', title='Dear cars', requester=req)
    email, password = h.ui_signup(drv, base)
    me = h.login(base, email, password)
    a = h.hand_in(me, cheap['id'], 2)
    b = h.hand_in(me, dear['id'], 2)

    open_earnings(drv)
    want = {'pending': '1.30', 'available': '0.00', 'rejected': '0.00'}
    wait_for(lambda: figures(drv) == want, what=f'the figures {want}')
    assert '4 results waiting for review' in q(drv, '[data-testid=earnings-pending]').text
    explained = q(drv, '[data-testid=earnings-explained]').text
    assert 'available once the requester approves' in explained and 'review window' in explained
    assert not qs(drv, '[data-testid=rejected-results]')
    assert '0.00' in q(drv, '[data-testid=payout-available]').text
    assert balance(drv) == '0.00' and pending(drv) == '1.30'
    shot(drv, 'all-pending')

    reason = 'The box around the second car is missing.'
    h.review(req, cheap['id'], 'approve', [a[0]['id']])
    h.review(req, dear['id'], 'reject', [b[0]['id']], reason=reason)

    open_earnings(drv)
    want = {'pending': '0.65', 'available': '0.25', 'rejected': '0.40'}
    wait_for(lambda: figures(drv) == want, what=f'the figures {want}')
    assert '2 results waiting for review' in q(drv, '[data-testid=earnings-pending]').text
    assert '1 result, not paid' in q(drv, '[data-testid=earnings-rejected]').text
    assert '1 result approved, worth 0.25' in q(drv, '[data-testid=earnings-explained]').text
    assert balance(drv) == '0.25' and pending(drv) == '0.65'
    assert '0.25' in q(drv, '[data-testid=payout-available]').text  # payouts draw on this only

    items = wait_for(lambda: qs(drv, '[data-testid=rejected-results] [data-testid=result-item]'),
                     what='the rejected result with its reason')
    assert len(items) == 1
    item = items[0]
    assert item.get_attribute('data-result-id') == str(b[0]['id'])
    assert q(item, '[data-testid=reject-reason]').text.strip() == 'Reason: ' + reason
    assert q(item, '[data-testid=state-badge]').text.strip() == 'Rejected'
    assert 'Dear cars' in q(item, '[data-testid=result-job]').text
    drv.execute_script("arguments[0].scrollIntoView({block: 'center'})", item)
    shot(drv, 'approved-and-rejected')


def result_ids(drv):
    return [int(e.get_attribute('data-result-id')) for e in qs(drv, '[data-testid=result-item]')]


def history_ready(drv):
    return q(drv, '[data-testid=history]').get_attribute('data-state') == 'ready'


def wait_results(drv, ids, what):
    wait_for(lambda: history_ready(drv) and result_ids(drv) == ids, what=what)


def test_history_pages_and_states(browser, base, admin_ready, shot):
    """23 results, newest first, 20 a page: a thumbnail of each, job title, state,
    bounty, the reasons of rejected ones; older/newer pages; filtered by state; the
    filter is kept across a reload."""
    drv = browser
    req, job, _ = h.create_job(base, [(160, 120)] * 23, bounty='0.02', title='History of cars')
    email, password = h.ui_signup(drv, base)
    me = h.login(base, email, password)
    trains = h.hand_in(me, job['id'], 23)
    ids = [t['id'] for t in trains]
    h.review(req, job['id'], 'approve', ids[:2])
    reasons = {}
    for n, t in enumerate(trains[2:5]):
        reasons[t['id']] = f'Result {n + 1}: the box leaves out the bonnet.'
        h.review(req, job['id'], 'reject', [t['id']], reason=reasons[t['id']])
    state_of = {i: 'approved' if i in ids[:2] else 'rejected' if i in reasons else 'pending' for i in ids}
    newest_first = ids[::-1]

    click(drv, '[data-testid=nav-history]')
    wait_results(drv, newest_first[:20], 'the 20 newest results')
    assert q(drv, '[data-testid=page-info]').text.strip() == 'Page 1 of 2'
    assert q(drv, '[data-testid=newer-page]').get_attribute('disabled') is not None
    for item in qs(drv, '[data-testid=result-item]'):
        rid = int(item.get_attribute('data-result-id'))
        assert item.get_attribute('data-state') == state_of[rid]
        assert q(item, '[data-testid=state-badge]').text.strip() == state_of[rid].capitalize()
        assert 'History of cars' in q(item, '[data-testid=result-job]').text
        assert q(item, '[data-testid=result-bounty]').text.strip() == '0.02'
        reason = qs(item, '[data-testid=reject-reason]')
        if rid in reasons:
            assert reason and reasons[rid] in reason[0].text
        else:
            assert not reason
    # The thumbnails are the task images, loaded with the session cookie.
    wait_for(lambda: drv.execute_script(
        "const i = document.querySelector('[data-testid=result-image]');"
        "return i.complete && i.naturalWidth === 160 && i.naturalHeight === 120;"), what='the first thumbnail')
    assert q(drv, '[data-testid=result-image]').get_attribute('src').endswith(f"/api/tasks/{trains[-1]['taskId']}/image")
    shot(drv, 'page-1')

    click(drv, '[data-testid=older-page]')
    wait_results(drv, newest_first[20:], 'the 3 oldest results on page 2')
    assert q(drv, '[data-testid=page-info]').text.strip() == 'Page 2 of 2'
    assert q(drv, '[data-testid=older-page]').get_attribute('disabled') is not None
    assert 'page=2' in drv.current_url
    shot(drv, 'page-2')
    click(drv, '[data-testid=newer-page]')
    wait_results(drv, newest_first[:20], 'page 1 again')

    click(drv, '[data-testid=state-filter] [data-state=rejected]')
    wait_results(drv, [i for i in newest_first if i in reasons], 'the rejected results')
    assert not qs(drv, '[data-testid=pager]')
    assert [e.text.strip() for e in qs(drv, '[data-testid=reject-reason]')] == \
        ['Reason: ' + reasons[i] for i in newest_first if i in reasons]
    assert '3' in q(drv, '[data-testid=state-filter] [data-state=rejected]').text
    assert q(drv, '[data-testid=state-filter] [data-state=rejected]').get_attribute('aria-pressed') == 'true'
    shot(drv, 'rejected')
    drv.refresh()
    wait_results(drv, [i for i in newest_first if i in reasons], 'the rejected results after a reload')

    click(drv, '[data-testid=state-filter] [data-state=approved]')
    wait_results(drv, newest_first[-2:], 'the approved results')
    click(drv, '[data-testid=state-filter] [data-state=pending]')
    wait_results(drv, [i for i in newest_first if state_of[i] == 'pending'], 'the 18 pending results')
    click(drv, '[data-testid=state-filter] [data-state=all]')
    wait_results(drv, newest_first[:20], 'all results again')
    assert q(drv, '[data-testid=page-info]').text.strip() == 'Page 1 of 2'
