"""What the original server let anyone do, refused: acting with a guessed UserID (such as
a database number), a tasker acting as a requester and the other way round, touching
another requester's job or another tasker's lease, a link on another site acting through
the session cookie, SQL or paths smuggled in any parameter. A refused call answers
`Error: ...` with HTTP 200 and changes nothing."""
import base64
import hashlib
import json
import os
import secrets
import struct
import uuid

import pytest

import legacy_lib as lib

PAYLOADS = ["' OR '1'='1", '1 OR 1=1', "1; DROP TABLE users; --", '" OR ""="', "1' UNION SELECT password_hash FROM users -- ",
            '../../../../etc/passwd', '0x31', '-1', '99999999999999999999', '1e3', '<script>alert(1)</script>',
            '%00', 'null']
NOT_NUMBERS = [p for p in PAYLOADS if p not in ('-1', '99999999999999999999', '1e3')]


@pytest.fixture
def market(new_app):
    """A requester with an active job of two images, a tasker holding a lease on one."""
    requester = new_app('requester')
    job = lib.publish_job(requester, [lib.png(1000, 600), lib.png(1000, 600)], max_trains=1)
    tasker = new_app('tasker')
    train = tasker.json('GetNexAvailableTrain', UserID=tasker.user_id, JobID=job['ID'])
    return requester, job, tasker, train


def requester_calls(requester, job, train):
    """(command, params, body) of every requester command, valid for this requester."""
    jid, tid = job['ID'], train['TaskRecordID']
    return [
        ('GetUserJobs', {'UserID': requester.user_id}, None),
        ('GetTasksPerJob', {'UserID': requester.user_id, 'JobID': jid}, None),
        ('GetTrainResultsPerTask', {'UserID': requester.user_id, 'TaskID': tid}, None),
        ('RemoveJobImages', {'UserID': requester.user_id, 'JobID': jid}, None),
        ('Uploader', {'UserID': requester.user_id, 'JobID': jid}, None),
        ('PublishJob1', {'UserID': requester.user_id, 'Name': 'new-' + uuid.uuid4().hex[:8]}, lib.job_json()),
        ('PublishJob2', {'UserID': requester.user_id, 'Name': job['name']}, lib.job_json(MaxTrains='1')),
        ('UpdateJob', {'UserID': requester.user_id, 'Name': job['name']}, lib.job_json(MaxTrains='1')),
        ('UploadImage', {'UserID': requester.user_id, 'JobID': jid}, base64.b64encode(lib.png())),
        ('UploadImageBinary', {'UserID': requester.user_id, 'JobID': jid}, lib.png()),
    ]


def tasker_calls(tasker, job, train):
    return [
        ('GetNexAvailableTrain', {'UserID': tasker.user_id, 'JobID': job['ID']}, None),
        ('GetNextAvailableTrain', {'UserID': tasker.user_id, 'JobID': job['ID']}, None),
        ('ReportTrain', {'UserID': tasker.user_id, 'JobID': job['ID']}, json.dumps(dict(train, X=1, Y=1, W=9, H=9))),
        ('RequestPayment', {'UserID': tasker.user_id, 'Address': 'XdashWallet1', 'Amount': '0.01'}, None),
    ]


def call(app, command, params, body):
    if body is None:
        return app.get(command, **params)
    return app.post(command, body, **params)


def test_guessed_and_numeric_user_ids_are_refused(market, db):
    requester, job, tasker, train = market
    numbers = {job['userID'], train['UserID'], str(lib.user_row(db, requester.email)['id']), '1', '2'}
    guesses = numbers | {secrets.token_hex(32), requester.user_id[:-1] + ('0' if requester.user_id[-1] != '0' else '1'),
                         requester.user_id.upper(), ' ' + tasker.user_id + 'x'}
    anyone = lib.App(requester.base, cookies=False)
    before = lib.snapshot(db)
    for command, params, body in (requester_calls(requester, job, train) + tasker_calls(tasker, job, train)
                                  + [('GetActiveJobs', {'UserID': ''}, None), ('GetAllJobs', {'UserID': ''}, None),
                                     ('GetTaskImage', {'UserID': '', 'TaskID': train['TaskRecordID']}, None)]):
        for guess in guesses:
            reply = lib.expect_error(call(anyone, command, dict(params, UserID=guess), body))
            assert 'UserID is not valid' in reply, (command, guess, reply)
        reply = lib.expect_error(call(anyone, command, {k: v for k, v in params.items() if k != 'UserID'}, body))
        assert 'UserID' in reply, (command, reply)
    assert lib.snapshot(db) == before
    anyone.close()


