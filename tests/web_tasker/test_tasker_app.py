"""The Tasker web app in real Chromium against the real stack: labeling, the offline
queue, payouts, sign-in, keyboard, small screens.

Data is set up through the JSON API; the tasker's side is driven through the app
with pointer input: CDP touch events at a phone viewport, the mouse and keyboard
at a desktop one. Screenshots go to $TT_ARTIFACTS/tasker/.
"""
import re
import time

import pytest

import tt_helpers as h
from tt_helpers import click, q, qs, wait_for, wait_ready, label_state, balance, pending

# Image sizes: larger than the screen, one portrait, one small; so display and image
# pixels differ in both directions.
SIZES = [(1600, 1200), (900, 1200), (1200, 800), (640, 480)]


def test_stack_answers():
    """Fails (never skips) when TT_BASE_URL is unset or the stack does not answer."""
    try:
        h.base_url()
    except h.StackMissing as e:
        pytest.fail(str(e), pytrace=False)


def db_boxes(db, train_id):
    with db.cursor() as c:
        c.execute('SELECT x, y, w, h, label FROM boxes WHERE train_id = %s', (train_id,))
        rows = c.fetchall()
    return sorted(({k.lower(): v for k, v in r.items()} for r in rows), key=lambda r: float(r['x']))


def close(a, b, tol):
    return abs(float(a) - float(b)) <= tol


def assert_reserved_box(drv):
    """The image's box has the lease's aspect ratio (space reserved, no jump)."""
    st = q(drv, '[data-testid=stage]')
    W = int(st.get_attribute('data-image-width'))
    H = int(st.get_attribute('data-image-height'))
    r = drv.execute_script("const r = document.querySelector('[data-testid=viewport]').getBoundingClientRect();"
                           "return [r.width, r.height];")
    assert r[0] > 100 and abs(r[1] - r[0] * H / W) <= 2, (W, H, r)
    vw = drv.execute_script('return document.documentElement.clientWidth')
    assert r[0] <= vw + 0.5


