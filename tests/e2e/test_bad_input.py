"""Bad input, refused requests: each answers the right status with a JSON body
{"error": {"code", "message"}} whose message holds no SQL, no server path and no stack
trace, and changes NOTHING in the database (row counts of every table, the sum and spread
of the balances, slots and states are compared before and after)."""
import base64
import collections
import hashlib
import json
import os
import uuid
from types import SimpleNamespace

import pytest

import e2e_lib as e
from e2e_lib import expect

MB = 1024 * 1024


@pytest.fixture(scope='module')
def world(base, db, admin_ready):
    """Shared by the cases of this module (they change nothing): two requesters, three
    taskers and their jobs, tasks and leases."""
    w = SimpleNamespace()
    w.anon = e.Client(base)
    setup = e.requester_with_active_job(base, images=2, results_per_image=2, bounty='0.05', budget='0.20',
                                        labels=('car', 'person'), width=64, height=48)
    w.req = setup.requester
    e.admin('credit', w.req.email, '3.00')  # a requester with money left over
    draft = expect(w.req.post('/api/jobs', json=e.job_body(budget='1.00')), 201)
    e.upload_pngs(w.req, draft['id'], [e.png(20, 20)])
    # A draft whose budget does not cover one bounty, and a finished job.
    thin = expect(w.req.post('/api/jobs', json=e.job_body(bounty='0.05', budget='0.04')), 201)
    finished = expect(w.req.post('/api/jobs', json=e.job_body(bounty='0.05', budget='0.05')), 201)
    e.upload_pngs(w.req, finished['id'], [e.png(20, 20)])
    expect(w.req.post(f'/api/jobs/{finished["id"]}/activate'), 200)
    expect(w.req.post(f'/api/jobs/{finished["id"]}/finish'), 200)
    w.other_req = e.register(base, 'requester')
    other_draft = expect(w.other_req.post('/api/jobs', json=e.job_body(budget='1.00')), 201)
    e.upload_pngs(w.other_req, other_draft['id'], [e.png(20, 20)])
    w.t1, w.t2, w.t3 = e.register_many(base, 'tasker', 3)
    lease = expect(w.t1.post(f'/api/jobs/{setup.id}/leases'), 201)
    released = expect(w.t2.post(f'/api/jobs/{setup.id}/leases'), 201)
    assert lease['taskId'] == released['taskId'] == setup.tasks[0]['id']
    assert w.t2.delete(f'/api/leases/{released["id"]}').status_code == 204
    w.ids = dict(job=setup.id, draft=draft['id'], other_draft=other_draft['id'], thin_draft=thin['id'],
                 finished=finished['id'], task=setup.tasks[0]['id'],
                 task2=setup.tasks[1]['id'], lease=lease['id'], released=released['id'])
    w.lease = lease
    yield w
    for c in (w.anon, w.req, w.other_req, w.t1, w.t2, w.t3):
        c.close()


Case = collections.namedtuple('Case', 'id who method path kwargs status code check', defaults=(None, None))


def J(obj):
    return lambda: {'json': obj}


def RAW(data, ctype='application/json'):
    return lambda: {'data': data() if callable(data) else data, 'headers': {'Content-Type': ctype}}


def NONE():
    return {}


def without(d, *keys):
    return {k: v for k, v in d.items() if k not in keys}


def allow(*methods):
    def check(resp):
        header = resp.headers.get('Allow')
        assert header, f'405 without an Allow header: {resp.headers}'
        allowed = {m.strip().upper() for m in header.split(',')}
        assert set(methods) <= allowed and resp.request.method not in allowed, (header, methods)
    return check


BOX = {'x': 1, 'y': 2, 'w': 10, 'h': 10, 'label': 'car'}
JOB = e.job_body(name='refused-job')


def box(**over):
    return {**BOX, **over}


def png_padded(size):
    return lambda: (lambda p: p + b'\0' * (size - len(p)))(e.png(16, 16))


def multipart(*files):
    return lambda: {'files': [('file', f() if callable(f) else f) for f in files]}


def big_job():
    return json.dumps(e.job_body(description='x' * (2 * MB)))


def message(text):
    def check(resp):
        assert resp.json()['error']['message'] == text, resp.text
    return check


# An image refused by a finished job: its file must not stay on disk either.
REFUSED_PNG = e.png(17, 13)


def file_not_stored(data):
    def check(resp):
        digest = hashlib.sha256(data).hexdigest()
        path = os.path.join(e.config()['dataDirectory'], 'images', digest[:2], digest)
        assert not os.path.exists(path), f'a refused upload left {path}'
    return check


