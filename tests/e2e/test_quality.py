"""Quality control through nginx, the real worker and MariaDB: a job's quality settings,
gold images (marked one at a time or from a COCO file) and how their answers are scored,
what a tasker sees (never that an image is gold), their accuracy and the blocks (by the
requester, or by the marketplace when the accuracy falls too low), the consensus of an
image's results and automatic review, adaptive redundancy (an image whose results
disagree is offered to one more tasker, up to the job's results per image). The worker
assesses an image on its quality thread within about a second of a result; the tests
poll for what it decides. Money is checked to the cent and `$TT_ADMIN audit` agrees at
the end of every test that moves it."""
import json
import time

import e2e_lib as e
from e2e_lib import expect, money

W, H = 64, 48  # every image of these tests
BOX_A = {'x': 8, 'y': 8, 'w': 20, 'h': 16, 'label': 'car'}    # the object
BOX_B = {'x': 40, 'y': 28, 'w': 20, 'h': 16, 'label': 'car'}  # somewhere else: no overlap with BOX_A
NEAR_A = {'x': 9, 'y': 8, 'w': 20, 'h': 16, 'label': 'car'}   # BOX_A a pixel off (IoU above 0.9)
QUALITY_DEFAULTS = {'iouThreshold': 0.5, 'minResultsPerImage': None, 'agreementThreshold': 0.7, 'autoReview': 'off',
                    'goldRate': {'early': 10, 'earlyImages': 20, 'later': 20}, 'goldAnswersPerImage': 30,
                    'accuracyThreshold': 0.7, 'minGoldAnswers': 3}
# The fields of a task that only its requester may see: a tasker must not learn an image is gold.
OWNER_TASK_FIELDS = {'resultsWanted', 'trainCount', 'liveLeases', 'heldSlots', 'gold', 'agreement', 'qualityDone'}
ALWAYS_GOLD = {'early': 1, 'earlyImages': 100, 'later': 1}  # every image a gold one while one is left


# --- helpers ---------------------------------------------------------------------------------------------------

def _draft(base, images=2, results_per_image=1, bounty='0.05', budget='1.00', credit='1.00', quality=None,
           labels=('car', 'person')):
    """A fresh requester, credited, with a draft job of `images` PNGs of W x H: (requester, job, tasks)."""
    requester = e.register(base, 'requester')
    if money(credit) > 0:
        e.admin('credit', requester.email, credit)
    body = e.job_body(labels=list(labels), bounty=bounty, budget=budget, resultsPerImage=results_per_image)
    if quality is not None:
        body['quality'] = quality
    job = expect(requester.post('/api/jobs', json=body), 201)
    tasks = e.upload_pngs(requester, job['id'], [e.png(W, H) for _ in range(images)]) if images else []
    return requester, job, tasks


def _activate(requester, job_id):
    job = expect(requester.post(f'/api/jobs/{job_id}/activate'), 200)
    assert job['state'] == 'active', job
    return job


def _job(requester, job_id):
    return expect(requester.get(f'/api/jobs/{job_id}'), 200)


def _tasks(requester, job_id):
    """The job's tasks as the owner sees them, by id."""
    return {t['id']: t for t in expect(requester.get(f'/api/jobs/{job_id}/tasks?perPage=500'), 200)['items']}


def _mark(requester, job_id, task_id, boxes=(BOX_A,), nothing=False):
    return requester.request('PUT', f'/api/jobs/{job_id}/tasks/{task_id}/gold',
                             json={'boxes': list(boxes), 'nothingToMark': nothing})


def _take(tasker, job_id, status=201):
    return expect(tasker.post(f'/api/jobs/{job_id}/leases'), status)


def _hand_in(tasker, lease, boxes):
    return expect(tasker.post(f'/api/leases/{lease["id"]}/train', json={'boxes': list(boxes)}), 201)


def _trains(requester, job_id):
    return {t['id']: t for t in expect(requester.get(f'/api/jobs/{job_id}/trains?perPage=500'), 200)['items']}


def _wait(what, check, timeout=10.0):
    """Polls check() (a value, or None/False while not there yet) for up to `timeout` seconds."""
    deadline = time.time() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.time() < deadline, f'{what}: not seen within {timeout} s'
        time.sleep(0.2)


def _settled(requester, job_id, train_id, timeout=10.0):
    """The result once the quality thread (or anything) settled it."""
    return _wait(f'result {train_id} settled',
                 lambda: (lambda t: t if t['state'] != 'pending' else None)(_trains(requester, job_id)[train_id]),
                 timeout)


def _assessed(requester, job_id, task_id, results, timeout=10.0):
    """The image's consensus once the quality thread has assessed it with `results` results
    (the task shows the agreement it recorded)."""
    def check():
        c = expect(requester.get(f'/api/jobs/{job_id}/tasks/{task_id}/consensus'), 200)
        return c if c['resultCount'] == results and _tasks(requester, job_id)[task_id].get('agreement') is not None \
            else None
    return _wait(f'task {task_id} assessed with {results} results', check, timeout)


