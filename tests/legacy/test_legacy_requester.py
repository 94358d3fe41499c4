"""A requester's flow in the original protocol: RequesterRegistration, PublishJob1, image
uploads both ways (UploadImage with base64 text, UploadImageBinary with multipart),
PublishJob2, then the results through GetTasksPerJob and GetTrainResultsPerTask; and the
other job commands (GetUserJobs, GetAllJobs, UpdateJob, RemoveJobImages, Uploader)."""
import base64
import decimal
import hashlib
import json
import os
import uuid

import legacy_lib as lib


def new_job_name():
    return 'job-' + uuid.uuid4().hex[:10]


def job_row(db, job_id):
    return lib.query_one(db, 'SELECT j.*, a.balance AS escrow FROM jobs j JOIN accounts a ON a.id = j.account_id '
                             'WHERE j.id = %s', int(job_id))


def test_requester_flow(new_app, db, admin_ready):
    requester = new_app('requester')
    admin_ready('credit', requester.email, '10.00')
    name = new_job_name()

    job = json.loads(lib.expect_ok(requester.post(
        'PublishJob1', lib.job_json(name=name, bounty=0.05, budget='2.00', MaxTrains='2'),
        UserID=requester.user_id, Name=name)))
    assert all(isinstance(v, str) for v in job.values()), job
    assert job['ID'].isdigit() and job['name'] == name and job['state'] == 'draft' and job['active'] == 'False'
    assert (job['bounty'], job['budget'], job['MaxTrains'], job['type']) == ('0.05', '2.00', '2', 'ImageRegion')
    assert job['userID'] != requester.user_id and job['userID'].isdigit(), 'userID in a record is a number, not the token'

    images = [lib.png(1000, 600), lib.jpeg(), lib.WEBP_4X3]
    assert requester.post('UploadImage', base64.b64encode(images[0]), UserID=requester.user_id, JobID=job['ID']).text == 'Ok'
    assert requester.post('UploadImage', b'data:image/jpeg;base64,' + base64.b64encode(images[1]),
                          UserID=requester.user_id, JobID=job['ID']).text == 'Ok'
    files = {'file': ('pic.webp', images[2], 'image/webp')}
    assert requester.post('UploadImageBinary', files=files, UserID=requester.user_id, JobID=job['ID']).text == 'Ok'
    tasks = lib.query(db, 'SELECT id, mime_type, results_wanted FROM tasks WHERE job_id = %s ORDER BY id', int(job['ID']))
    assert [t['mime_type'] for t in tasks] == ['image/png', 'image/jpeg', 'image/webp']
    assert all(t['results_wanted'] == 0 for t in tasks), 'a draft has no slot paid for yet'
    assert job_row(db, job['ID'])['state'] == 'draft'

    published = json.loads(lib.expect_ok(requester.post(
        'PublishJob2', lib.job_json(name=name, bounty='0.05', budget='2.00', MaxTrains=2),
        UserID=requester.user_id, Name=name)))
    assert published['ID'] == job['ID'] and published['state'] == 'active' and published['active'] == 'True'
    # The escrow receives what the job's slots cost (3 images x 2 results x 0.05), not the whole budget.
    assert published['budgetLeft'] == '0.30'
    assert lib.user_row(db, requester.email)['balance'] == decimal.Decimal('9.70'), 'the slots were paid into escrow'
    assert all(t['results_wanted'] == 2 for t in lib.query(db, 'SELECT results_wanted FROM tasks WHERE job_id = %s',
                                                           int(job['ID'])))
    again = json.loads(lib.expect_ok(requester.post('PublishJob2', lib.job_json(name=name, bounty='0.05', budget='2.00', MaxTrains=2),
                                                    UserID=requester.user_id, Name=name)))
    assert again['state'] == 'active'
    assert lib.user_row(db, requester.email)['balance'] == decimal.Decimal('9.70'), 'publishing again moves nothing'

    # Two taskers label every image once.
    for _ in range(2):
        tasker = new_app('tasker')
        while True:
            reply = tasker.text('GetNexAvailableTrain', UserID=tasker.user_id, JobID=job['ID'])
            if reply.startswith('Error:'):
                assert reply == 'Error: No Train available'
                break
            train = json.loads(reply)
            image = base64.b64decode(tasker.text('GetTaskImage', TaskID=train['TaskRecordID'], UserID=tasker.user_id))
            assert lib.png_size(image) in {(1000, 600), (4, 3)}, 'JPEG and WebP come as PNG'
            sent = dict(train, X=100, Y=50, W=200, H=100)
            assert tasker.post('ReportTrain', json.dumps(sent), UserID=tasker.user_id, JobID=job['ID']).text == ''

    per_job = requester.json('GetTasksPerJob', UserID=requester.user_id, JobID=job['ID'])
    assert sorted(int(t['TaskRecordID']) for t in per_job) == [t['id'] for t in tasks], 'one record per task'
    for record in per_job:
        assert all(isinstance(v, str) for v in record.values()), record
        results = requester.json('GetTrainResultsPerTask', UserID=requester.user_id, TaskID=record['TaskRecordID'])
        assert len(results) == 2
        for r in results:
            assert r['TaskRecordID'] == record['TaskRecordID'] and r['JobID'] == job['ID']
            assert r['Result'] == 'object' and r['CoordinateSpace'] == 'legacy-canvas'
            if record['TaskRecordID'] == str(tasks[0]['id']):
                assert (r['X'], r['Y'], r['W'], r['H']) == ('200', '100', '400', '200')
    user_jobs = requester.json('GetUserJobs', UserID=requester.user_id)
    assert [j['ID'] for j in user_jobs] == [job['ID']]
    assert user_jobs[0]['budgetLeft'] == '0.30'  # 6 results of 0.05 pending review, still in escrow
    assert lib.approve_all(requester, job['ID']) == 6
    assert requester.json('GetUserJobs', UserID=requester.user_id)[0]['budgetLeft'] == '0.00'  # paid