def test_expired_session_is_refused(new_app, db):
    tasker = new_app('tasker')
    assert tasker.json('GetActiveJobs', UserID=tasker.user_id) is not None
    digest = hashlib.sha256(tasker.user_id.encode()).digest()
    lib.query(db, 'UPDATE sessions SET expires_at = NOW(6) - INTERVAL 1 MINUTE WHERE token_hash = %s', digest)
    lib.expect_error(tasker.get('GetActiveJobs', UserID=tasker.user_id), 'not valid')


def test_tasker_cannot_use_requester_commands(market, db):
    requester, job, tasker, train = market
    before = lib.snapshot(db)
    for command, params, body in requester_calls(requester, job, train):
        reply = lib.expect_error(call(tasker, command, dict(params, UserID=tasker.user_id), body))
        assert 'requester' in reply, (command, reply)
    lib.expect_error(tasker.get('RequesterLogon', Email=tasker.email, Password=tasker.password),
                     'User not registered for this application.')
    assert lib.snapshot(db) == before


def test_requester_cannot_use_tasker_commands(market, db):
    requester, job, tasker, train = market
    before = lib.snapshot(db)
    for command, params, body in tasker_calls(tasker, job, train):
        reply = lib.expect_error(call(requester, command, dict(params, UserID=requester.user_id), body))
        assert 'tasker' in reply, (command, reply)
    assert lib.snapshot(db) == before


def test_another_requesters_job_is_out_of_reach(market, new_app, db):
    requester, job, tasker, train = market
    stranger = new_app('requester')
    lib.admin('credit', stranger.email, '50.00')
    before = lib.snapshot(db)
    for command, params, body in requester_calls(requester, job, train):
        if command in ('GetUserJobs', 'PublishJob1', 'PublishJob2', 'UpdateJob'):
            continue  # by name or own: below
        reply = lib.expect_error(call(stranger, command, dict(params, UserID=stranger.user_id), body))
        assert 'No such' in reply, (command, reply)
    lib.expect_error(stranger.post('UpdateJob', lib.job_json(title='Hijacked'), UserID=stranger.user_id, Name=job['name']),
                     'Job Record not found')
    assert job['ID'] not in [j['ID'] for j in stranger.json('GetUserJobs', UserID=stranger.user_id)]
    lib.expect_error(stranger.get('GetTaskImage', UserID=stranger.user_id, TaskID=train['TaskRecordID']),
                     'TaskRecord not found')
    assert lib.snapshot(db) == before

    # The same name is the stranger's own job: the requester's stays as it was.
    own = json.loads(lib.expect_ok(stranger.post('PublishJob2', lib.job_json(title='Hijacked'), UserID=stranger.user_id,
                                                 Name=job['name'])))
    assert own['ID'] != job['ID'] and own['userID'] != job['userID']
    assert lib.query_one(db, 'SELECT title FROM jobs WHERE id = %s', int(job['ID']))['title'] == 'Mark the cars'