def _taskers(requester, job_id):
    return {row['taskerId']: row for row in expect(requester.get(f'/api/jobs/{job_id}/taskers'), 200)['items']}


def _block(requester, job_id, tasker_id, reason='Boxes too loose.', all_jobs=False):
    return expect(requester.post(f'/api/jobs/{job_id}/taskers/{tasker_id}/block',
                                 json={'reason': reason, 'allJobs': all_jobs}), 200)


def _quality_of(job):
    q = dict(job['quality'])
    q.setdefault('minResultsPerImage', None)
    return q


# --- 1. settings ------------------------------------------------------------------------------------------------

def test_quality_settings_default_change_and_refusals(base, db, admin_ready, new_user):
    requester, job, _ = _draft(base, images=1, results_per_image=3)
    jid = job['id']
    assert _quality_of(job) == QUALITY_DEFAULTS and job['goldImageCount'] == 0, job
    # Set at creation.
    body = e.job_body(resultsPerImage=4, quality={'minResultsPerImage': 2, 'autoReview': 'hold', 'iouThreshold': 0.6})
    made = expect(requester.post('/api/jobs', json=body), 201)
    assert _quality_of(made) == {**QUALITY_DEFAULTS, 'minResultsPerImage': 2, 'autoReview': 'hold',
                                 'iouThreshold': 0.6}, made
    # A tasker never sees the settings.
    _activate(requester, jid)
    tasker = new_user('tasker')
    seen = expect(tasker.get(f'/api/jobs/{jid}'), 200)
    assert 'quality' not in seen and 'goldImageCount' not in seen, seen

    # Thresholds, the gold rate and automatic review may change on an active job.
    change = {'iouThreshold': 0.75, 'agreementThreshold': 0.8, 'accuracyThreshold': 0.55, 'minGoldAnswers': 5,
              'autoReview': 'reject', 'goldRate': {'early': 5, 'earlyImages': 10, 'later': 50}}
    job = expect(requester.patch(f'/api/jobs/{jid}', json={'quality': change}), 200)
    want = {**QUALITY_DEFAULTS, **change}
    assert _quality_of(job) == want, job
    assert _quality_of(_job(requester, jid)) == want
    # Only goldRate.later: the rest of the rate stays.
    job = expect(requester.patch(f'/api/jobs/{jid}', json={'quality': {'goldRate': {'later': 40}}}), 200)
    want['goldRate'] = {'early': 5, 'earlyImages': 10, 'later': 40}
    assert _quality_of(job) == want, job

    # The number of results and the slots of gold images are the shape of the work: draft only.
    before = e.snapshot(db)
    for refused in ({'minResultsPerImage': 2}, {'goldAnswersPerImage': 10}):
        expect(requester.patch(f'/api/jobs/{jid}', json={'quality': refused}), 409, 'job_not_draft')
    # Values out of their rules: nothing changes.
    for bad in ({'iouThreshold': 0}, {'iouThreshold': 1.5}, {'iouThreshold': 0.333}, {'iouThreshold': -0.1},
                {'agreementThreshold': 1.01}, {'accuracyThreshold': 0.125}, {'minGoldAnswers': 0},
                {'goldRate': {'early': -1}}):
        expect(requester.patch(f'/api/jobs/{jid}', json={'quality': bad}), 422, 'invalid_job')
    expect(requester.patch(f'/api/jobs/{jid}', json={'quality': {'autoReview': 'maybe'}}), 422, 'invalid_value',
           echoed=('maybe',))
    for bad in ({'autoReview': 3}, {'iouThreshold': 'high'}, {'goldRate': 'often'}):
        expect(requester.patch(f'/api/jobs/{jid}', json={'quality': bad}), 400, 'wrong_type')
    expect(requester.patch(f'/api/jobs/{jid}', json={'quality': 'strict'}), 400, 'wrong_type')
    assert e.snapshot(db) == before
    assert _quality_of(_job(requester, jid)) == want

    # On a draft: minResultsPerImage from 1 to resultsPerImage, null for a fixed number.
    owner = e.register(base, 'requester')
    draft = expect(owner.post('/api/jobs', json=e.job_body(resultsPerImage=3)), 201)
    path = f'/api/jobs/{draft["id"]}'
    for bad in (0, 4, -1):
        expect(owner.patch(path, json={'quality': {'minResultsPerImage': bad}}), 422, 'invalid_job')
    expect(owner.patch(path, json={'quality': {'minResultsPerImage': 2.5}}), 400, 'wrong_type')
    expect(owner.post('/api/jobs', json=e.job_body(resultsPerImage=2, quality={'minResultsPerImage': 3})), 422,
           'invalid_job')
    # minResultsPerImage above a lowered resultsPerImage is refused too.
    expect(owner.patch(path, json={'quality': {'minResultsPerImage': 3}}), 200)
    expect(owner.patch(path, json={'resultsPerImage': 2}), 422)
    cleared = expect(owner.patch(path, json={'quality': {'minResultsPerImage': None}}), 200)
    assert _quality_of(cleared) == QUALITY_DEFAULTS, cleared
    got = expect(owner.patch(path, json={'quality': {'goldAnswersPerImage': 12, 'minResultsPerImage': 1}}), 200)
    assert (got['quality']['goldAnswersPerImage'], got['quality']['minResultsPerImage']) == (12, 1), got
    owner.close()