def test_publish_job2_without_enough_balance_changes_nothing(new_app, db, admin_ready):
    requester = new_app('requester')
    admin_ready('credit', requester.email, '1.00')
    name = new_job_name()
    # Two images x 3 results at 1.00, a budget of 5.00: publishing opens 5 slots, 5.00.
    job = json.loads(lib.expect_ok(requester.post('PublishJob1', lib.job_json(budget='5.00', bounty='1.00'),
                                                  UserID=requester.user_id, Name=name)))
    for seed in (1, 2):
        requester.post('UploadImage', base64.b64encode(lib.png(seed=seed)), UserID=requester.user_id, JobID=job['ID'])
    before = lib.snapshot(db)
    reply = lib.expect_error(requester.post('PublishJob2', lib.job_json(budget='5.00', bounty='1.00', title='Changed title'),
                                            UserID=requester.user_id, Name=name), 'does not cover')
    assert 'balance (1.00)' in reply and '5.00' in reply
    assert lib.snapshot(db) == before
    row = job_row(db, job['ID'])
    assert (row['state'], row['title'], row['escrow']) == ('draft', 'Mark the cars', 0)
    assert lib.user_row(db, requester.email)['balance'] == decimal.Decimal('1.00')


def test_job_json_values_names_and_update(new_app, db):
    requester = new_app('requester')
    name = 'my job & more 100%'
    body = json.dumps({'title': 'Numbers', 'bounty': 0.1, 'budget': 3, 'MaxTrains': 4, 'labels': ['cat', 'dog'],
                       'startTime': '2030-01-01T00:00:00Z', 'endTime': ''})
    raw = 'my%20job%20%26%20more%20100%25'
    r = requester.s.post(requester.url('PublishJob1', f'&UserID={requester.user_id}&Name={raw}'), data=body,
                         headers={'Content-Type': 'text/plain;charset=UTF-8'}, timeout=lib.TIMEOUT)
    job = json.loads(lib.expect_ok(r))
    assert (job['name'], job['bounty'], job['budget'], job['MaxTrains']) == (name, '0.10', '3.00', '4')
    assert job['startTime'] == '2030-01-01T00:00:00Z' and job['endTime'] == ''
    row = job_row(db, job['ID'])
    assert row['name'] == name and json.loads(row['labels']) == ['cat', 'dog']

    taken = requester.post('PublishJob1', body, UserID=requester.user_id, Name=name).text
    assert taken == f'Error: Job name, {name} already in use.'

    updated = json.loads(lib.expect_ok(requester.post('UpdateJob', json.dumps({'title': 'New title', 'MaxTrains': '5'}),
                                                      UserID=requester.user_id, Name=name)))
    assert (updated['title'], updated['MaxTrains'], updated['bounty']) == ('New title', '5', '0.10')
    assert requester.post('UpdateJob', lib.job_json(), UserID=requester.user_id, Name='no-such-job').text == \
        'Error: Job Record not found'
    lib.expect_error(requester.post('PublishJob1', lib.job_json(bounty='0.055'), UserID=requester.user_id,
                                    Name=new_job_name()), 'bounty must be')
    lib.expect_error(requester.post('PublishJob1', '{"title": "x"', UserID=requester.user_id, Name=new_job_name()),
                     'not a JSON object')
    lib.expect_error(requester.post('PublishJob1', lib.job_json(), UserID=requester.user_id), 'Missing parameter Name')
    default = json.loads(lib.expect_ok(requester.post('PublishJob1', lib.job_json(), UserID=requester.user_id,
                                                      Name=new_job_name())))
    assert default['MaxTrains'] == '3', 'the JSON API default when MaxTrains is absent'