def test_label_flow(browser, base, db, admin_ready, shot):
    """Sign up, stay signed in, pick a job, draw two boxes, submit, next image, the bounty
    is pending (the balance moves only when the requester approves), boxes are stored in
    image pixels; skip; delete; nothing to mark; run out of work."""
    drv = browser
    desktop = not drv.kind['touch']
    req, job, tasks = h.create_job(base, SIZES, labels=('car', 'person'), bounty='0.05')

    h.open_app(drv, base)
    shot(drv, 'signin')
    h.ui_signup(drv, base)
    drv.refresh()  # the session cookie keeps us signed in
    card = h.job_card(drv, job['id'])
    assert job['title'] in card.text
    assert '0.05' in card.text
    assert q(drv, f'[data-job-id="{job["id"]}"] [data-testid=images-left]').text == str(len(SIZES))
    shot(drv, 'jobs')
    assert balance(drv) == '0.00'

    lease1 = h.start_job(drv, job['id'])
    assert_reserved_box(drv)
    assert re.search(r'\b\d{1,3}:\d\d$', q(drv, '[data-testid=countdown]').text.strip())
    shot(drv, 'label')

    # Box 1 with the first label, box 2 with the second.
    exp1, scale = h.draw_box(drv, 0.10, 0.12, 0.42, 0.50)
    if desktop:
        h.press(drv, '2')
    else:
        click(drv, '[data-label=person]')
    exp2, _ = h.draw_box(drv, 0.50, 0.55, 0.88, 0.93)
    wait_for(lambda: label_state(drv)['boxes'] == 2, what='two boxes')
    tags = [e.text for e in qs(drv, '.box-tag')]
    assert tags == ['1 car', '2 person'], tags
    shot(drv, 'two-boxes')

    t0 = time.time()
    if desktop:
        h.press(drv, h.Keys.ENTER)
    else:
        click(drv, '[data-testid=submit]')
    lease2 = wait_ready(drv, other_than=lease1)
    took = time.time() - t0
    assert label_state(drv)['boxes'] == 0
    wait_for(lambda: pending(drv) == '0.05', what='0.05 pending review')
    assert balance(drv) == '0.00'
    shot(drv, 'next-image')
    print(f'{drv.kind["name"]}: submit -> next image on screen in {took:.2f}s')

    # The train as the requester sees it, and its boxes in the database, in image pixels.
    trains = wait_for(lambda: h.job_trains(req, job['id']), what='the train to be stored')
    assert len(trains) == 1
    tr = trains[0]
    assert tr['leaseId'] == int(lease1) and not tr['nothingToMark']
    tol = 2 * scale + 1.5
    rows = db_boxes(db, tr['id'])
    assert len(rows) == 2, rows
    for row, exp, label in zip(rows, (exp1, exp2), ('car', 'person')):
        assert row['label'] == label
        for k, e in zip('xywh', exp):
            assert close(row[k], e, tol), (k, row, exp, tol)
    task1 = next(t for t in tasks if t['id'] == tr['taskId'])
    for row in rows:
        assert float(row['x']) + float(row['w']) <= task1['width']
        assert float(row['y']) + float(row['h']) <= task1['height']

    # Skip: the lease is released and another image comes.
    assert_reserved_box(drv)
    if desktop:
        h.press(drv, 's')
    else:
        click(drv, '[data-testid=skip]')
    lease3 = wait_ready(drv, other_than=lease2)
    assert_reserved_box(drv)
    skipped = [t for t in req.call('GET', f"/jobs/{job['id']}/tasks?perPage=500")['items']
               if t['id'] not in (tr['taskId'],)]
    assert sum(t.get('liveLeases', 0) for t in skipped) == 1, skipped  # only lease3 is live

    # Delete a box, then answer "nothing to mark".
    h.draw_box(drv, 0.2, 0.2, 0.6, 0.6)
    wait_for(lambda: label_state(drv)['boxes'] == 1, what='a box')
    if desktop:
        r = h.stage_rect(drv)
        h.tap(drv, r['left'] + 0.4 * r['width'], r['top'] + 0.4 * r['height'])  # select it
        wait_for(lambda: qs(drv, '[data-box] [data-handle]'), what='the box to be selected')
        h.press(drv, h.Keys.DELETE)
    else:
        click(drv, '[data-testid=box-list] .btn-ghost.danger')
    wait_for(lambda: label_state(drv)['boxes'] == 0, what='the box to be deleted')
    if desktop:
        h.press(drv, 'n')
    else:
        click(drv, '[data-testid=nothing]')
    lease4 = wait_ready(drv, other_than=lease3)
    wait_for(lambda: pending(drv) == '0.10', what='0.10 pending review')

    # The last image; then there is no more work.
    h.draw_box(drv, 0.3, 0.3, 0.7, 0.8)
    wait_for(lambda: label_state(drv)['boxes'] == 1, what='a box')
    click(drv, '[data-testid=submit]')
    ended = wait_for(lambda: q(drv, '[data-testid=label-ended]'), what='the no-more-work message')
    assert ended.get_attribute('data-kind') == 'no_work'
    assert 'no more' in ended.text.lower()
    shot(drv, 'no-more-work')
    wait_for(lambda: pending(drv) == '0.15', what='0.15 pending review')
    assert balance(drv) == '0.00'

    trains = h.job_trains(req, job['id'])
    assert len(trains) == 3
    by_lease = {t['leaseId']: t for t in trains}
    assert by_lease[int(lease4)]['nothingToMark'] is False
    nothing = by_lease[int(lease3)]
    assert nothing['nothingToMark'] is True and nothing['boxes'] == []

    click(drv, '[data-testid=label-ended] .btn.primary')
    wait_for(lambda: q(drv, '[data-testid=job-list]').get_attribute('data-state') == 'ready',
             what='the job list')
    left = [e.text for e in qs(drv, f'[data-job-id="{job["id"]}"] [data-testid=images-left]')]
    assert left in ([], ['0']), left  # the job is gone from the list, or shows nothing left


