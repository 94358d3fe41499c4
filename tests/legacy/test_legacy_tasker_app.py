"""The original phone app's flow, replayed call for call as legacy-protocol.md describes it:
TaskerRegistration, GetActiveJobs, then GetNexAvailableTrain / GetTaskImage / ReportTrain
until "Error: No Train available"; URLs built by string concatenation on
`./server.aph/?Command=` and the Train record posted back as the app's XMLHttpRequest
does (text/plain JSON, the record it got with X, Y, W, H set as numbers)."""
import base64
import decimal
import json

import pytest
import requests

import legacy_lib as lib


def report(app, job_id, train, x, y, w, h, **extra):
    """The app's report(): the record it got, X/Y/W/H filled in, posted as JSON text."""
    sent = dict(train, X=x, Y=y, W=w, H=h, **extra)
    return app.s.post(app.url('ReportTrain', f'&JobID={job_id}&UserID={app.user_id}'), data=json.dumps(sent),
                      headers={'Content-Type': 'text/plain;charset=UTF-8'}, timeout=lib.TIMEOUT)


def boxes_of(db, email):
    return lib.query(db, """
        SELECT t.id AS train_id, t.task_id, t.coordinate_space, t.bounty, b.x, b.y, b.w, b.h, b.label,
               k.width, k.height, k.mime_type
        FROM trains t JOIN users u ON u.id = t.tasker_id JOIN boxes b ON b.train_id = t.id
        JOIN tasks k ON k.id = t.task_id WHERE u.email = %s ORDER BY t.task_id""", email)


def test_phone_app_flow_until_no_train_is_left(new_app, db):
    requester = new_app('requester')
    images = [lib.png(1000, 600), lib.png(640, 480), lib.jpeg()]
    job = lib.publish_job(requester, images, max_trains=1, labels=['car', 'person'])
    assert job['active'] == 'True' and job['state'] == 'active'

    tasker = new_app('tasker')  # TaskerRegistration&Email=...&Password=..., as Register.jsx builds it
    jobs = json.loads(tasker.get_raw('GetActiveJobs', f'&UserID={tasker.user_id}').text)
    listed = [j for j in jobs if j['ID'] == job['ID']]
    assert len(listed) == 1, jobs
    assert all(isinstance(v, str) for v in listed[0].values()), listed[0]
    assert listed[0]['title'] == 'Mark the cars'
    assert listed[0]['budget'] == '', 'a tasker does not see the budget'

    seen = set()
    while True:
        reply = tasker.get_raw('GetNexAvailableTrain', f'&UserID={tasker.user_id}&JobID={job["ID"]}').text
        if 'Error:' in reply:
            assert reply == 'Error: No Train available'
            break
        train = json.loads(reply)
        assert all(isinstance(v, str) for v in train.values()), train
        assert (train['X'], train['Y'], train['W'], train['H']) == ('0', '0', '0', '0')
        assert train['JobID'] == job['ID'] and train['RequesterID'] == job['userID']
        assert train['TaskRecordID'] not in seen, 'the same image twice'
        seen.add(train['TaskRecordID'])
        assert train['guid'].startswith('lease-')

        # GetTaskImage&TaskID=... carries no UserID: the browser's session cookie names the tasker.
        image = tasker.get_raw('GetTaskImage', f'&TaskID={train["TaskRecordID"]}').text
        assert not image.startswith('Error'), image
        assert '.' not in image, 'the app prefixes data:image/png;base64, only when there is no "."'
        width, height = lib.png_size(base64.b64decode(image, validate=True))
        assert (width, height) in {(1000, 600), (640, 480), (4, 3)}

        r = report(tasker, job['ID'], train, 100, 50, 200, 100)
        assert r.status_code == 200 and r.text == '', r.text
        assert len(seen) <= len(images)
    assert len(seen) == len(images)

    rows = boxes_of(db, tasker.email)
    assert len(rows) == len(images)
    for row in rows:
        sx, sy = row['width'] / 500, row['height'] / 300
        assert row['coordinate_space'] == 'legacy-canvas'
        assert row['label'] == 'car', 'the job\'s first label'
        if row['width'] >= 500:
            assert (row['x'], row['y'], row['w'], row['h']) == pytest.approx((100 * sx, 50 * sy, 200 * sx, 100 * sy)), row
        else:  # the 4 x 3 JPEG: the box reaches past the image and is clipped into it
            assert row['x'] + row['w'] <= row['width'] and row['y'] + row['h'] <= row['height'], row
    # Reported results wait for the requester's review (the default window: 72 hours).
    assert lib.user_row(db, tasker.email)['balance'] == 0
    assert lib.query_one(db, 'SELECT auto_approve_after_hours AS h FROM jobs WHERE id = %s', int(job['ID']))['h'] == 72
    assert lib.approve_all(requester, job['ID']) == len(images)
    assert lib.user_row(db, tasker.email)['balance'] == decimal.Decimal('0.15')

    # The job is done for this tasker: it leaves the dashboard.
    jobs = json.loads(tasker.get_raw('GetActiveJobs', f'&UserID={tasker.user_id}').text)
    assert job['ID'] not in [j['ID'] for j in jobs]