def test_update_job_pauses_and_resumes(new_app):
    requester = new_app('requester')
    job = lib.publish_job(requester, [lib.png()])
    paused = json.loads(requester.post('UpdateJob', json.dumps({'active': 'False'}), UserID=requester.user_id,
                                       Name=job['name']).text)
    assert paused['state'] == 'paused'
    tasker = new_app('tasker')
    assert tasker.text('GetNexAvailableTrain', UserID=tasker.user_id, JobID=job['ID']).startswith('Error: No Train available')
    resumed = json.loads(requester.post('UpdateJob', json.dumps({'active': True}), UserID=requester.user_id,
                                        Name=job['name']).text)
    assert resumed['state'] == 'active'
    assert not tasker.text('GetNexAvailableTrain', UserID=tasker.user_id, JobID=job['ID']).startswith('Error')


def test_remove_job_images_keeps_what_is_in_use(new_app, db):
    requester = new_app('requester')
    shared, own, worked = lib.png(), lib.png(), lib.png()
    job = lib.publish_job(requester, [shared, own, worked], max_trains=1)
    other = lib.publish_job(requester, [shared], credit=None)
    tasker = new_app('tasker')
    train = tasker.json('GetNexAvailableTrain', UserID=tasker.user_id, JobID=job['ID'])
    leased = lib.query_one(db, 'SELECT sha256 FROM tasks WHERE id = %s', int(train['TaskRecordID']))['sha256'].hex()
    paths = {hashlib.sha256(data).hexdigest(): lib.image_path(hashlib.sha256(data).hexdigest())
             for data in (shared, own, worked)}
    assert all(os.path.exists(p) for p in paths.values())

    assert requester.text('RemoveJobImages', UserID=requester.user_id, JobID=job['ID']) == '2 files deleted.'
    left = lib.query(db, 'SELECT sha256 FROM tasks WHERE job_id = %s', int(job['ID']))
    assert [r['sha256'].hex() for r in left] == [leased], 'the image a tasker has is kept'
    assert os.path.exists(paths[leased])
    assert os.path.exists(paths[hashlib.sha256(shared).hexdigest()]), 'still used by the other job'
    for sha, path in paths.items():
        if sha not in (leased, hashlib.sha256(shared).hexdigest()):
            assert not os.path.exists(path), 'no task uses it any more'
    assert lib.query(db, 'SELECT COUNT(*) AS n FROM tasks WHERE job_id = %s', int(other['ID']))[0]['n'] == 1
    assert requester.text('RemoveJobImages', UserID=requester.user_id, JobID=job['ID']) == '0 files deleted.'
    assert report_ok(tasker, job, train)


def report_ok(tasker, job, train):
    return tasker.post('ReportTrain', json.dumps(dict(train, X=1, Y=1, W=5, H=5)), UserID=tasker.user_id,
                       JobID=job['ID']).text == ''


def test_get_all_jobs_never_shows_other_drafts(new_app, admin_ready, db):
    owner = new_app('requester')
    draft = json.loads(lib.expect_ok(owner.post('PublishJob1', lib.job_json(), UserID=owner.user_id, Name=new_job_name())))
    active = lib.publish_job(owner, [lib.png()])
    stranger = new_app('requester')
    tasker = new_app('tasker')
    assert draft['ID'] in [j['ID'] for j in owner.json('GetAllJobs', UserID=owner.user_id)]
    assert owner.json('GetAllJobs', UserID=owner.user_id)[0]['budget'] != ''
    for app in (stranger, tasker):
        for command in ('GetAllJobs', 'GetActiveJobs'):
            ids = [j['ID'] for j in app.json(command, UserID=app.user_id)]
            assert draft['ID'] not in ids, (command, app.email)
    assert active['ID'] in [j['ID'] for j in tasker.json('GetAllJobs', UserID=tasker.user_id)]
    assert active['ID'] not in [j['ID'] for j in stranger.json('GetAllJobs', UserID=stranger.user_id)]
    lib.expect_error(lib.App(owner.base).get('GetAllJobs'), 'UserID')


def test_uploader_page_is_escaped(new_app):
    requester = new_app('requester')
    title = '<script>alert("x")</script> & co'
    job = json.loads(lib.expect_ok(requester.post('PublishJob1', lib.job_json(title=title), UserID=requester.user_id,
                                                  Name=new_job_name())))
    r = requester.get('Uploader', UserID=requester.user_id, JobID=job['ID'])
    assert r.headers['Content-Type'].startswith('text/html')
    assert '<script>' not in r.text and '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co' in r.text
    assert 'enctype="multipart/form-data"' in r.text
    assert f'/Server.aph?Command=UploadImageBinary&amp;UserID={requester.user_id}&amp;JobID={job["ID"]}' in r.text
    lib.expect_error(requester.get('Uploader', UserID=requester.user_id, JobID='<b>1</b>'), 'JobID must be')