# --- 2. gold marking --------------------------------------------------------------------------------------------

def test_marking_gold_on_a_draft_and_on_an_active_job_moves_the_escrow(base, db, admin_ready, new_user):
    # A draft: no money moves; activation pays the gold image's gold answers.
    requester, job, tasks = _draft(base, images=2, bounty='0.05', budget='1.00', credit='1.00',
                                   quality={'goldAnswersPerImage': 3})
    jid = job['id']
    marked = expect(_mark(requester, jid, tasks[0]['id'], [BOX_A]), 200)
    assert marked['gold'] == {'boxes': [BOX_A], 'nothingToMark': False}, marked
    assert requester.balance() == money('1.00') and _job(requester, jid)['goldImageCount'] == 1
    job = _activate(requester, jid)
    assert (job['slotsFunded'], job['budgetLeft'], job['unfundedSlots'], job['goldImageCount']) == \
        (4, '0.20', 0, 1), job
    assert requester.balance() == money('0.80')
    assert {t: v['resultsWanted'] for t, v in _tasks(requester, jid).items()} == {tasks[0]['id']: 3, tasks[1]['id']: 1}
    # Unmarked on the active job (nobody had it): its 3 slots go back, it gets 1.
    plain = expect(requester.delete(f'/api/jobs/{jid}/tasks/{tasks[0]["id"]}/gold'), 200)
    assert plain.get('gold') is None and plain['resultsWanted'] == 1, plain
    job = _job(requester, jid)
    assert (job['slotsFunded'], job['budgetLeft'], job['goldImageCount']) == (2, '0.10', 0), job
    assert requester.balance() == money('0.90')
    e.audit_ok()

    # An active job: the image's one slot is given back, its 3 gold answers paid into escrow.
    requester, job, tasks = _draft(base, images=2, bounty='0.05', budget='1.00', credit='1.00',
                                   quality={'goldAnswersPerImage': 3})
    jid = job['id']
    job = _activate(requester, jid)
    assert (job['slotsFunded'], job['budgetLeft']) == (2, '0.10') and requester.balance() == money('0.90'), job
    gold = expect(_mark(requester, jid, tasks[1]['id'], [], nothing=True), 200)
    assert gold['gold'] == {'boxes': [], 'nothingToMark': True} and gold['resultsWanted'] == 3, gold
    job = _job(requester, jid)
    assert (job['slotsFunded'], job['budgetLeft'], job['unfundedSlots'], job['goldImageCount']) == \
        (4, '0.20', 0, 1), job
    assert requester.balance() == money('0.80') and e.escrow_balance(db, jid) == money('0.20')
    # Marked again with other boxes: the same slots.
    again = expect(_mark(requester, jid, tasks[1]['id'], [BOX_A, BOX_B]), 200)
    assert len(again['gold']['boxes']) == 2 and again['resultsWanted'] == 3, again
    assert _job(requester, jid)['budgetLeft'] == '0.20' and requester.balance() == money('0.80')
    e.audit_ok()


def test_refused_gold_marks_change_nothing(base, db, admin_ready, new_user):
    requester, job, tasks = _draft(base, images=3, bounty='0.05', budget='1.00', credit='1.00',
                                   quality={'goldAnswersPerImage': 2})
    jid = job['id']
    _activate(requester, jid)
    tasker = new_user('tasker')
    lease = _take(tasker, jid)  # the first image: a tasker has had it
    assert lease['taskId'] == tasks[0]['id'], lease
    other_requester, other_job, other_tasks = _draft(base, images=1, credit='0')
    before = e.snapshot(db)
    expect(_mark(requester, jid, tasks[0]['id']), 409, 'image_worked_on')
    expect(requester.delete(f'/api/jobs/{jid}/tasks/{tasks[0]["id"]}/gold'), 409, 'image_worked_on')
    tid = tasks[1]['id']
    for boxes, code in (([{**BOX_A, 'x': 60}], 'box_outside_image'), ([{**BOX_A, 'w': 0}], 'box_outside_image'),
                        ([{**BOX_A, 'x': -1}], 'box_outside_image'), ([{**BOX_A, 'label': 'dog'}], 'unknown_label'),
                        ([], 'empty_train')):
        expect(_mark(requester, jid, tid, boxes), 422, code, echoed=('dog',))
    expect(_mark(requester, jid, tid, [BOX_A], nothing=True), 422, 'boxes_with_nothing_to_mark')
    expect(requester.request('PUT', f'/api/jobs/{jid}/tasks/{tid}/gold', data='{"boxes": [',
                             headers={'Content-Type': 'application/json'}), 400)
    expect(requester.request('PUT', f'/api/jobs/{jid}/tasks/{tid}/gold', json={'boxes': 'car'}), (400, 422))
    # Another requester's job, an image of another job, no such image: 404.
    expect(_mark(other_requester, jid, tid), 404)
    expect(other_requester.delete(f'/api/jobs/{jid}/tasks/{tid}/gold'), 404)
    expect(_mark(requester, jid, other_tasks[0]['id']), 404)
    expect(_mark(requester, other_job['id'], other_tasks[0]['id']), 404)
    expect(_mark(requester, jid, 2_000_000_000), 404)
    # A tasker may not mark.
    expect(_mark(tasker, jid, tid), 403)
    expect(_mark(e.Client(base), jid, tid), 401)
    assert e.snapshot(db) == before
    assert all(t.get('gold') is None for t in _tasks(requester, jid).values())
    other_requester.close()
    e.audit_ok()