def test_readme_spelling_numeric_strings_and_capital_path(new_app, db):
    requester = new_app('requester')
    job = lib.publish_job(requester, [lib.png(1000, 600)], max_trains=1)
    tasker = new_app('tasker', path='/Server.aph')
    train = json.loads(tasker.get_raw('GetNextAvailableTrain', f'&UserID={tasker.user_id}&JobID={job["ID"]}').text)
    r = report(tasker, job['ID'], train, '250', '150', '50.5', '30')
    assert r.text == ''
    row = boxes_of(db, tasker.email)[0]
    assert (row['x'], row['y'], row['w'], row['h']) == (500, 300, 101, 60)


def test_asking_again_gives_the_same_lease_and_reporting_twice_stores_once(new_app, db):
    requester = new_app('requester')
    job = lib.publish_job(requester, [lib.png(500, 300), lib.png(500, 300)], max_trains=1)
    tasker = new_app('tasker')
    first = tasker.json('GetNexAvailableTrain', UserID=tasker.user_id, JobID=job['ID'])
    again = tasker.json('GetNexAvailableTrain', UserID=tasker.user_id, JobID=job['ID'])
    assert again == first, 'a live lease is handed out again, not a second one'

    assert report(tasker, job['ID'], first, 10, 20, 30, 40).text == ''
    assert report(tasker, job['ID'], first, 10, 20, 30, 40).text == '', 'an identical retry is accepted'
    lib.expect_error(report(tasker, job['ID'], first, 11, 20, 30, 40), 'already submitted')
    rows = boxes_of(db, tasker.email)
    assert len(rows) == 1 and (rows[0]['x'], rows[0]['y'], rows[0]['w'], rows[0]['h']) == (10, 20, 30, 40)
    assert lib.approve_all(requester, job['ID']) == 1
    assert lib.user_row(db, tasker.email)['balance'] == decimal.Decimal('0.05')


def test_record_without_guid_finds_the_lease_by_task(new_app, db):
    requester = new_app('requester')
    job = lib.publish_job(requester, [lib.png(1000, 600)], max_trains=1)
    tasker = new_app('tasker')
    train = tasker.json('GetNexAvailableTrain', UserID=tasker.user_id, JobID=job['ID'])
    del train['guid']
    assert report(tasker, job['ID'], train, 0, 0, 500, 300).text == ''
    row = boxes_of(db, tasker.email)[0]
    assert (row['x'], row['y'], row['w'], row['h']) == (0, 0, 1000, 600)