CASES = [
    # --- malformed JSON: 400 -------------------------------------------------------------
    Case('json-register', 'anon', 'POST', '/api/auth/register', RAW('{"email": "a@b.co", "password": '), 400, 'malformed_json'),
    Case('json-login', 'anon', 'POST', '/api/auth/login', RAW('{"email": '), 400, 'malformed_json'),
    Case('json-job', 'req', 'POST', '/api/jobs', RAW('{"name": "x",, }'), 400, 'malformed_json'),
    Case('json-job-patch', 'req', 'PATCH', '/api/jobs/{draft}', RAW('[1, 2'), 400, 'malformed_json'),
    Case('json-train', 't1', 'POST', '/api/leases/{lease}/train', RAW('{"boxes": ['), 400, 'malformed_json'),
    Case('json-train-trailing', 't1', 'POST', '/api/leases/{lease}/train',
         RAW(json.dumps({'boxes': [BOX]}) + ' trailing'), 400, 'malformed_json'),
    Case('json-payout', 't1', 'POST', '/api/payouts', RAW('{"amount": "0.10", "address": }'), 400, 'malformed_json'),
    Case('json-not-utf8', 'req', 'POST', '/api/jobs', RAW(b'{"name": "\xff\xfe", "title": "t"}'), 400),
    Case('json-empty-body', 'req', 'POST', '/api/jobs', RAW(''), 400),
    Case('json-null', 'req', 'POST', '/api/jobs', RAW('null'), 400),
    # --- wrong types: 400 -----------------------------------------------------------------
    Case('type-email-number', 'anon', 'POST', '/api/auth/register', J({'email': 5, 'password': 'longenough1'}), 400),
    Case('type-password-list', 'anon', 'POST', '/api/auth/register', J({'email': 'x@e2e.example.com', 'password': ['x']}), 400),
    Case('type-role-number', 'anon', 'POST', '/api/auth/register',
         J({'email': 'x@e2e.example.com', 'password': 'longenough1', 'role': 7}), 400),
    Case('type-labels-string', 'req', 'POST', '/api/jobs', J({**JOB, 'labels': 'car'}), 400),
    Case('type-labels-numbers', 'req', 'POST', '/api/jobs', J({**JOB, 'labels': [1, 2]}), 400),
    Case('type-results-string', 'req', 'POST', '/api/jobs', J({**JOB, 'resultsPerImage': 'three'}), 400),
    Case('type-results-fraction', 'req', 'POST', '/api/jobs', J({**JOB, 'resultsPerImage': 2.5}), 400, 'wrong_type'),
    Case('type-results-2-to-63', 'req', 'POST', '/api/jobs', J({**JOB, 'resultsPerImage': 2 ** 63}), 400, 'wrong_type'),
    Case('type-bounty-bool', 'req', 'POST', '/api/jobs', J({**JOB, 'bounty': True}), 400),
    Case('type-budget-object', 'req', 'POST', '/api/jobs', J({**JOB, 'budget': {'a': 1}}), 400),
    # A string that is not an ISO 8601 time: a bad value (docs/API.md: 422) or malformed (400).
    Case('type-start-time', 'req', 'POST', '/api/jobs', J({**JOB, 'startTime': 'tomorrow'}), (400, 422)),
    Case('type-job-array', 'req', 'POST', '/api/jobs', J([JOB]), 400, 'wrong_type', message('The body must be an object.')),
    Case('type-patch-title', 'req', 'PATCH', '/api/jobs/{draft}', J({'title': 12}), 400),
    Case('type-boxes-string', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': 'car'}), 400),
    # Numbers may come as numeric strings, so a non-numeric one is a bad value or malformed.
    Case('type-box-x-text', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [box(x='abc')]}), (400, 422)),
    # A JSON type that is neither a number nor a string is a wrong type: 400.
    Case('type-box-x-bool', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [box(x=True)]}), 400),
    Case('type-box-w-object', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [box(w={'v': 3})]}), 400),
    Case('type-box-x-null', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [box(x=None)]}), 400),
    Case('type-box-x-inf', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [box(x='inf')]}), (400, 422)),
    Case('type-box-array', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [[1, 2, 3, 4]]}), 400),
    Case('type-box-label-number', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [box(label=3)]}), 400),
    Case('type-nothing-to-mark', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [BOX], 'nothingToMark': 'yes'}), 400),
    Case('type-payout-amount', 't1', 'POST', '/api/payouts', J({'amount': [1], 'address': 'W1'}), 400),
    Case('type-payout-amount-bool', 't1', 'POST', '/api/payouts', J({'amount': True, 'address': 'W1'}), 400),
    Case('type-payout-amount-null', 't1', 'POST', '/api/payouts', J({'amount': None, 'address': 'W1'}), 400),
    Case('type-payout-address', 't1', 'POST', '/api/payouts', J({'amount': '0.10', 'address': 123}), 400),
    # --- missing fields: 400 ----------------------------------------------------------------
    Case('missing-password', 'anon', 'POST', '/api/auth/register', J({'email': 'm@e2e.example.com'}), 400),
    Case('missing-email', 'anon', 'POST', '/api/auth/register', J({'password': 'longenough1'}), 400),
    Case('missing-everything', 'anon', 'POST', '/api/auth/register', J({}), 400),
    Case('missing-login-password', 'anon', 'POST', '/api/auth/login', J({'email': 'm@e2e.example.com'}), 400),
    Case('missing-job-name', 'req', 'POST', '/api/jobs', J(without(JOB, 'name')), 400),
    Case('missing-job-title', 'req', 'POST', '/api/jobs', J(without(JOB, 'title')), 400),
    Case('missing-job-bounty', 'req', 'POST', '/api/jobs', J(without(JOB, 'bounty')), 400),
    Case('missing-job-budget', 'req', 'POST', '/api/jobs', J(without(JOB, 'budget')), 400),
    Case('missing-payout-amount', 't1', 'POST', '/api/payouts', J({'address': 'W1'}), 400),
    Case('missing-payout-address', 't1', 'POST', '/api/payouts', J({'amount': '0.10'}), 400),
    Case('missing-box-h', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [without(BOX, 'h')]}), 400),
    # --- unknown routes: 404 --------------------------------------------------------------------
    Case('route-unknown', 'req', 'GET', '/api/nope', NONE, 404),
    Case('route-unknown-tail', 'req', 'GET', '/api/jobs/{job}/nonsense', NONE, 404),
    Case('route-too-long', 't1', 'POST', '/api/jobs/{job}/leases/extra', NONE, 404),
    Case('route-v2', 'anon', 'GET', '/api/v2/jobs', NONE, 404),
    Case('route-id-text', 'req', 'GET', '/api/jobs/abc', NONE, 404),
    Case('route-id-zero', 'req', 'GET', '/api/jobs/0', NONE, 404),
    Case('route-id-negative', 'req', 'GET', '/api/jobs/-1', NONE, 404),
    Case('route-id-overflow', 'req', 'GET', '/api/jobs/99999999999999999999999', NONE, 404),
    Case('route-id-fraction', 't1', 'GET', '/api/leases/1.5', NONE, 404),
    Case('route-id-missing-job', 'req', 'GET', '/api/jobs/987654321', NONE, 404),
    # --- wrong methods: 405 with Allow -------------------------------------------------------------
    Case('method-put-jobs', 'req', 'PUT', '/api/jobs', J(JOB), 405, 'method_not_allowed', allow('GET', 'POST')),
    Case('method-delete-job', 'req', 'DELETE', '/api/jobs/{job}', NONE, 405, None, allow('GET', 'PATCH')),
    Case('method-get-login', 'anon', 'GET', '/api/auth/login', NONE, 405, None, allow('POST')),
    Case('method-patch-lease', 't1', 'PATCH', '/api/leases/{lease}', J({}), 405, None, allow('GET', 'DELETE')),
    Case('method-get-train', 't1', 'GET', '/api/leases/{lease}/train', NONE, 405, None, allow('POST')),
    Case('method-delete-payouts', 't1', 'DELETE', '/api/payouts', NONE, 405, None, allow('GET', 'POST')),
    Case('method-post-image', 'req', 'POST', '/api/tasks/{task}/image', NONE, 405, None, allow('GET')),
    Case('method-delete-me', 'anon', 'DELETE', '/api/me', NONE, 405, None, allow('GET')),
    Case('method-put-images', 'req', 'PUT', '/api/jobs/{draft}/images', RAW(e.png(), 'image/png'), 405, None, allow('POST')),
    # --- too large: 413 -------------------------------------------------------------------------------
    Case('large-30mb-image', 'req', 'POST', '/api/jobs/{draft}/images', RAW(png_padded(30 * MB), 'image/png'), 413, 'too_large'),
    Case('large-21mb-image', 'req', 'POST', '/api/jobs/{draft}/images', RAW(png_padded(21 * MB), 'image/png'), 413, 'too_large'),
    Case('large-21mb-multipart', 'req', 'POST', '/api/jobs/{draft}/images',
         multipart(lambda: ('big.png', png_padded(21 * MB)(), 'image/png')), 413, 'too_large'),
    Case('large-2mb-job', 'req', 'POST', '/api/jobs', RAW(big_job), 413, 'too_large'),
    Case('large-2mb-register', 'anon', 'POST', '/api/auth/register',
         RAW(lambda: json.dumps({'email': 'big@e2e.example.com', 'password': 'p' * (2 * MB)})), 413),
    Case('large-2mb-train', 't1', 'POST', '/api/leases/{lease}/train',
         RAW(lambda: json.dumps({'boxes': [BOX] * 40000})), 413),
    # --- not an image: 415 (and nothing stored) --------------------------------------------------------
    Case('image-gif-as-png', 'req', 'POST', '/api/jobs/{draft}/images?filename=fake.png', RAW(e.GIF, 'image/png'),
         415, 'unsupported_media_type'),
    Case('image-text-as-png', 'req', 'POST', '/api/jobs/{draft}/images?filename=notes.png',
         RAW(b'hello, this is not an image at all', 'image/png'), 415, 'unsupported_media_type'),
    Case('image-pdf-octets', 'req', 'POST', '/api/jobs/{draft}/images',
         RAW(b'%PDF-1.4\n' + b'0' * 200, 'application/octet-stream'), 415),
    Case('image-truncated-png', 'req', 'POST', '/api/jobs/{draft}/images', RAW(e.png()[:20], 'image/png'), 415),
    # A whole header, the rest cut short (an upload broken off): 415 as well, nothing stored.
    Case('image-png-without-iend', 'req', 'POST', '/api/jobs/{draft}/images', RAW(e.png()[:-12], 'image/png'),
         415, 'incomplete_image'),
    Case('image-jpeg-without-end', 'req', 'POST', '/api/jobs/{draft}/images', RAW(e.jpeg()[:-2], 'image/jpeg'),
         415, 'incomplete_image'),
    Case('image-webp-cut', 'req', 'POST', '/api/jobs/{draft}/images', RAW(e.webp()[:-3], 'image/webp'),
         415, 'incomplete_image'),
    Case('image-multipart-text', 'req', 'POST', '/api/jobs/{draft}/images',
         multipart(('notes.png', b'just some text, renamed', 'image/png')), 415, 'unsupported_media_type'),
    Case('image-multipart-one-bad', 'req', 'POST', '/api/jobs/{draft}/images',
         multipart(lambda: ('good.png', e.png(), 'image/png'), ('bad.gif', e.GIF, 'image/gif')), 415),
    Case('image-base64-gif', 'req', 'POST', '/api/jobs/{draft}/images',
         RAW(base64.b64encode(e.GIF), 'text/plain'), 415),
    Case('json-as-text-plain', 'req', 'POST', '/api/jobs', RAW(json.dumps(JOB), 'text/plain'), 415),
    Case('image-empty', 'req', 'POST', '/api/jobs/{draft}/images', RAW(b'', 'image/png'), 400),
    Case('image-bad-base64', 'req', 'POST', '/api/jobs/{draft}/images', RAW('!!! not base64 !!!', 'text/plain'), 400),
    Case('image-multipart-no-boundary', 'req', 'POST', '/api/jobs/{draft}/images',
         RAW(b'--x\r\n\r\n', 'multipart/form-data'), 400),
    # --- boxes, labels, empty trains: 422 ---------------------------------------------------------------
    Case('box-right-edge', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [box(x=60, w=5)]}), 422, 'box_outside_image'),
    Case('box-bottom-edge', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [box(y=40, h=8.5)]}), 422, 'box_outside_image'),
    Case('box-negative-x', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [box(x=-1)]}), 422, 'box_outside_image'),
    Case('box-zero-width', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [box(w=0)]}), 422, 'box_outside_image'),
    Case('box-negative-height', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [box(h=-2)]}), 422, 'box_outside_image'),
    Case('box-huge', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [box(x=1e308, w=1e308)]}), 422, 'box_outside_image'),
    Case('box-second-bad', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [BOX, box(x=64)]}), 422, 'box_outside_image'),
    Case('label-unknown', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [box(label='truck')]}), 422, 'unknown_label'),
    Case('label-case', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [box(label='Car')]}), 422, 'unknown_label'),
    Case('label-empty', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [box(label='')]}), 422, 'unknown_label'),
    Case('label-missing', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [without(BOX, 'label')]}), 422),
    Case('train-empty-boxes', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': []}), 422, 'empty_train'),
    Case('train-empty-object', 't1', 'POST', '/api/leases/{lease}/train', J({}), 422, 'empty_train'),
    Case('train-nothing-false', 't1', 'POST', '/api/leases/{lease}/train', J({'nothingToMark': False}), 422, 'empty_train'),
    Case('train-nothing-with-boxes', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [BOX], 'nothingToMark': True}), 422),
    Case('train-too-many-boxes', 't1', 'POST', '/api/leases/{lease}/train', J({'boxes': [BOX] * 501}), 422),
    # --- money and other values: 400 or 422 ----------------------------------------------------------
    Case('money-bounty-3-decimals', 'req', 'POST', '/api/jobs', J({**JOB, 'bounty': '0.055'}), (400, 422)),
    Case('money-bounty-3-decimals-number', 'req', 'POST', '/api/jobs', J({**JOB, 'bounty': 0.055}), (400, 422)),
    Case('money-budget-3-decimals', 'req', 'POST', '/api/jobs', J({**JOB, 'budget': '1.005'}), (400, 422)),
    Case('money-bounty-exponent', 'req', 'POST', '/api/jobs', J({**JOB, 'bounty': '1e-2'}), (400, 422)),
    Case('money-bounty-zero', 'req', 'POST', '/api/jobs', J({**JOB, 'bounty': '0.00'}), 422),
    Case('money-bounty-negative', 'req', 'POST', '/api/jobs', J({**JOB, 'bounty': '-0.05'}), 422),
    Case('money-budget-negative', 'req', 'POST', '/api/jobs', J({**JOB, 'budget': '-1.00'}), 422),
    Case('money-patch-3-decimals', 'req', 'PATCH', '/api/jobs/{draft}', J({'budget': '2.001'}), (400, 422)),
    Case('money-payout-3-decimals', 't1', 'POST', '/api/payouts', J({'amount': '0.105', 'address': 'W1'}), (400, 422)),
    Case('money-payout-tiny-number', 't1', 'POST', '/api/payouts', J({'amount': 0.001, 'address': 'W1'}), (400, 422)),
    Case('money-payout-zero', 't1', 'POST', '/api/payouts', J({'amount': '0.00', 'address': 'W1'}), 422),
    Case('money-payout-negative', 't1', 'POST', '/api/payouts', J({'amount': '-0.10', 'address': 'W1'}), 422),
    Case('payout-over-balance', 't1', 'POST', '/api/payouts', J({'amount': '0.10', 'address': 'W1'}), 422, 'insufficient_balance'),
    Case('payout-address-space', 't1', 'POST', '/api/payouts', J({'amount': '0.10', 'address': 'two words'}), 422),
    Case('payout-address-empty', 't1', 'POST', '/api/payouts', J({'amount': '0.10', 'address': '  '}), 422),
    # Control and invisible characters: an escape sequence that rewrites the admin's terminal,
    # a right-to-left override that shows the address in another order.
    Case('payout-address-escape', 't1', 'POST', '/api/payouts',
         J({'amount': '0.10', 'address': 'x\u001b[1AATTACKER\u001b[K'}), 422, 'invalid_address'),
    Case('payout-address-rlo', 't1', 'POST', '/api/payouts', J({'amount': '0.10', 'address': 'W\u202e1111'}), 422,
         'invalid_address'),
    Case('job-name-escape', 'req', 'POST', '/api/jobs', J({**JOB, 'name': 'a\u001b[31mred'}), 422, 'invalid_job'),
    Case('job-name-rlo', 'req', 'POST', '/api/jobs', J({**JOB, 'name': 'gnp.\u202eexe'}), 422, 'invalid_job'),
    Case('register-screen-name-isolate', 'anon', 'POST', '/api/auth/register',
         J({'email': 'iso@e2e.example.com', 'password': 'longenough1', 'screenName': 'ann\u2067nimda'}), 422,
         'invalid_screen_name'),
    Case('job-title-line-break', 'req', 'PATCH', '/api/jobs/{draft}', J({'title': 'one\ntwo'}), 422, 'invalid_job'),
    Case('job-description-bell', 'req', 'POST', '/api/jobs', J({**JOB, 'description': 'ding\u0007'}), 422, 'invalid_job'),
    Case('register-screen-name-escape', 'anon', 'POST', '/api/auth/register',
         J({'email': 'esc@e2e.example.com', 'password': 'longenough1', 'screenName': 'a\u001b[2Kb'}), 422,
         'invalid_screen_name'),
    Case('register-email-escape', 'anon', 'POST', '/api/auth/register',
         J({'email': 'ev\u001b[2Kil@e2e.example.com', 'password': 'longenough1'}), 422, 'invalid_email'),
    Case('job-name-empty', 'req', 'POST', '/api/jobs', J({**JOB, 'name': '  '}), 422),
    Case('job-labels-empty', 'req', 'POST', '/api/jobs', J({**JOB, 'labels': []}), 422),
    Case('job-labels-duplicate', 'req', 'POST', '/api/jobs', J({**JOB, 'labels': ['a', 'a']}), 422),
    Case('job-labels-duplicate-case', 'req', 'POST', '/api/jobs', J({**JOB, 'labels': ['car', 'Car']}), 422, 'invalid_job'),
    Case('job-labels-line-break', 'req', 'PATCH', '/api/jobs/{draft}', J({'labels': ['car\nperson']}), 422, 'invalid_job'),
    Case('job-labels-tab', 'req', 'POST', '/api/jobs', J({**JOB, 'labels': ['a\tb']}), 422, 'invalid_job'),
    Case('job-results-zero', 'req', 'POST', '/api/jobs', J({**JOB, 'resultsPerImage': 0}), 422),
    Case('job-type', 'req', 'POST', '/api/jobs', J({**JOB, 'type': 'Polygon'}), 422),
    # Outside what a DATETIME holds: refused, never stored cut to four digits (year 1476).
    Case('job-time-year-11476', 'req', 'POST', '/api/jobs', J({**JOB, 'endTime': '11476-08-15T05:20:00Z'}), 422),
    Case('job-time-year-999', 'req', 'PATCH', '/api/jobs/{draft}', J({'startTime': '0999-01-01T00:00:00Z'}), 422),
    # A day or an hour that does not exist is refused, not rolled over into the next one.
    Case('job-time-february-30', 'req', 'POST', '/api/jobs', J({**JOB, 'startTime': '2026-02-30T00:00:00Z'}), 422, 'invalid_value'),
    Case('job-time-february-29', 'req', 'PATCH', '/api/jobs/{draft}', J({'endTime': '2027-02-29T12:00:00Z'}), 422, 'invalid_value'),
    Case('job-time-hour-24', 'req', 'POST', '/api/jobs', J({**JOB, 'startTime': '2026-11-26T24:00:00Z'}), 422, 'invalid_value'),
    Case('job-time-minute-60', 'req', 'POST', '/api/jobs', J({**JOB, 'endTime': '2026-11-26T15:60:00Z'}), 422, 'invalid_value'),
    Case('job-time-no-offset', 'req', 'POST', '/api/jobs', J({**JOB, 'startTime': '2026-11-26T15:00:00'}), 422, 'invalid_value'),
    Case('job-time-day-only', 'req', 'POST', '/api/jobs', J({**JOB, 'startTime': '2026-11-26'}), 422, 'invalid_value'),
    Case('job-times-reversed', 'req', 'POST', '/api/jobs',
         J({**JOB, 'startTime': '2030-01-02T00:00:00Z', 'endTime': '2030-01-01T00:00:00Z'}), 422),
    Case('register-bad-email', 'anon', 'POST', '/api/auth/register', J({'email': 'not-an-email', 'password': 'longenough1'}), 422),
    Case('register-weak-password', 'anon', 'POST', '/api/auth/register', J({'email': 'w@e2e.example.com', 'password': 'short'}), 422),
    Case('register-long-password', 'anon', 'POST', '/api/auth/register',
         J({'email': 'lp@e2e.example.com', 'password': 'p' * 1025}), 422, 'invalid_password'),
    Case('register-as-admin', 'anon', 'POST', '/api/auth/register',
         J({'email': 'adm@e2e.example.com', 'password': 'longenough1', 'role': 'admin'}), 422),
    Case('register-long-screen-name', 'anon', 'POST', '/api/auth/register',
         J({'email': 'long@e2e.example.com', 'password': 'longenough1', 'screenName': 'n' * 65}), 422),
    # --- signed out: 401 -----------------------------------------------------------------------------------
    Case('anon-me', 'anon', 'GET', '/api/me', NONE, 401, 'unauthenticated'),
    Case('anon-ledger', 'anon', 'GET', '/api/me/ledger', NONE, 401),
    Case('anon-create-job', 'anon', 'POST', '/api/jobs', J(JOB), 401),
    Case('anon-jobs', 'anon', 'GET', '/api/jobs', NONE, 401),
    Case('anon-job', 'anon', 'GET', '/api/jobs/{job}', NONE, 401),
    Case('anon-activate', 'anon', 'POST', '/api/jobs/{draft}/activate', NONE, 401),
    Case('anon-upload', 'anon', 'POST', '/api/jobs/{draft}/images', RAW(e.png(), 'image/png'), 401),
    Case('anon-take', 'anon', 'POST', '/api/jobs/{job}/leases', NONE, 401),
    Case('anon-lease', 'anon', 'GET', '/api/leases/{lease}', NONE, 401),
    Case('anon-release', 'anon', 'DELETE', '/api/leases/{lease}', NONE, 401),
    Case('anon-train', 'anon', 'POST', '/api/leases/{lease}/train', J({'boxes': [BOX]}), 401),
    Case('anon-payout', 'anon', 'POST', '/api/payouts', J({'amount': '0.10', 'address': 'W1'}), 401),
    Case('anon-payouts', 'anon', 'GET', '/api/payouts', NONE, 401),
    Case('anon-open-jobs', 'anon', 'GET', '/api/open-jobs', NONE, 401),
    Case('anon-task', 'anon', 'GET', '/api/tasks/{task}', NONE, 401),
    Case('anon-image', 'anon', 'GET', '/api/tasks/{task}/image', NONE, 401),
    Case('anon-trains-csv', 'anon', 'GET', '/api/jobs/{job}/trains?format=csv', NONE, 401),
    Case('anon-bad-token', 'anon', 'GET', '/api/me', lambda: {'headers': {'Authorization': 'Bearer ' + 'ab' * 32}}, 401),
    Case('anon-empty-token', 'anon', 'GET', '/api/me', lambda: {'headers': {'Authorization': 'Bearer '}}, 401),
    Case('anon-bad-cookie', 'anon', 'POST', '/api/jobs/{job}/leases', lambda: {'headers': {'Cookie': 'tt_session=nope'}}, 401),
    # --- the wrong role: 403 ------------------------------------------------------------------------------
    Case('tasker-create-job', 't3', 'POST', '/api/jobs', J(JOB), 403, 'forbidden'),
    Case('tasker-list-jobs', 't3', 'GET', '/api/jobs', NONE, 403),
    Case('tasker-patch-job', 't3', 'PATCH', '/api/jobs/{job}', J({'title': 'mine'}), 403),
    Case('tasker-activate', 't3', 'POST', '/api/jobs/{draft}/activate', NONE, 403),
    Case('tasker-pause', 't3', 'POST', '/api/jobs/{job}/pause', NONE, 403),
    Case('tasker-finish', 't3', 'POST', '/api/jobs/{job}/finish', NONE, 403),
    Case('tasker-upload', 't3', 'POST', '/api/jobs/{draft}/images', RAW(e.png(), 'image/png'), 403),
    Case('tasker-tasks', 't3', 'GET', '/api/jobs/{job}/tasks', NONE, 403),
    Case('tasker-job-trains', 't1', 'GET', '/api/jobs/{job}/trains', NONE, 403),
    Case('tasker-task-trains', 't1', 'GET', '/api/tasks/{task}/trains?format=csv', NONE, 403),
    Case('requester-take', 'req', 'POST', '/api/jobs/{job}/leases', NONE, 403, 'forbidden'),
    Case('requester-payout', 'req', 'POST', '/api/payouts', J({'amount': '0.10', 'address': 'W1'}), 403),
    Case('requester-open-jobs', 'req', 'GET', '/api/open-jobs', NONE, 403),
    Case('requester-train', 'req', 'POST', '/api/leases/{lease}/train', J({'boxes': [BOX]}), 403),
    # --- someone else's: 404 --------------------------------------------------------------------------------
    Case('other-job-draft', 'other_req', 'GET', '/api/jobs/{draft}', NONE, 404),
    Case('other-job-patch', 'other_req', 'PATCH', '/api/jobs/{draft}', J({'title': 'mine now'}), 404),
    Case('other-job-activate', 'other_req', 'POST', '/api/jobs/{draft}/activate', NONE, 404),
    Case('other-job-pause', 'other_req', 'POST', '/api/jobs/{job}/pause', NONE, 404),
    Case('other-job-finish', 'other_req', 'POST', '/api/jobs/{job}/finish', NONE, 404),
    Case('other-job-upload', 'other_req', 'POST', '/api/jobs/{draft}/images', RAW(e.png(), 'image/png'), 404),
    Case('other-job-tasks', 'other_req', 'GET', '/api/jobs/{job}/tasks', NONE, 404),
    Case('other-job-trains', 'other_req', 'GET', '/api/jobs/{job}/trains', NONE, 404),
    Case('other-job-trains-csv', 'other_req', 'GET', '/api/jobs/{job}/trains?format=csv', NONE, 404),
    Case('other-task', 'other_req', 'GET', '/api/tasks/{task}', NONE, 404),
    Case('other-task-image', 'other_req', 'GET', '/api/tasks/{task}/image', NONE, 404),
    Case('other-task-trains', 'other_req', 'GET', '/api/tasks/{task}/trains', NONE, 404),
    Case('other-lease-get', 't2', 'GET', '/api/leases/{lease}', NONE, 404),
    Case('other-lease-release', 't2', 'DELETE', '/api/leases/{lease}', NONE, 404),
    Case('other-lease-train', 't3', 'POST', '/api/leases/{lease}/train', J({'boxes': [BOX]}), 404),
    Case('other-lease-requester-release', 'req', 'DELETE', '/api/leases/{lease}', NONE, 404),
    Case('never-leased-task', 't3', 'GET', '/api/tasks/{task2}', NONE, 404),
    Case('never-leased-image', 't3', 'GET', '/api/tasks/{task2}/image', NONE, 404),
    Case('tasker-draft-job', 't3', 'GET', '/api/jobs/{draft}', NONE, 404),
    Case('tasker-other-draft-job', 't1', 'GET', '/api/jobs/{other_draft}', NONE, 404),
    # --- state conflicts ------------------------------------------------------------------------------------
    Case('activate-short-balance', 'other_req', 'POST', '/api/jobs/{other_draft}/activate', NONE, 422, 'insufficient_balance'),
    Case('activate-budget-below-bounty', 'req', 'POST', '/api/jobs/{thin_draft}/activate', NONE, 422, 'budget_below_bounty'),
    Case('upload-finished-job', 'req', 'POST', '/api/jobs/{finished}/images', RAW(REFUSED_PNG, 'image/png'), 409,
         'job_finished', file_not_stored(REFUSED_PNG)),
    Case('train-released-lease', 't2', 'POST', '/api/leases/{released}/train', J({'boxes': [BOX]}), 409, 'lease_not_live'),
    Case('release-released-lease', 't2', 'DELETE', '/api/leases/{released}', NONE, 409, 'lease_not_live'),
    Case('activate-active-job', 'req', 'POST', '/api/jobs/{job}/activate', NONE, 409),
    Case('resume-active-job', 'req', 'POST', '/api/jobs/{job}/resume', NONE, 409),
    Case('patch-bounty-active-job', 'req', 'PATCH', '/api/jobs/{job}', J({'bounty': '0.10'}), 409),
    # A draft exists for nobody but its requester: 404, so job ids and states cannot be probed.
    Case('take-draft-job', 't3', 'POST', '/api/jobs/{draft}/leases', NONE, 404, 'not_found'),
    Case('register-taken-email', 'anon', 'POST', '/api/auth/register', lambda: None, 409, 'email_taken'),
    # --- refused by nginx before the worker, in the same JSON shape ----------------------------------------
    Case('nginx-trace', 'anon', 'TRACE', '/api/jobs', NONE, 405, 'method_not_allowed'),
    Case('nginx-uri-too-long', 'req', 'GET', '/api/jobs?filename=' + 'a' * 40000, NONE, 414, 'uri_too_long'),
    Case('nginx-header-too-large', 'anon', 'GET', '/api/me',
         lambda: {'headers': {'Authorization': 'Bearer ' + 'a' * 20000}}, 400, 'bad_request'),
]

assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize('case', CASES, ids=[c.id for c in CASES])
def test_refused_and_nothing_changed(world, db, case):
    client = getattr(world, case.who)
    kwargs = case.kwargs()
    if case.id == 'register-taken-email':
        kwargs = {'json': {'email': world.t3.email.upper(), 'password': 'another-password-1', 'role': 'tasker'}}
    path = case.path.format(**world.ids)
    before = e.snapshot(db)
    resp = client.request(case.method, path, **kwargs)
    expect(resp, case.status, case.code)
    if case.check:
        case.check(resp)
    assert e.snapshot(db) == before, f'{case.method} {path} was refused ({resp.status_code}) but changed the database'


def test_requester_cannot_see_another_requesters_active_job(world, db):
    """GET /api/jobs/{id} is for the owner, or a tasker when the job is open (docs/API.md):
    another requester gets 404, as for every other route of someone else's job."""
    r = world.other_req.get('/api/jobs/{job}'.format(**world.ids))
    expect(r, 404)


def test_refused_requests_leave_the_lease_usable(world, db):
    """After all the refused submissions, the lease they aimed at is still live and its
    task untouched (the refusals really changed nothing)."""
    lease = expect(world.t1.get('/api/leases/{lease}'.format(**world.ids)), 200)
    assert lease['state'] == 'live', lease
    row = e.query_one(db, 'SELECT open_slots, train_count FROM tasks WHERE id = %s', world.ids['task'])
    assert (row['open_slots'], row['train_count']) == (1, 0), row
    assert e.query_one(db, 'SELECT COUNT(*) AS n FROM trains WHERE lease_id = %s', world.ids['lease'])['n'] == 0
    assert world.t1.balance() == 0
    e.audit_ok()