# --- 3. COCO import ---------------------------------------------------------------------------------------------

def _coco(images, annotations, categories=({'id': 1, 'name': 'car'}, {'id': 2, 'name': 'person'})):
    return {'images': images, 'annotations': annotations, 'categories': list(categories)}


def _export_name(task):
    return f'{task["id"]}_{task["sha256"][:12]}.png'


def _post_coco(requester, job_id, body):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return requester.post(f'/api/jobs/{job_id}/gold/coco', data=data, headers={'Content-Type': 'application/json'})


def test_coco_import_marks_gold_by_uploaded_name_and_by_export_name(base, db, admin_ready):
    requester, job, tasks = _draft(base, images=4, quality={'goldAnswersPerImage': 2})
    jid = job['id']
    t0, t1, t2, t3 = tasks
    assert t0['filename'] == 'img0000.png', t0
    body = _coco(
        images=[{'id': 10, 'file_name': t0['filename'], 'width': W, 'height': H},
                {'id': 11, 'file_name': _export_name(t1), 'width': W, 'height': H},
                {'id': 12, 'file_name': t2['filename']}],  # no annotation: nothing to mark
        annotations=[{'id': 1, 'image_id': 10, 'category_id': 1, 'bbox': [8, 8, 20, 16], 'area': 320, 'iscrowd': 0},
                     {'id': 2, 'image_id': 10, 'category_id': 2, 'bbox': [40.5, 28, 20, 16.25]},
                     {'id': 3, 'image_id': 11, 'category_id': 2, 'bbox': [1, 1, 10, 10]}])
    answer = expect(_post_coco(requester, jid, body), 200)
    assert answer['marked'] == 3 and sorted(t['id'] for t in answer['images']) == [t0['id'], t1['id'], t2['id']], answer
    got = _tasks(requester, jid)

    def boxes(task_id):
        return sorted((b['x'], b['y'], b['w'], b['h'], b['label']) for b in got[task_id]['gold']['boxes'])
    assert boxes(t0['id']) == [(8, 8, 20, 16, 'car'), (40.5, 28, 20, 16.25, 'person')]
    assert boxes(t1['id']) == [(1, 1, 10, 10, 'person')] and got[t1['id']]['gold']['nothingToMark'] is False
    assert got[t2['id']]['gold'] == {'boxes': [], 'nothingToMark': True}, got[t2['id']]
    assert got[t3['id']].get('gold') is None
    assert _job(requester, jid)['goldImageCount'] == 3
    # The import activates like any gold image: 3 gold images x 2 answers + 1 image x 1 result.
    job = _activate(requester, jid)
    assert (job['slotsFunded'], job['budgetLeft']) == (7, '0.35'), job
    e.audit_ok()


def test_refused_coco_imports_change_nothing(base, db, admin_ready):
    requester, job, tasks = _draft(base, images=2, quality={'goldAnswersPerImage': 2})
    jid = job['id']
    t0 = tasks[0]
    good_image = {'id': 1, 'file_name': t0['filename'], 'width': W, 'height': H}
    good_ann = {'id': 1, 'image_id': 1, 'category_id': 1, 'bbox': [8, 8, 20, 16]}
    cases = [
        (_coco([{**good_image, 'file_name': 'nope.png'}], []), 'coco_unknown_image'),
        (_coco([good_image], [{**good_ann, 'image_id': 99}]), 'coco_unknown_image'),
        (_coco([good_image], [good_ann], categories=[{'id': 1, 'name': 'dog'}]), 'coco_unknown_category'),
        (_coco([good_image], [{**good_ann, 'category_id': 7}]), 'coco_unknown_category'),
        (_coco([{**good_image, 'width': W + 1}], [good_ann]), 'coco_image_size'),
        (_coco([good_image], [{**good_ann, 'bbox': [8, 8, 20]}]), 'coco_invalid_box'),
        (_coco([good_image], [{**good_ann, 'bbox': [50, 8, 20, 16]}]), ('coco_invalid_box', 'box_outside_image')),
        (_coco([good_image], [{**good_ann, 'bbox': [8, 8, 0, 16]}]), ('coco_invalid_box', 'box_outside_image')),
        (_coco([], []), 'coco_empty'),
        ({'images': [good_image], 'annotations': []}, 'coco_invalid'),  # no categories
        ({'images': 'all'}, 'coco_invalid'),
        ('this is not json', 'coco_invalid'),
        (b'\xff\xfe{', 'coco_invalid'),
        ('[1, 2, 3]', 'coco_invalid'),
    ]
    # A good image among bad ones: all or none.
    cases.append((_coco([good_image, {'id': 2, 'file_name': 'missing.png'}], [good_ann]), 'coco_unknown_image'))
    other = e.register(base, 'requester')
    before = e.snapshot(db)
    for body, code in cases:
        r = _post_coco(requester, jid, body)
        expect(r, 422, code, echoed=('nope.png', 'missing.png', 'dog', 'this is not json'))
    expect(requester.post(f'/api/jobs/{jid}/gold/coco'), 400)  # no body
    expect(_post_coco(other, jid, _coco([good_image], [good_ann])), 404)
    other.close()
    assert e.snapshot(db) == before
    assert all(t.get('gold') is None for t in _tasks(requester, jid).values())
    assert _job(requester, jid)['goldImageCount'] == 0


