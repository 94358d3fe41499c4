"""Helpers for the tests of the legacy protocol (/Server.aph?Command=...) through nginx:
a client that behaves like the original phone app's browser, database snapshots, and
images. The stack's settings, the database, the admin command line and PNG sizes come
from tests/ttstack.py and are re-exported here under the names the tests use.

Environment (set by `make test`, scripts/test.sh): TT_BASE_URL, TT_CONFIG (its
"database" object for pymysql, its "dataDirectory" for the image files) and TT_ADMIN
(`$TT_ADMIN credit EMAIL AMOUNT` gives requesters money), all required (see ttstack.py).
Without any of them, or when the server does not answer, the tests FAIL (never skip).
"""
import base64
import json
import os
import random
import re
import struct
import uuid

import requests

import ttstack
from ttstack import (NoCookies, SourceAddressAdapter, StackMissing, admin, admin_argv, base_url,  # noqa: F401
                     config, db_connect, png_size, query, query_one, run_concurrently, unique_loopback_address)

TIMEOUT = 90
TOKEN = re.compile(r'[0-9a-f]{64}')


def image_path(sha256_hex):
    return os.path.join(config()['dataDirectory'], 'images', sha256_hex[:2], sha256_hex)


# --- the client ---------------------------------------------------------------------

class App:
    """Talks to the legacy endpoint as the original apps did: URLs built by string
    concatenation on `./server.aph/?Command=` (or `/Server.aph?Command=`), plain-text
    replies, and, like the browser the app runs in, it keeps cookies."""

    def __init__(self, base, path='/server.aph/', cookies=True):
        self.base = base
        self.path = path
        self.s = requests.Session()
        if not cookies:
            self.s.cookies.set_policy(NoCookies())
        source = unique_loopback_address()
        if source:
            for prefix in ('http://', 'https://'):
                self.s.mount(prefix, SourceAddressAdapter(source, pool_maxsize=4))
        self.user_id = None
        self.email = None
        self.password = None

    def url(self, command, raw=''):
        return f'{self.base}{self.path}?Command={command}{raw}'

    def get_raw(self, command, raw=''):
        """GET with the query tail written by hand, like `"...&Email=" + email` in the app."""
        return self._check(self.s.get(self.url(command, raw), timeout=TIMEOUT))

    def get(self, command, **params):
        """GET with properly percent-encoded parameters."""
        return self._check(self.s.get(f'{self.base}{self.path}', params={'Command': command, **params},
                                      timeout=TIMEOUT))

    def post(self, command, data=b'', headers=None, files=None, **params):
        h = {'Content-Type': 'text/plain;charset=UTF-8'} if files is None else {}
        h.update(headers or {})
        return self._check(self.s.post(f'{self.base}{self.path}', params={'Command': command, **params},
                                       data=data, files=files, headers=h, timeout=TIMEOUT))

    def text(self, command, **params):
        return self.get(command, **params).text

    def json(self, command, **params):
        r = self.get(command, **params)
        assert not r.text.startswith('Error:'), f'{command}: {r.text}'
        return json.loads(r.text)

    @staticmethod
    def _check(r):
        assert r.status_code == 200, f'{r.request.method} {r.request.url} -> {r.status_code}: {r.text[:300]!r}'
        return r

    def close(self):
        self.s.close()


def unique_email(prefix='legacy'):
    return ttstack.unique_email(prefix, domain='legacy.example.com')


def register(base, role='tasker', **kw):
    """A new user through TaskerRegistration / RequesterRegistration, built like the app's URL."""
    app = App(base, **kw)
    app.email = unique_email(role)
    app.password = 'pw-' + uuid.uuid4().hex[:20]
    command = 'TaskerRegistration' if role == 'tasker' else 'RequesterRegistration'
    reply = app.get_raw(command, f'&Email={app.email}&Password={app.password}').text
    assert TOKEN.fullmatch(reply), f'{command} answered {reply!r}, not a session token'
    app.user_id = reply
    return app


def job_json(**over):
    """A Job record as the original requester app wrote it: every value a string."""
    body = {'ID': '0', 'userID': 'User1', 'name': '', 'title': 'Mark the cars', 'description': 'legacy test job',
            'instructions': 'Draw a box around the car.', 'bounty': '0.05', 'budget': '5.00', 'budgetLeft': '0',
            'active': 'False', 'startTime': '', 'endTime': '', 'type': 'ImageRegion', 'guid': str(uuid.uuid4())}
    body.update(over)
    return json.dumps(body)


def publish_job(requester, images, max_trains=1, credit='50.00', labels=None, **fields):
    """A requester's active job through PublishJob1, UploadImage and PublishJob2; returns the
    Job record. `images` are image byte strings."""
    if credit:
        admin('credit', requester.email, credit)
    name = 'job-' + uuid.uuid4().hex[:10]
    extra = dict(fields, MaxTrains=str(max_trains))
    if labels:
        extra['labels'] = labels
    job = json.loads(expect_ok(requester.post('PublishJob1', job_json(**extra), UserID=requester.user_id, Name=name)))
    for data in images:
        reply = requester.post('UploadImage', base64.b64encode(data), UserID=requester.user_id, JobID=job['ID']).text
        assert reply == 'Ok', reply
    return json.loads(expect_ok(requester.post('PublishJob2', job_json(**extra), UserID=requester.user_id, Name=name)))