def test_other_taskers_lease_and_images_are_out_of_reach(market, new_app, db):
    requester, job, tasker, train = market
    other = new_app('tasker')
    before = lib.snapshot(db)
    lib.expect_error(other.post('ReportTrain', json.dumps(dict(train, X=1, Y=1, W=9, H=9)), UserID=other.user_id,
                                JobID=job['ID']), 'No such lease')
    assert other.text('GetTaskImage', UserID=other.user_id, TaskID=train['TaskRecordID']) == 'Error: TaskRecord not found'
    assert lib.snapshot(db) == before
    image = base64.b64decode(tasker.text('GetTaskImage', UserID=tasker.user_id, TaskID=train['TaskRecordID']))
    assert lib.png_size(image) == (1000, 600)
    owner_view = base64.b64decode(requester.text('GetTaskImage', UserID=requester.user_id, TaskID=train['TaskRecordID']))
    assert owner_view == image


def test_cookie_alone_only_reads(market, db):
    """A page on another site can make the browser send its cookie with a GET; commands
    that change something therefore need UserID (or an Authorization header)."""
    requester, job, tasker, train = market
    before = lib.snapshot(db)
    for app, calls in ((requester, requester_calls(requester, job, train)), (tasker, tasker_calls(tasker, job, train))):
        for command, params, body in calls:
            params = {k: v for k, v in params.items() if k != 'UserID'}
            if command in ('GetUserJobs', 'GetTasksPerJob', 'GetTrainResultsPerTask'):
                assert not call(app, command, params, body).text.startswith('Error'), command
            else:
                lib.expect_error(call(app, command, params, body), 'Missing parameter UserID')
    assert lib.snapshot(db) == before
    assert tasker.get('GetTaskImage', TaskID=train['TaskRecordID']).text == \
        tasker.get('GetTaskImage', TaskID=train['TaskRecordID'], UserID=tasker.user_id).text
    # A script may use the Authorization header instead of UserID.
    bearer = lib.App(tasker.base, cookies=False)
    r = bearer.s.get(f'{tasker.base}/Server.aph', params={'Command': 'GetNexAvailableTrain', 'JobID': job['ID']},
                     headers={'Authorization': 'Bearer ' + tasker.user_id}, timeout=lib.TIMEOUT)
    assert json.loads(r.text) == train
    bearer.close()


def test_injection_in_identifying_parameters_is_refused(market, db):
    requester, job, tasker, train = market
    tables = {list(r.values())[0] for r in lib.query(db, 'SHOW TABLES')}
    before = lib.snapshot(db)
    for app, calls in ((requester, requester_calls(requester, job, train)), (tasker, tasker_calls(tasker, job, train))):
        for command, params, body in calls + [('GetTaskImage', {'UserID': app.user_id, 'TaskID': train['TaskRecordID']}, None)]:
            for key in params:
                if key in ('Name', 'Address'):
                    continue  # free text: stored as it is (below)
                for payload in PAYLOADS:
                    lib.expect_error(call(app, command, dict(params, **{key: payload}), body))
    for payload in PAYLOADS:
        assert requester.get(payload, UserID=requester.user_id).text == 'Error: Unknown command.'
        reply = lib.expect_error(tasker.get('TaskerLogon', Email=payload, Password=payload))
        assert reply in ('Error: Name or Passwor is incorrect',) or 'Too many' in reply, reply
    assert lib.snapshot(db) == before
    assert {list(r.values())[0] for r in lib.query(db, 'SHOW TABLES')} == tables


def test_injection_in_train_json_is_refused(market, db):
    requester, job, tasker, train = market
    before = lib.snapshot(db)
    for key in ('X', 'Y', 'W', 'H', 'CoordinateSpace', 'CanvasWidth'):
        for payload in NOT_NUMBERS:
            body = dict(train, X=1, Y=1, W=9, H=9)
            body[key] = payload
            lib.expect_error(tasker.post('ReportTrain', json.dumps(body), UserID=tasker.user_id, JobID=job['ID']))
    for payload in PAYLOADS:
        body = dict(train, X=1, Y=1, W=9, H=9, guid=payload, TaskRecordID=payload)
        lib.expect_error(tasker.post('ReportTrain', json.dumps(body), UserID=tasker.user_id, JobID=job['ID']))
    for body in ('', 'not json', '[1, 2]', "{'X': 1}", '{"X": 1' * 1000):
        lib.expect_error(tasker.post('ReportTrain', body, UserID=tasker.user_id, JobID=job['ID']))
    assert lib.snapshot(db) == before