def test_offline_submit_is_queued_and_lands(phone, base, db, admin_ready, shot):
    """A submit while offline waits in localStorage with a visible status, and lands
    (once) when the connection is back; the next image follows."""
    drv = phone
    req, job, tasks = h.create_job(base, SIZES[:3])
    h.ui_signup(drv, base)
    lease1 = h.start_job(drv, job['id'])
    exp, scale = h.draw_box(drv, 0.25, 0.25, 0.75, 0.70)
    wait_for(lambda: label_state(drv)['boxes'] == 1, what='a box')

    drv.execute_cdp_cmd('Network.enable', {})
    drv.execute_cdp_cmd('Network.emulateNetworkConditions', {
        'offline': True, 'latency': 0, 'downloadThroughput': -1, 'uploadThroughput': -1})
    try:
        click(drv, '[data-testid=submit]')
        wait_for(lambda: q(drv, '[data-testid=waiting-message]'), what='the offline message')
        badge = wait_for(lambda: q(drv, '[data-testid=queue-badge]'), what='the queue status')
        assert badge.get_attribute('data-count') == '1' and '1 unsent' in badge.text
        queued = h.local_queue(drv)
        assert len(queued) == 1 and str(queued[0]['leaseId']) == lease1
        assert len(queued[0]['body']['boxes']) == 1
        shot(drv, 'offline-queued')
        assert h.job_trains(req, job['id']) == []
        # A reload while offline: test_tasker_offline.py.
        time.sleep(1.5)  # at least one automatic retry happens while offline
        assert len(h.local_queue(drv)) == 1
    finally:
        drv.execute_cdp_cmd('Network.emulateNetworkConditions', {
            'offline': False, 'latency': 0, 'downloadThroughput': -1, 'uploadThroughput': -1})

    lease2 = wait_ready(drv, other_than=lease1, timeout=45)
    wait_for(lambda: not qs(drv, '[data-testid=queue-badge]'), what='the queue to empty')
    assert h.local_queue(drv) == []
    wait_for(lambda: pending(drv) == '0.05', what='0.05 pending review')
    shot(drv, 'back-online')
    trains = h.job_trains(req, job['id'])
    assert len(trains) == 1 and trains[0]['leaseId'] == int(lease1)
    rows = db_boxes(db, trains[0]['id'])
    assert len(rows) == 1
    for k, e in zip('xywh', exp):
        assert close(rows[0][k], e, 2 * scale + 1.5), (k, rows, exp)
    assert lease2 != lease1


def test_payouts(browser, base, admin_ready, shot):
    """An approved result makes money available; a payout request draws on it; the list;
    a refused one shows the server's message, not a raw body."""
    drv = browser
    req, job, tasks = h.create_job(base, SIZES[:1], bounty='0.40')
    email, password = h.ui_signup(drv, base)
    # Earn through the API as the same tasker; the requester approves.
    me = h.login(base, email, password)
    lease = me.call('POST', f"/jobs/{job['id']}/leases")
    train = me.call('POST', f"/leases/{lease['id']}/train", json={
        'boxes': [{'x': 1, 'y': 2, 'w': 30, 'h': 40, 'label': 'car'}], 'nothingToMark': False})
    h.review(req, job['id'], 'approve', [train['id']])
    drv.refresh()
    wait_for(lambda: balance(drv) == '0.40', what='balance 0.40')

    click(drv, '[data-testid=earnings-badge]')
    wait_for(lambda: q(drv, '[data-testid=earnings-screen]'), what='the earnings screen')
    assert q(drv, '[data-testid=available-amount]').text.strip() == '0.40'
    assert '0.40' in q(drv, '[data-testid=payout-available]').text
    q(drv, '#payout-amount').send_keys('0.25')
    q(drv, '#payout-address').send_keys('XqWalletTest123')
    click(drv, '#payout-amount ~ *, form[aria-labelledby=payout-title] button[type=submit]')
    wait_for(lambda: q(drv, '[data-testid=payout-ok]'), what='the payout confirmation')
    items = wait_for(lambda: qs(drv, '[data-testid=payout-item]'), what='the payout in the list')
    assert '0.25' in items[0].text and 'requested' in items[0].text and 'XqWalletTest123' in items[0].text
    wait_for(lambda: balance(drv) == '0.15', what='the balance to drop by the amount held')
    shot(drv, 'payout-requested')

    # Too much: the server's message, readable.
    r = me.s.post(base + '/api/payouts', json={'amount': '50.00', 'address': 'XqWalletTest123'}, timeout=30)
    assert r.status_code == 422
    server_msg = r.json()['error']['message']
    amount = q(drv, '#payout-amount')
    amount.clear()
    amount.send_keys('50.00')
    q(drv, '#payout-address').send_keys('4')
    click(drv, 'form[aria-labelledby=payout-title] button[type=submit]')
    err = wait_for(lambda: q(drv, '[data-testid=payout-error]'), what='the payout error')
    assert err.text.strip() == server_msg
    assert '{' not in err.text
    shot(drv, 'payout-refused')
    assert len(qs(drv, '[data-testid=payout-item]')) == 1