# --- 4. what a tasker sees --------------------------------------------------------------------------------------

def test_a_tasker_never_sees_that_an_image_is_gold(base, db, admin_ready, new_user):
    requester, job, tasks = _draft(base, images=2, quality={'goldAnswersPerImage': 2, 'goldRate': ALWAYS_GOLD})
    jid = job['id']
    expect(_mark(requester, jid, tasks[1]['id'], [BOX_A]), 200)
    _activate(requester, jid)
    tasker = new_user('tasker')
    gold_lease = _take(tasker, jid)
    assert gold_lease['taskId'] == tasks[1]['id'], 'the first image of a tasker at this gold rate is the gold one'
    seen = expect(tasker.get(f'/api/tasks/{gold_lease["taskId"]}'), 200)
    assert not OWNER_TASK_FIELDS & set(seen), seen
    assert 'gold' not in json.dumps(seen).lower(), seen
    _hand_in(tasker, gold_lease, [NEAR_A])
    plain_lease = _take(tasker, jid)
    assert plain_lease['taskId'] == tasks[0]['id'], plain_lease
    plain_seen = expect(tasker.get(f'/api/tasks/{plain_lease["taskId"]}'), 200)
    assert set(plain_seen) == set(seen), (plain_seen, seen)

    def shape(value):
        return {k: shape(v) for k, v in value.items()} if isinstance(value, dict) else type(value).__name__
    assert shape(gold_lease) == shape(plain_lease), (gold_lease, plain_lease)
    assert gold_lease['bounty'] == plain_lease['bounty'] and gold_lease['labels'] == plain_lease['labels']
    assert expect(tasker.get(f'/api/leases/{gold_lease["id"]}'), 200).keys() == plain_lease.keys()
    # The owner sees it.
    owner_view = expect(requester.get(f'/api/tasks/{tasks[1]["id"]}'), 200)
    assert owner_view['gold']['boxes'] and owner_view['resultsWanted'] == 2, owner_view


# --- 5. gold answers scored, accuracy ---------------------------------------------------------------------------

def test_gold_answers_are_scored_and_the_tasker_sees_the_failed_check(base, db, admin_ready, new_users):
    requester, job, tasks = _draft(base, images=2, bounty='0.10', budget='1.00', credit='1.00',
                                   quality={'goldAnswersPerImage': 2, 'goldRate': ALWAYS_GOLD})
    jid = job['id']
    gold_id = tasks[0]['id']
    expect(_mark(requester, jid, gold_id, [BOX_A]), 200)
    _activate(requester, jid)
    good, bad = new_users('tasker', 2)
    lease = _take(good, jid)
    assert lease['taskId'] == gold_id, lease
    right = _hand_in(good, lease, [NEAR_A])
    # (While the quality thread assesses the image it holds it locked, and a take passes over
    # it: the gold image would come later. Wait for the assessment, so that it comes now.)
    right = _settled(requester, jid, right['id'])
    assert right['state'] == 'approved', right
    lease = _take(bad, jid)
    assert lease['taskId'] == gold_id, lease
    wrong = _hand_in(bad, lease, [BOX_B])
    assert wrong['state'] == 'pending'

    wrong = _settled(requester, jid, wrong['id'])
    assert wrong['state'] == 'rejected' and wrong['rejectReason'].startswith('This image was a quality check'), wrong
    assert 'missed 1 of 1' in wrong['rejectReason'], wrong
    assert good.balance() == money('0.10') and bad.balance() == 0
    mine = expect(bad.get('/api/me/results?state=rejected'), 200)['items']
    assert [r['rejectReason'] for r in mine] == [wrong['rejectReason']], mine

    acc = expect(bad.get('/api/me/accuracy'), 200)
    assert (acc['goldAnswers'], acc['accuracy']) == (1, 0), acc
    assert [(j['jobId'], j['goldAnswers'], j['accuracy'], j.get('blockedReason')) for j in acc['jobs']] == \
        [(jid, 1, 0, None)], acc
    (check,) = acc['failedChecks']
    assert (check['trainId'], check['jobId'], check['taskId'], check['imageUrl'], check['score']) == \
        (wrong['id'], jid, gold_id, f'/api/tasks/{gold_id}/image', 0), check
    assert (check['precision'], check['recall']) == (0, 0), check
    assert [(b['x'], b['y'], b['w'], b['h'], b['label']) for b in check['missed']] == [(8, 8, 20, 16, 'car')], check
    assert [(b['x'], b['y'], b['w'], b['h'], b['label']) for b in check['extra']] == [(40, 28, 20, 16, 'car')], check
    acc = expect(good.get('/api/me/accuracy'), 200)
    assert (acc['goldAnswers'], acc['accuracy'], acc['failedChecks']) == (1, 1, []), acc
    # A requester has no accuracy of their own; the taskers table has both.
    expect(requester.get('/api/me/accuracy'), 403)
    rows = _taskers(requester, jid)
    assert (rows[good.id]['goldAnswers'], rows[good.id]['accuracy'], rows[good.id]['approved']) == (1, 1, 1), rows
    assert (rows[bad.id]['goldAnswers'], rows[bad.id]['accuracy'], rows[bad.id]['rejected']) == (1, 0, 1), rows
    assert rows[bad.id].get('blocked') is None, rows
    # The gold image's slot that the rejection freed can be taken by another tasker; the bad one never gets it again.
    assert _take(bad, jid)['taskId'] == tasks[1]['id']
    e.audit_ok()


