"""Helpers for the tests of the legacy protocol (/Server.aph?Command=...) through nginx:
the stack's settings from the environment, a client that behaves like the original
phone app's browser, database snapshots, the admin command line, and images.

Environment (set by `make test`, scripts/test.sh):
  TT_BASE_URL   the stack through nginx, e.g. http://127.0.0.1:8181 (required)
  TT_CONFIG     the worker's config.json: its "database" object (socket, user, password,
                name) for pymysql, its "dataDirectory" for the image files (required)
  TT_ADMIN      the admin command line, e.g. "/path/tasker-admin --config /path/config.json"
                (required; `$TT_ADMIN credit EMAIL AMOUNT` gives requesters money)
Without any of them, or when the server does not answer, the tests FAIL (never skip).
"""
import base64
import concurrent.futures
import http.cookiejar
import json
import os
import random
import re
import shlex
import socket
import struct
import subprocess
import threading
import uuid
import zlib

import requests
from requests.adapters import HTTPAdapter

TIMEOUT = 90
TOKEN = re.compile(r'[0-9a-f]{64}')


class StackMissing(Exception):
    pass


# --- settings ---------------------------------------------------------------------

def base_url():
    url = os.environ.get('TT_BASE_URL', '').strip().rstrip('/')
    if not url:
        raise StackMissing('TT_BASE_URL is not set: point it at the running stack (nginx), '
                           'e.g. TT_BASE_URL=http://127.0.0.1:8181')
    try:
        r = requests.get(url + '/api/healthz', timeout=10)
    except requests.RequestException as e:
        raise StackMissing(f'the stack at {url} does not answer: {e}')
    if r.status_code != 200:
        raise StackMissing(f'{url}/api/healthz answered {r.status_code}: {r.text[:200]}')
    return url


def config():
    path = os.environ.get('TT_CONFIG', '').strip()
    if not path:
        raise StackMissing('TT_CONFIG is not set: it must name the worker config.json')
    try:
        with open(path) as f:
            return json.load(f)
    except OSError as e:
        raise StackMissing(f'cannot read TT_CONFIG {path}: {e}')


def db_connect():
    import pymysql
    d = config()['database']
    kw = dict(user=d['user'], password=d['password'], database=d['name'], autocommit=True,
              charset='utf8mb4', cursorclass=pymysql.cursors.DictCursor)
    if d.get('socket'):
        kw['unix_socket'] = d['socket']
    else:
        kw['host'] = d.get('host') or '127.0.0.1'
        kw['port'] = int(d.get('port') or 3306)
    try:
        return pymysql.connect(**kw)
    except pymysql.MySQLError as e:
        raise StackMissing(f'cannot connect to the database of TT_CONFIG: {e}')


def admin_argv():
    line = os.environ.get('TT_ADMIN', '').strip()
    if not line:
        raise StackMissing('TT_ADMIN is not set: it must be the admin command line')
    return shlex.split(line)


def admin(*args):
    proc = subprocess.run(admin_argv() + [str(a) for a in args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f'$TT_ADMIN {" ".join(map(str, args))} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}'
    return proc


def image_path(sha256_hex):
    return os.path.join(config()['dataDirectory'], 'images', sha256_hex[:2], sha256_hex)


# --- the client ---------------------------------------------------------------------

class _SourceAddressAdapter(HTTPAdapter):
    def __init__(self, source, **kw):
        self._source = source
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        kw['source_address'] = (self._source, 0)
        super().init_poolmanager(*args, **kw)


def unique_loopback_address():
    """A 127.x.y.z source address of its own, so that the sign-in throttle (per client
    address) of one test never blocks another's; None when the machine cannot."""
    for _ in range(5):
        addr = f'127.{random.randint(1, 254)}.{random.randint(0, 254)}.{random.randint(2, 254)}'
        try:
            with socket.socket() as s:
                s.bind((addr, 0))
            return addr
        except OSError:
            continue
    return None


class App:
    """Talks to the legacy endpoint as the original apps did: URLs built by string
    concatenation on `./server.aph/?Command=` (or `/Server.aph?Command=`), plain-text
    replies, and, like the browser the app runs in, it keeps cookies."""

    def __init__(self, base, path='/server.aph/', cookies=True):
        self.base = base
        self.path = path
        self.s = requests.Session()
        if not cookies:
            self.s.cookies.set_policy(_NoCookies())
        source = unique_loopback_address()
        if source:
            for prefix in ('http://', 'https://'):
                self.s.mount(prefix, _SourceAddressAdapter(source, pool_maxsize=4))
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


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    def set_ok(self, cookie, request):
        return False


def unique_email(prefix='legacy'):
    return f'{prefix}-{uuid.uuid4().hex[:16]}@legacy.example.com'


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


def expect_ok(r):
    assert not r.text.startswith('Error:'), f'{r.request.url}: {r.text}'
    return r.text


def expect_error(r, contains=''):
    assert r.text.startswith('Error: '), f'expected an Error reply: {r.request.method} {r.request.url} -> {r.text[:300]!r}'
    assert contains in r.text, f'expected {contains!r} in {r.text!r}'
    assert_clean(r.text)
    return r.text


LEAKS = re.compile(r'SELECT |INSERT INTO|UPDATE \w+ SET|DELETE FROM|SQLSTATE|MariaDB|MySQL|syntax to use near|'
                   r'Duplicate entry|/work/|/tmp/|\.swift|Traceback|Fatal error|DecodingError|CodingKeys', re.I)


def assert_clean(text):
    m = LEAKS.search(text)
    assert not m, f'reply leaks internals ({m.group(0)!r}): {text!r}'


def run_concurrently(functions, timeout=180):
    barrier = threading.Barrier(len(functions))

    def wrap(fn):
        def run():
            barrier.wait(timeout=60)
            return fn()
        return run

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(functions)) as pool:
        futures = [pool.submit(wrap(fn)) for fn in functions]
        return [f.result(timeout=timeout) for f in futures]


# --- database ---------------------------------------------------------------------

def query(db, sql, *args):
    with db.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall()


def query_one(db, sql, *args):
    rows = query(db, sql, *args)
    assert len(rows) == 1, f'{sql} gave {len(rows)} rows'
    return rows[0]


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
    """A real RGB PNG, different for every seed (random when None)."""
    rnd = random.Random(seed if seed is not None else uuid.uuid4().int)
    color = bytes(rnd.randrange(256) for _ in range(3))
    row = b'\x00' + color * width
    raw = bytearray(row * height)
    raw[1:4] = bytes(rnd.randrange(256) for _ in range(3))  # one pixel of its own

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(bytes(raw))) + chunk(b'IEND', b''))


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


def png_size(data):
    assert data[:8] == b'\x89PNG\r\n\x1a\n', f'not a PNG: {data[:16]!r}'
    return struct.unpack('>II', data[16:24])