def test_unknown_email_and_wrong_password_look_the_same(base, new_user):
    """Login does not tell which emails exist (from an address of its own: no throttling
    of other tests)."""
    user = new_user('tasker')
    c = e.Client(base, source_address=e.unique_loopback_address())
    try:
        a = expect(c.post('/api/auth/login', json={'email': user.email, 'password': 'not-the-password'}),
                   401, 'invalid_credentials')
        b = expect(c.post('/api/auth/login', json={'email': f'nobody-{uuid.uuid4().hex}@e2e.example.com',
                                                   'password': 'not-the-password'}), 401, 'invalid_credentials')
        assert a == b
    finally:
        c.close()


def test_job_texts_hold_their_limit_in_any_characters(world, db):
    """A description and instructions hold 20,000 characters each (docs/API.md), 4-byte
    ones (emoji) included, and line breaks and tabs; one more is a 422 that stores nothing.
    The joiner inside an emoji is no control character: a title may hold one."""
    text = '\U0001F600' * 19991 + '\n\t\r\n' + '\U0001F468\u200d\U0001F469\u200d\U0001F467'
    job = expect(world.req.post('/api/jobs', json=e.job_body(description=text, instructions=text,
                                                             title='A family \U0001F468\u200d\U0001F469\u200d\U0001F467')), 201)
    shown = expect(world.req.get(f'/api/jobs/{job["id"]}'), 200)
    assert shown['description'] == text and shown['instructions'] == text
    before = e.snapshot(db)
    expect(world.req.patch(f'/api/jobs/{job["id"]}', json={'instructions': text + 'x'}), 422, 'invalid_job')
    assert e.snapshot(db) == before