def test_sign_in_errors_and_sign_out(desktop, base, shot):
    drv = desktop
    t = h.register(base, 'tasker')
    r = h.requests.post(base + '/api/auth/login', json={'email': t.email, 'password': 'wrong password'}, timeout=30)
    assert r.status_code == 401
    server_msg = r.json()['error']['message']
    h.open_app(drv, base)
    q(drv, '#auth-email').send_keys(t.email)
    q(drv, '#auth-password').send_keys('wrong password')
    click(drv, '[data-testid=signin-form] button[type=submit]')
    err = wait_for(lambda: q(drv, '[data-testid=auth-error]'), what='the sign-in error')
    assert err.text.strip() == server_msg and '{' not in err.text
    shot(drv, 'bad-password')
    q(drv, '#auth-password').clear()
    q(drv, '#auth-password').send_keys(t.password)
    click(drv, '[data-testid=signin-form] button[type=submit]')
    wait_for(lambda: q(drv, '[data-testid=job-list]'), what='the job list')
    click(drv, '.signout')
    wait_for(lambda: q(drv, '[data-testid=signin-form]'), what='the sign-in form')
    drv.refresh()
    wait_for(lambda: q(drv, '[data-testid=signin-form]'), what='still signed out after reload')


def test_keyboard_help_overlay(desktop, base, admin_ready, shot):
    drv = desktop
    req, job, tasks = h.create_job(base, SIZES[:1])
    h.ui_signup(drv, base)
    h.start_job(drv, job['id'])
    h.press(drv, '?')
    dlg = wait_for(lambda: q(drv, '[data-testid=help-overlay]'), what='the help overlay')
    for word in ('Enter', 'Delete', 'Skip', '1 – 9'):
        assert word in dlg.text
    assert drv.switch_to.active_element.text == 'Close'  # focus moved into the dialog
    shot(drv, 'help')
    h.press(drv, h.Keys.ESCAPE)
    wait_for(lambda: not qs(drv, '[data-testid=help-overlay]'), what='the overlay to close')
    # A label key sets the label for new boxes; with a box selected, it relabels it.
    h.draw_box(drv, 0.2, 0.2, 0.5, 0.5)
    h.press(drv, '2')
    h.draw_box(drv, 0.6, 0.6, 0.9, 0.9)
    wait_for(lambda: [e.text for e in qs(drv, '.box-tag')] == ['1 car', '2 person'], what='two boxes')
    r = h.stage_rect(drv)
    h.tap(drv, r['left'] + 0.35 * r['width'], r['top'] + 0.35 * r['height'])  # select box 1
    wait_for(lambda: 'Label of box 1' in q(drv, '[data-testid=label-legend]').text, what='box 1 selected')
    h.press(drv, '2')
    wait_for(lambda: [e.text for e in qs(drv, '.box-tag')] == ['1 person', '2 person'], what='box 1 relabeled')
    # Arrow keys nudge the selected box by one image pixel (Shift: ten).
    before = q(drv, '[data-box]').get_attribute('style')
    h.press(drv, h.Keys.SHIFT, h.Keys.ARROW_RIGHT)
    wait_for(lambda: q(drv, '[data-box]').get_attribute('style') != before, what='the box to move')
    shot(drv, 'relabeled')


LONG_REASON = ('The boxes cut through the middle of the cars instead of going around them; '
               'draw each box from bumper to bumper and from the roof to the tyres.')


@pytest.mark.parametrize('screen', ['auth', 'jobs', 'label', 'earnings', 'history'])
def test_fits_360px_and_labels_inputs(narrow_phone, base, admin_ready, screen, shot):
    drv = narrow_phone
    if screen == 'auth':
        h.open_app(drv, base)
        click(drv, '[role=tab]:nth-child(2)')
    else:
        req, job, tasks = h.create_job(base, [(1600, 900), (900, 1600)])
        email, password = h.ui_signup(drv, base)
        if screen == 'label':
            h.start_job(drv, job['id'])
            h.draw_box(drv, 0.2, 0.2, 0.6, 0.6)
            assert_reserved_box(drv)
        elif screen in ('earnings', 'history'):
            # One result waiting for review, one rejected with a long reason.
            trains = h.hand_in(h.login(base, email, password), job['id'], 2)
            h.review(req, job['id'], 'reject', [trains[0]['id']], reason=LONG_REASON)
            click(drv, f'[data-testid=nav-{screen}]')
            wait_for(lambda: qs(drv, '[data-testid=reject-reason]'), what=f'the rejection on the {screen} screen')
    time.sleep(0.3)
    width = drv.execute_script('return document.documentElement.scrollWidth')
    assert width <= 360, f'{screen} overflows: {width}px'
    unlabeled = drv.execute_script("""
        const bad = [];
        for (const el of document.querySelectorAll('input, select, textarea'))
          if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label')) bad.push(el.outerHTML);
        for (const el of document.querySelectorAll('button, a[href]'))
          if (!(el.textContent.trim() || el.getAttribute('aria-label'))) bad.push(el.outerHTML);
        return bad;""")
    assert unlabeled == []
    small = drv.execute_script("""
        return [...document.querySelectorAll('button:not(.box-pick), .chip')]
          .filter(b => b.offsetParent && b.getBoundingClientRect().height < 36).map(b => b.outerHTML);""")
    assert small == [], 'touch targets too small'
    shot(drv, screen)