def test_injection_in_job_json_is_refused(new_app, db):
    requester = new_app('requester')
    before = lib.snapshot(db)
    for key in ('bounty', 'budget', 'MaxTrains', 'startTime', 'endTime'):
        for payload in NOT_NUMBERS:
            for command in ('PublishJob1', 'PublishJob2'):
                lib.expect_error(requester.post(command, lib.job_json(**{key: payload}), UserID=requester.user_id,
                                                Name='job-' + uuid.uuid4().hex[:8]))
    assert lib.snapshot(db) == before


def test_free_text_is_stored_as_written(new_app, db):
    requester = new_app('requester')
    for payload in PAYLOADS[:5] + ['<script>alert(1)</script>']:
        body = lib.job_json(title=payload, description=payload, labels=[payload[:60]])
        job = json.loads(lib.expect_ok(requester.post('PublishJob1', body, UserID=requester.user_id, Name=payload)))
        row = lib.query_one(db, 'SELECT name, title, description, labels FROM jobs WHERE id = %s', int(job['ID']))
        text = payload.strip()  # names and texts are trimmed, as in the JSON API
        assert (row['name'], row['title'], row['description']) == (text, text, text)
        assert json.loads(row['labels']) == [payload[:60].strip()]
        assert job['name'] == text and job['title'] == text
        updated = json.loads(lib.expect_ok(requester.post('UpdateJob', json.dumps({'title': 'x' + text}),
                                                          UserID=requester.user_id, Name=payload)))
        assert updated['ID'] == job['ID'] and updated['title'] == 'x' + text
    assert len(lib.query(db, 'SELECT id FROM users')) > 1, 'the users table is still there'

    # Registration takes any password and keeps only its hash.
    app = lib.App(requester.base)
    email = lib.unique_email("o'brien")
    token = app.text('TaskerRegistration', Email=email, Password="' OR '1'='1")
    assert lib.TOKEN.fullmatch(token), token
    stored = lib.query_one(db, 'SELECT email, password_hash FROM users WHERE email = %s', email)
    assert stored['password_hash'].startswith('$argon2id$') and "OR" not in stored['password_hash']
    assert lib.TOKEN.fullmatch(app.text('TaskerLogon', Email=email, Password="' OR '1'='1"))
    assert app.text('TaskerLogon', Email=email, Password="' OR 'x'='x") == 'Error: Name or Passwor is incorrect'
    app.close()


def test_path_parameter_is_never_used(new_app, db):
    requester = new_app('requester')
    job = json.loads(lib.expect_ok(requester.post('PublishJob1', lib.job_json(), UserID=requester.user_id,
                                                  Name='job-' + uuid.uuid4().hex[:8])))
    target = f'/tmp/legacy-path-{uuid.uuid4().hex}.png'
    data = lib.png()
    assert requester.post('UploadImage', base64.b64encode(data), UserID=requester.user_id, JobID=job['ID'],
                          Path=target).text == 'Ok'
    assert requester.post('UploadImage', base64.b64encode(data), UserID=requester.user_id, JobID=job['ID'],
                          Path='..~..~..~etc~passwd').text == 'Ok'
    assert not os.path.exists(target)
    assert os.path.exists(lib.image_path(hashlib.sha256(data).hexdigest()))
    assert lib.query_one(db, 'SELECT COUNT(*) AS n FROM tasks WHERE job_id = %s', int(job['ID']))['n'] == 1
    lib.expect_error(requester.post('UploadImage', base64.b64encode(b'GIF89a not an image'), UserID=requester.user_id,
                                    JobID=job['ID']), 'not a PNG, JPEG or WebP')
    lib.expect_error(requester.post('UploadImage', b'%%% not base64 %%%', UserID=requester.user_id, JobID=job['ID']),
                     'base64')