def test_coordinate_spaces(new_app, db):
    """docs/LEGACY.md: a box overlapping the 500 x 300 canvas is canvas pixels (its part on
    the canvas is kept); one that misses the canvas is image pixels; a client may declare
    the space or its canvas size."""
    requester = new_app('requester')
    job = lib.publish_job(requester, [lib.png(2000, 1500) for _ in range(5)], max_trains=1, budget='1.00')
    tasker = new_app('tasker')
    cases = [
        (dict(x=450, y=250, w=100, h=100), {}, ('legacy-canvas', 1800, 1250, 200, 250)),    # dragged past the edge
        (dict(x=600, y=400, w=300, h=200), {}, ('image', 600, 400, 300, 200)),              # misses the canvas
        (dict(x=100, y=100, w=50, h=50), {'CoordinateSpace': 'image'}, ('image', 100, 100, 50, 50)),
        (dict(x=75, y=45, w=150, h=90), {'CanvasWidth': 375}, ('legacy-canvas', 400, 300, 800, 600)),
        (dict(x=1900, y=1400, w=500, h=500), {'CoordinateSpace': 'image'}, ('image', 1900, 1400, 100, 100)),
    ]
    for box, extra, expected in cases:
        train = tasker.json('GetNexAvailableTrain', UserID=tasker.user_id, JobID=job['ID'])
        assert report(tasker, job['ID'], train, box['x'], box['y'], box['w'], box['h'], **extra).text == '', box
        row = lib.query_one(db, """SELECT t.coordinate_space, b.x, b.y, b.w, b.h FROM trains t JOIN boxes b ON b.train_id = t.id
                                   WHERE t.lease_id = %s""", int(train['guid'].split('-')[1]))
        assert (row['coordinate_space'], row['x'], row['y'], row['w'], row['h']) == expected, (box, extra)


def test_box_outside_the_image_is_refused_and_the_lease_stays(new_app, db):
    requester = new_app('requester')
    job = lib.publish_job(requester, [lib.png(400, 300)], max_trains=1)
    tasker = new_app('tasker')
    train = tasker.json('GetNexAvailableTrain', UserID=tasker.user_id, JobID=job['ID'])
    lib.expect_error(report(tasker, job['ID'], train, 900, 700, 50, 50), 'outside the image')
    lib.expect_error(report(tasker, job['ID'], train, 10, 10, 0, 0), 'outside the image')
    lib.expect_error(report(tasker, job['ID'], train, 'ten', 10, 5, 5), 'X must be a number')
    body = dict(train)
    del body['guid'], body['TaskRecordID']
    lib.expect_error(report(tasker, job['ID'], body, 1, 1, 5, 5), 'guid or TaskRecordID')
    assert len(boxes_of(db, tasker.email)) == 0
    assert report(tasker, job['ID'], train, 10, 10, 50, 50).text == ''


def test_two_taskers_cannot_both_take_the_last_slot(new_app):
    requester = new_app('requester')
    job = lib.publish_job(requester, [lib.png(500, 300)], max_trains=1)
    taskers = [new_app('tasker') for _ in range(4)]
    replies = lib.run_concurrently([
        (lambda t=t: t.text('GetNexAvailableTrain', UserID=t.user_id, JobID=job['ID'])) for t in taskers])
    offered = [r for r in replies if not r.startswith('Error:')]
    assert len(offered) == 1, replies
    assert all(r == 'Error: No Train available' for r in replies if r.startswith('Error:')), replies


def test_max_trains_taskers_per_image_and_never_twice(new_app):
    requester = new_app('requester')
    job = lib.publish_job(requester, [lib.png(500, 300)], max_trains=2)
    assert job['MaxTrains'] == '2'
    done = []
    for _ in range(3):
        tasker = new_app('tasker')
        reply = tasker.text('GetNexAvailableTrain', UserID=tasker.user_id, JobID=job['ID'])
        if reply.startswith('Error:'):
            assert reply == 'Error: No Train available'
            continue
        train = json.loads(reply)
        assert report(tasker, job['ID'], train, 1, 1, 10, 10).text == ''
        assert tasker.text('GetNexAvailableTrain', UserID=tasker.user_id, JobID=job['ID']) == 'Error: No Train available'
        done.append(tasker)
    assert len(done) == 2