# --- 6. blocks ----------------------------------------------------------------------------------------------------

def test_a_tasker_below_the_accuracy_threshold_is_blocked_and_unblocked(base, db, admin_ready, new_user):
    quality = {'goldAnswersPerImage': 2, 'goldRate': ALWAYS_GOLD, 'minGoldAnswers': 2, 'accuracyThreshold': 0.7}
    requester, job, tasks = _draft(base, images=5, bounty='0.05', budget='2.00', credit='2.00', quality=quality)
    jid = job['id']
    _activate(requester, jid)
    tasker = new_user('tasker')
    # An ordinary result first (no image is gold yet), pending.
    first = _hand_in(tasker, _take(tasker, jid), [BOX_A])
    assert first['taskId'] == tasks[0]['id'], first
    # Then two images become gold (nobody had them) and the tasker answers both wrongly.
    for t in tasks[3:5]:
        expect(_mark(requester, jid, t['id'], [BOX_A]), 200)
    answers = []
    for _ in range(2):
        lease = _take(tasker, jid)
        assert lease['taskId'] in (tasks[3]['id'], tasks[4]['id']), lease
        answers.append(_hand_in(tasker, lease, [BOX_B]))
    _wait('the tasker blocked', lambda: (_taskers(requester, jid)[tasker.id].get('blocked') or None))
    row = _taskers(requester, jid)[tasker.id]
    assert row['blocked']['byRequester'] is False and row['blocked']['allJobs'] is False, row
    assert row['accuracy'] == 0 and row['goldAnswers'] == 2, row
    reason = row['blocked']['reason']
    assert 'accuracy' in reason and '70%' in reason, reason
    expect(tasker.post(f'/api/jobs/{jid}/leases'), 403, 'blocked')
    trains = _trains(requester, jid)
    assert trains[first['id']]['state'] == 'rejected' and trains[first['id']]['rejectReason'] == reason, trains
    for a in answers:
        assert trains[a['id']]['state'] == 'rejected', trains
        assert trains[a['id']]['rejectReason'].startswith('This image was a quality check'), trains
    acc = expect(tasker.get('/api/me/accuracy'), 200)
    assert [(j['jobId'], j['blockedReason']) for j in acc['jobs']] == [(jid, reason)], acc
    assert len(acc['failedChecks']) == 2, acc
    e.audit_ok()
    # The requester gives them another chance.
    assert expect(requester.delete(f'/api/jobs/{jid}/taskers/{tasker.id}/block'), 204) is None
    assert _taskers(requester, jid)[tasker.id].get('blocked') is None
    lease = _take(tasker, jid)
    assert lease['taskId'] in (tasks[1]['id'], tasks[2]['id']), lease
    e.audit_ok()