def test_zoom_move_resize_in_image_pixels(phone, base, db, admin_ready, shot):
    """Resize by a handle, move by dragging, pinch and button zoom, draw while zoomed:
    what is stored is still in the image's own pixels."""
    drv = phone
    req, job, tasks = h.create_job(base, [(1600, 1200)])
    h.ui_signup(drv, base)
    h.start_job(drv, job['id'])
    W, H = 1600, 1200
    h.draw_box(drv, 0.20, 0.20, 0.50, 0.50)
    r = h.stage_rect(drv)
    px = lambda fx, fy: (r['left'] + fx * r['width'], r['top'] + fy * r['height'])  # noqa: E731
    h.tap(drv, *px(0.35, 0.35))
    wait_for(lambda: qs(drv, '[data-handle=se]'), what='handles on the selected box')
    se = drv.execute_script("const r = document.querySelector('[data-handle=se]').getBoundingClientRect();"
                            "return [r.left + r.width / 2, r.top + r.height / 2];")
    h.drag(drv, se[0], se[1], *px(0.60, 0.70))          # resize: (0.2, 0.2)-(0.6, 0.7)
    h.drag(drv, *px(0.40, 0.40), *px(0.50, 0.50))       # move by (0.1, 0.1)
    expect1 = (0.30 * W, 0.30 * H, 0.40 * W, 0.50 * H)
    scale = W / r['width']

    # Pinch out with two fingers: the zoom goes up.
    vp = drv.execute_script("const r = document.querySelector('[data-testid=viewport]').getBoundingClientRect();"
                            "return {left: r.left, top: r.top, width: r.width, height: r.height};")
    cx, cy = vp['left'] + vp['width'] / 2, vp['top'] + vp['height'] / 2
    touch = lambda kind, pts: drv.execute_cdp_cmd('Input.dispatchTouchEvent', {'type': kind, 'touchPoints': pts})  # noqa: E731
    touch('touchStart', [{'x': cx - 30, 'y': cy, 'id': 1}, {'x': cx + 30, 'y': cy, 'id': 2}])
    for i in range(1, 9):
        touch('touchMove', [{'x': cx - 30 - 10 * i, 'y': cy, 'id': 1}, {'x': cx + 30 + 10 * i, 'y': cy, 'id': 2}])
        time.sleep(0.02)
    touch('touchEnd', [])
    zoom = lambda: int(q(drv, '.zoom-val').text.rstrip('%'))  # noqa: E731
    wait_for(lambda: zoom() > 150, what='the pinch to zoom in')
    click(drv, '[aria-label="Zoom in"]')
    wait_for(lambda: zoom() > 250, what='the button to zoom in more')
    assert label_state(drv)['boxes'] == 1, 'a pinch must not draw a box'
    shot(drv, 'zoomed')

    # Draw inside the visible part of the zoomed image.
    lay = h.stage_rect(drv)
    x0, y0 = vp['left'] + 0.30 * vp['width'], vp['top'] + 0.30 * vp['height']
    x1, y1 = vp['left'] + 0.60 * vp['width'], vp['top'] + 0.55 * vp['height']
    h.drag(drv, x0, y0, x1, y1)
    zscale = W / lay['width']
    expect2 = ((x0 - lay['left']) * zscale, (y0 - lay['top']) * zscale, (x1 - x0) * zscale, (y1 - y0) * zscale)
    wait_for(lambda: label_state(drv)['boxes'] == 2, what='a second box')
    shot(drv, 'drawn-zoomed')
    click(drv, '[aria-label="Fit"]' if qs(drv, '[aria-label="Fit"]') else '.zoom-bar .btn-ghost:last-child')
    click(drv, '[data-testid=submit]')
    wait_for(lambda: qs(drv, '[data-testid=label-ended]'), what='the end of the job')
    trains = h.job_trains(req, job['id'])
    assert len(trains) == 1
    rows = db_boxes(db, trains[0]['id'])
    assert len(rows) == 2, rows
    tol = [2 * scale + 1.5, 2 * zscale + 1.5]
    got = sorted(rows, key=lambda r: float(r['w']), reverse=True)  # the resized box is the larger
    for row, exp, t in zip(got, (expect1, expect2), tol):
        for k, e in zip('xywh', exp):
            assert close(row[k], e, t + 2 * scale), (k, row, exp)