def test_missing_parameters_and_wrong_methods(new_app):
    requester = new_app('requester')
    tasker = new_app('tasker')
    assert requester.get('').text == 'Error: Unknown command.'
    assert requester.s.get(f'{requester.base}/Server.aph', timeout=lib.TIMEOUT).text == 'Error: Unknown command.'
    assert requester.text('getactivejobs', UserID=requester.user_id) == 'Error: Unknown command.'
    lib.expect_error(requester.get('TaskerLogon'), 'Missing parameter Email')
    lib.expect_error(requester.get('TaskerLogon', Email=tasker.email), 'Missing parameter Password')
    lib.expect_error(requester.get('RequesterRegistration', Password='whatever123'), 'Missing parameter Email')
    lib.expect_error(requester.get('TaskerRegistration', Email='not-an-email', Password='whatever123'), 'not an email')
    lib.expect_error(requester.get('TaskerRegistration', Email=lib.unique_email(), Password='short'), '8 characters')
    lib.expect_error(tasker.get('GetNexAvailableTrain', UserID=tasker.user_id), 'Missing parameter JobID')
    lib.expect_error(tasker.get('GetNexAvailableTrain', UserID=tasker.user_id, JobID='999999999'), 'No such job')
    lib.expect_error(tasker.get('GetTaskImage', UserID=tasker.user_id), 'Missing parameter TaskID')
    lib.expect_error(requester.get('GetTasksPerJob', UserID=requester.user_id), 'Missing parameter JobID')
    lib.expect_error(requester.get('GetTrainResultsPerTask', UserID=requester.user_id), 'Missing parameter TaskID')
    lib.expect_error(requester.get('RemoveJobImages', UserID=requester.user_id), 'Missing parameter JobID')
    lib.expect_error(requester.get('Uploader', UserID=requester.user_id), 'Missing parameter JobID')
    lib.expect_error(requester.get('PublishJob1', UserID=requester.user_id, Name='x'), 'needs a POST')
    lib.expect_error(requester.post('PublishJob1', b'', UserID=requester.user_id, Name='x'), 'JSON body')
    lib.expect_error(requester.post('UploadImage', b'', UserID=requester.user_id, JobID='1'), 'No such job')
    lib.expect_error(tasker.post('ReportTrain', '{}', UserID=tasker.user_id, JobID='1'), 'guid or TaskRecordID')


def test_only_the_upload_commands_take_a_large_body(new_app, db):
    """Every command shares one route, but only UploadImage and UploadImageBinary take an
    upload's body: any other refuses a body over 1 MiB (413) before reading it, so that a
    large body (a form to decode, say) cannot hold a worker thread."""
    requester = new_app('requester')
    big_form = b'a=' + b'b' * (2 * 1024 * 1024)
    for command in ('GetActiveJobs', 'ReportTrain', 'PublishJob1', 'Nonsense'):
        r = requester.s.post(f'{requester.base}{requester.path}', params={'Command': command, 'UserID': requester.user_id},
                             data=big_form, headers={'Content-Type': 'application/x-www-form-urlencoded'},
                             timeout=lib.TIMEOUT)
        assert r.status_code == 413, (command, r.status_code, r.text[:200])
    job = json.loads(lib.expect_ok(requester.post('PublishJob1', lib.job_json(), UserID=requester.user_id,
                                                  Name='job-' + uuid.uuid4().hex[:8])))
    # A PNG whose base64 is over 1 MiB: random bytes in a private chunk, then IEND.
    head = lib.png()[:33]
    bulk = os.urandom(1200 * 1024)
    data = head + struct.pack('>I', len(bulk)) + b'raNd' + bulk + b'\0\0\0\0' + b'\0\0\0\0IEND\xaeB`\x82'
    assert requester.post('UploadImage', base64.b64encode(data), UserID=requester.user_id, JobID=job['ID']).text == 'Ok'
    assert lib.query_one(db, 'SELECT COUNT(*) AS n FROM tasks WHERE job_id = %s', int(job['ID']))['n'] == 1