def test_a_requester_blocks_a_tasker_with_a_live_lease(base, db, admin_ready, new_users):
    requester, job, tasks = _draft(base, images=3, bounty='0.05', budget='0.15', credit='0.30')
    jid = job['id']
    _activate(requester, jid)
    bad, other = new_users('tasker', 2)
    done = _hand_in(bad, _take(bad, jid), [BOX_A])
    live = _take(bad, jid)
    assert (done['taskId'], live['taskId']) == (tasks[0]['id'], tasks[1]['id'])
    reason = 'You mark the wrong things.'
    # Bad blocks: no reason, a stranger, a tasker.
    stranger = e.register(base, 'requester')
    before = e.snapshot(db)
    for body in ({}, {'reason': '   '}):
        expect(requester.post(f'/api/jobs/{jid}/taskers/{bad.id}/block', json=body), 422, 'reason_required')
    expect(stranger.post(f'/api/jobs/{jid}/taskers/{bad.id}/block', json={'reason': 'x'}), 404)
    expect(bad.post(f'/api/jobs/{jid}/taskers/{other.id}/block', json={'reason': 'x'}), 403)
    stranger.close()
    assert e.snapshot(db) == before

    outcome = _block(requester, jid, bad.id, reason)
    assert outcome == {'allJobs': False, 'leasesEnded': 1, 'resultsRejected': 1}, outcome
    expect(bad.post(f'/api/leases/{live["id"]}/train', json={'boxes': [BOX_A]}), 409)
    expect(bad.post(f'/api/jobs/{jid}/leases'), 403, 'blocked')
    trains = _trains(requester, jid)
    assert (trains[done['id']]['state'], trains[done['id']]['rejectReason']) == ('rejected', reason), trains
    row = _taskers(requester, jid)[bad.id]
    assert row['blocked']['byRequester'] is True and row['blocked']['reason'] == reason, row
    assert bad.balance() == 0
    # Both images' slots are offered again: the other tasker gets all three images.
    got = sorted(_hand_in(other, _take(other, jid), [BOX_A])['taskId'] for _ in range(3))
    assert got == sorted(t['id'] for t in tasks), got
    expect(other.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')
    assert e.escrow_balance(db, jid) == money('0.15')
    e.audit_ok()

    # All the requester's jobs: another job of theirs refuses the tasker too, until unblocked in that scope.
    second = expect(requester.post('/api/jobs', json=e.job_body(bounty='0.05', budget='0.10', resultsPerImage=1)), 201)
    e.upload_pngs(requester, second['id'], [e.png(W, H), e.png(W, H)])
    _activate(requester, second['id'])
    lease2 = _take(bad, second['id'])
    expect(requester.delete(f'/api/jobs/{jid}/taskers/{bad.id}/block'), 204)
    outcome = _block(requester, jid, bad.id, 'Not for me.', all_jobs=True)
    assert outcome == {'allJobs': True, 'leasesEnded': 1, 'resultsRejected': 0}, outcome
    expect(bad.post(f'/api/leases/{lease2["id"]}/train', json={'boxes': [BOX_A]}), 409)
    for j in (jid, second['id']):
        expect(bad.post(f'/api/jobs/{j}/leases'), 403, 'blocked')
    assert _taskers(requester, jid)[bad.id]['blocked']['allJobs'] is True
    expect(requester.delete(f'/api/jobs/{jid}/taskers/{bad.id}/block'), 204)  # the job scope: nothing to lift
    expect(bad.post(f'/api/jobs/{second["id"]}/leases'), 403, 'blocked')
    expect(requester.delete(f'/api/jobs/{second["id"]}/taskers/{bad.id}/block?allJobs=true'), 204)
    # Lifted: the tasker works there again (on the other image: the one whose lease ended is not theirs again).
    assert _take(bad, second['id'])['taskId'] != lease2['taskId']
    e.audit_ok()


# --- 7. consensus and automatic review ----------------------------------------------------------------------------

def _three_answers(base, new_users, auto_review):
    requester, job, tasks = _draft(base, images=1, results_per_image=3, bounty='0.05', budget='0.15', credit='0.15',
                                   quality={'autoReview': auto_review})
    jid = job['id']
    _activate(requester, jid)
    taskers = new_users('tasker', 3)
    trains = [_hand_in(t, _take(t, jid), [box]) for t, box in zip(taskers, (BOX_A, NEAR_A, BOX_B))]
    return requester, jid, tasks[0]['id'], taskers, trains


def test_consensus_and_auto_review_reject(base, db, admin_ready, new_users):
    requester, jid, tid, taskers, (a, b, odd) = _three_answers(base, new_users, 'reject')
    # Two of the three agree: the image is reviewed as soon as its third result is in.
    trains = {t: _settled(requester, jid, t) for t in (a['id'], b['id'], odd['id'])}
    assert trains[a['id']]['state'] == trains[b['id']]['state'] == 'approved', trains
    assert trains[odd['id']]['state'] == 'rejected' and trains[odd['id']]['rejectReason'], trains
    assert trains[odd['id']]['agreementNote'] and trains[odd['id']]['agreement'] < 0.7, trains[odd['id']]
    assert 'missed 1 of 1 object' in trains[odd['id']]['agreementNote'], trains[odd['id']]
    assert trains[a['id']]['agreement'] > 0.9 and trains[b['id']]['agreement'] > 0.9, trains
    # The rejected result no longer counts: the consensus stands on the two that agree.
    c = _assessed(requester, jid, tid, 2)
    assert c['taskId'] == tid and c['resultCount'] == 2, c
    (box,) = c['boxes']
    assert box['label'] == 'car' and abs(box['x'] - 8) <= 1 and abs(box['y'] - 8) <= 1, box
    assert sorted(box['trainIds']) == sorted([a['id'], b['id']]) and box['share'] == 1, box
    assert {r['trainId'] for r in c['results']} == {a['id'], b['id']}, c
    assert 0.9 < c['agreement'] <= 1, c
    assert _wait('qualityDone', lambda: _tasks(requester, jid)[tid]['qualityDone'])
    assert [t.balance() for t in taskers] == [money('0.05'), money('0.05'), 0]
    # The consensus is read by the owner only.
    expect(taskers[0].get(f'/api/jobs/{jid}/tasks/{tid}/consensus'), 403)
    e.audit_ok()


def test_auto_review_hold_leaves_the_odd_result_pending(base, db, admin_ready, new_users):
    requester, jid, tid, taskers, (a, b, odd) = _three_answers(base, new_users, 'hold')
    _settled(requester, jid, a['id'])
    _settled(requester, jid, b['id'])
    _wait('qualityDone', lambda: _tasks(requester, jid)[tid]['qualityDone'])
    time.sleep(1.5)  # the quality thread had its chance
    trains = _trains(requester, jid)
    assert [trains[t]['state'] for t in (a['id'], b['id'], odd['id'])] == ['approved', 'approved', 'pending'], trains
    assert trains[odd['id']]['agreementNote'], trains[odd['id']]
    e.audit_ok()


# --- 8. adaptive redundancy ---------------------------------------------------------------------------------------

def test_adaptive_redundancy_agreeing_results_finish_an_image_with_two(base, db, admin_ready, new_users):
    requester, job, tasks = _draft(base, images=1, results_per_image=4, bounty='0.05', budget='0.20', credit='0.20',
                                   quality={'minResultsPerImage': 2})
    jid = job['id']
    tid = tasks[0]['id']
    job = _activate(requester, jid)
    assert (job['slotsFunded'], job['budgetLeft']) == (4, '0.20'), job
    task = _tasks(requester, jid)[tid]
    assert (task['resultsWanted'], task['heldSlots']) == (4, 2), task
    t1, t2, t3 = new_users('tasker', 3)
    _hand_in(t1, _take(t1, jid), [BOX_A])
    _hand_in(t2, _take(t2, jid), [NEAR_A])
    task = _wait('the image done', lambda: (lambda t: t if t['qualityDone'] else None)(_tasks(requester, jid)[tid]))
    assert task['agreement'] >= 0.7 and task['heldSlots'] == 2 and task['trainCount'] == 2, task
    expect(t3.post(f'/api/jobs/{jid}/leases'), 404, 'no_work')
    # Finishing gives back the two held slots; the two pending bounties stay in escrow.
    job = expect(requester.post(f'/api/jobs/{jid}/finish'), 200)
    assert (job['state'], job['budgetLeft']) == ('finished', '0.10'), job
    task = _tasks(requester, jid)[tid]
    assert (task['heldSlots'], task['resultsWanted']) == (0, 2), task
    assert requester.balance() == money('0.10') and e.escrow_balance(db, jid) == money('0.10')
    e.audit_ok()


def test_adaptive_redundancy_offers_one_more_slot_while_results_disagree(base, db, admin_ready, new_users):
    requester, job, tasks = _draft(base, images=1, results_per_image=4, bounty='0.05', budget='0.20', credit='0.20',
                                   quality={'minResultsPerImage': 2})
    jid = job['id']
    tid = tasks[0]['id']
    _activate(requester, jid)
    taskers = new_users('tasker', 5)
    spots = [BOX_A, BOX_B, {**BOX_A, 'x': 40, 'y': 2}, {**BOX_A, 'x': 2, 'y': 30}]
    _hand_in(taskers[0], _take(taskers[0], jid), [spots[0]])
    _hand_in(taskers[1], _take(taskers[1], jid), [spots[1]])
    for n in (3, 4):
        # The results disagree: one held slot is offered, and one more tasker can take the image.
        task = _wait(f'slot {n} offered', lambda: (lambda t: t if t['heldSlots'] == 4 - n else None)(
            _tasks(requester, jid)[tid]))
        assert task['resultsWanted'] == 4 and not task['qualityDone'], task
        lease = _take(taskers[n - 1], jid)
        assert lease['taskId'] == tid
        _hand_in(taskers[n - 1], lease, [spots[n - 1]])
    task = _wait('the image done', lambda: (lambda t: t if t['qualityDone'] else None)(_tasks(requester, jid)[tid]))
    assert (task['trainCount'], task['heldSlots'], task['resultsWanted']) == (4, 0, 4), task
    expect(taskers[4].post(f'/api/jobs/{jid}/leases'), 404, 'no_work')
    assert e.query_one(db, 'SELECT COUNT(*) AS n FROM trains WHERE task_id = %s', tid)['n'] == 4
    job = _job(requester, jid)
    assert (job['trainCount'], job['budgetLeft'], job['pendingCount']) == (4, '0.20', 4), job
    e.audit_ok()