def test_request_payment_draws_only_on_approved_results(new_app, db):
    requester = new_app('requester')
    job = lib.publish_job(requester, [lib.png(500, 300), lib.png(500, 300)], max_trains=1, bounty='0.25')
    tasker = new_app('tasker')
    for _ in range(2):
        train = tasker.json('GetNexAvailableTrain', UserID=tasker.user_id, JobID=job['ID'])
        assert report(tasker, job['ID'], train, 1, 1, 10, 10).text == ''
    # Pending review: nothing to pay yet.
    lib.expect_error(tasker.get('RequestPayment', UserID=tasker.user_id, Address='XdashWallet1'), 'nothing to pay')
    assert lib.approve_all(requester, job['ID']) == 2
    assert lib.user_row(db, tasker.email)['balance'] == decimal.Decimal('0.50')

    reply = lib.expect_ok(tasker.get('RequestPayment', UserID=tasker.user_id, Address='XdashWallet1', Amount='0.20'))
    assert reply.startswith('Ok')
    reply = lib.expect_ok(tasker.get('RequestPayment', UserID=tasker.user_id, Address='XdashWallet1'))
    assert '0.30' in reply, 'the default amount is the whole balance'
    payouts = lib.query(db, 'SELECT p.amount, p.address, p.state FROM payouts p JOIN users u ON u.id = p.user_id '
                            'WHERE u.email = %s ORDER BY p.id', tasker.email)
    assert [(p['amount'], p['address'], p['state']) for p in payouts] == [
        (decimal.Decimal('0.20'), 'XdashWallet1', 'requested'), (decimal.Decimal('0.30'), 'XdashWallet1', 'requested')]
    assert lib.user_row(db, tasker.email)['balance'] == 0
    lib.expect_error(tasker.get('RequestPayment', UserID=tasker.user_id, Address='XdashWallet1'), 'nothing to pay')
    lib.expect_error(tasker.get('RequestPayment', UserID=tasker.user_id, Address='XdashWallet1', Amount='5.00'), 'balance')
    lib.expect_error(tasker.get('RequestPayment', UserID=tasker.user_id), 'Missing parameter Address')


def test_logon_answers_a_new_token(new_app, base):
    tasker = new_app('tasker')
    other = lib.App(base)
    token = other.get_raw('TaskerLogon', f'&Email={tasker.email}&Password={tasker.password}').text
    assert lib.TOKEN.fullmatch(token) and token != tasker.user_id
    assert other.json('GetActiveJobs', UserID=token) is not None
    assert other.text('TaskerLogon', Email=tasker.email, Password='wrong-password') == 'Error: Name or Passwor is incorrect'
    assert other.text('TaskerRegistration', Email=tasker.email.upper(), Password='whatever123') == \
        'Error: Email already in use.'
    other.close()


def test_a_plus_in_an_email_pasted_unencoded_still_signs_up_and_on(base, db):
    """The phone app pastes the email into the URL unencoded, so `name+tag@...` arrives
    as `name tag@...` once `+` is decoded as a space: inside an email a space is read back
    as `+`. The same address through the JSON API is the same account."""
    app = lib.App(base)
    try:
        email = lib.unique_email('plus').replace('@', '+tag@')
        token = app.get_raw('TaskerRegistration', f'&Email={email}&Password=pw-plus-sign-1').text
        assert lib.TOKEN.fullmatch(token), token
        assert lib.query_one(db, 'SELECT COUNT(*) AS n FROM users WHERE email = %s', email)['n'] == 1
        again = app.get_raw('TaskerLogon', f'&Email={email}&Password=pw-plus-sign-1').text
        assert lib.TOKEN.fullmatch(again), again
        # Properly encoded (%2B) it is the same account.
        assert lib.TOKEN.fullmatch(app.text('TaskerLogon', Email=email, Password='pw-plus-sign-1'))
        r = requests.post(base + '/api/auth/login', json={'email': email, 'password': 'pw-plus-sign-1'}, timeout=lib.TIMEOUT)
        assert r.status_code == 200, r.text
    finally:
        app.close()