def approve_all(requester, job_id):
    """The requester approves every pending result of a job through the JSON API (the
    original protocol has no review: its jobs are approved there, or by the worker when
    their review window runs out). Returns how many were approved."""
    with requests.Session() as s:
        login = s.post(requester.base + '/api/auth/login', timeout=TIMEOUT,
                       json={'email': requester.email, 'password': requester.password})
        assert login.status_code == 200, login.text
        headers = {'Authorization': 'Bearer ' + login.json()['token']}
        r = s.post(f'{requester.base}/api/jobs/{job_id}/review', json={'action': 'approve', 'state': 'pending'},
                   headers=headers, timeout=TIMEOUT)
        assert r.status_code == 200, r.text
        return r.json()['count']


def expect_ok(r):
    assert not r.text.startswith('Error:'), f'{r.request.url}: {r.text}'
    return r.text


def expect_error(r, contains=''):
    assert r.text.startswith('Error: '), f'expected an Error reply: {r.request.method} {r.request.url} -> {r.text[:300]!r}'
    assert contains in r.text, f'expected {contains!r} in {r.text!r}'
    assert_clean(r.text)
    return r.text


LEAKS = re.compile(r'SELECT |INSERT INTO|UPDATE \w+ SET|DELETE FROM|SQLSTATE|MariaDB|MySQL|syntax to use near|'
                   r'Duplicate entry|/tmp/|\.swift|Traceback|Fatal error|DecodingError|CodingKeys|'
                   + re.escape(ttstack.CHECKOUT), re.I)


def assert_clean(text):
    m = LEAKS.search(text)
    assert not m, f'reply leaks internals ({m.group(0)!r}): {text!r}'


# --- database ---------------------------------------------------------------------

SNAPSHOT_TABLES = ['users', 'sessions', 'jobs', 'tasks', 'leases', 'trains', 'boxes', 'ledger_entries', 'payouts']


def snapshot(db):
    """What a refused request must not change: rows, money, slots, states, job fields."""
    snap = {}
    for t in SNAPSHOT_TABLES:
        snap[t] = query_one(db, f'SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS top FROM {t}')
    snap['accounts'] = query_one(db, 'SELECT COALESCE(SUM(balance * id), 0) AS b, COALESCE(SUM(reserved * id), 0) AS r '
                                     'FROM accounts')
    snap['tasks'] = query_one(db, 'SELECT COALESCE(SUM(open_slots * id), 0) AS s, COALESCE(SUM(train_count * id), 0) AS t, '
                                  'COUNT(*) AS n FROM tasks')
    snap['jobs'] = query_one(db, "SELECT COALESCE(SUM(CRC32(CONCAT_WS('|', id, name, title, description, bounty, budget, "
                                 "results_per_image, labels, state))), 0) AS h, COUNT(*) AS n FROM jobs")
    snap['leases'] = query(db, 'SELECT state, COUNT(*) AS n FROM leases GROUP BY state ORDER BY state')
    return snap


def user_row(db, email):
    return query_one(db, 'SELECT u.id, u.role, a.balance FROM users u JOIN accounts a ON a.id = u.account_id '
                         'WHERE u.email = %s', email)


# --- images -------------------------------------------------------------------------

def png(width=64, height=48, seed=None):
    """A real RGB PNG of one colour with one pixel of its own, different for every seed
    (random when None). Flat, so that even 2000 x 1500 ones compress to a few kB."""
    rnd = random.Random(seed if seed is not None else uuid.uuid4().int)
    color = bytes(rnd.randrange(256) for _ in range(3))
    row = b'\x00' + color * width
    raw = bytearray(row * height)
    raw[1:4] = bytes(rnd.randrange(256) for _ in range(3))  # one pixel of its own
    return ttstack.png_from_scanlines(width, height, raw, level=-1)


# A 4 x 3 baseline JPEG and a 4 x 3 lossy WebP, both made with libgd.
_JPEG_4X3 = base64.b64decode(
    '/9j/4AAQSkZJRgABAQEAYABgAAD//gA7Q1JFQVRPUjogZ2QtanBlZyB2MS4wICh1c2luZyBJSkcgSlBFRyB2NjIpLCBxdWFsaXR5ID0gODAK'
    '/9sAQwAGBAUGBQQGBgUGBwcGCAoQCgoJCQoUDg8MEBcUGBgXFBYWGh0lHxobIxwWFiAsICMmJykqKRkfLTAtKDAlKCko/9sAQwEHBwcKCAoT'
    'CgoTKBoWGigoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgo/8AAEQgAAwAEAwEiAAIRAQMRAf/EAB8A'
    'AAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHw'
    'JDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeo'
    'qaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/EAB8BAAMBAQEBAQEBAQEAAAAAAAABAgMEBQYHCAkK'
    'C//EALURAAIBAgQEAwQHBQQEAAECdwABAgMRBAUhMQYSQVEHYXETIjKBCBRCkaGxwQkjM1LwFWJy0QoWJDThJfEXGBkaJicoKSo1Njc4OTpD'
    'REVGR0hJSlNUVVZXWFlaY2RlZmdoaWpzdHV2d3h5eoKDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW'
    '19jZ2uLj5OXm5+jp6vLz9PX29/j5+v/aAAwDAQACEQMRAD8A4Ciiivnj9hP/2Q==')
WEBP_4X3 = base64.b64decode('UklGRjoAAABXRUJQVlA4IC4AAACwAQCdASoEAAMAAUAmJaACdLoABDAAAP7x3I/4DdfFtMv/vYL/3YL/3YL/WwAA')


def jpeg(comment=None):
    """The 4 x 3 JPEG with a comment segment of its own (so every call is a new image)."""
    text = (comment or uuid.uuid4().hex).encode()
    return _JPEG_4X3[:2] + b'\xff\xfe' + struct.pack('>H', len(text) + 2) + text + _JPEG_4X3[2:]
