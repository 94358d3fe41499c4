"""Helpers for the end-to-end tests of the JSON API through nginx: an API client,
checks of error bodies, database snapshots, and generated JPEG and WebP images. The
stack's settings, the database, the admin command line and PNG images come from
tests/ttstack.py and are re-exported here under the names the tests use.

Environment (set by `make test`, scripts/test.sh): TT_BASE_URL, TT_CONFIG, TT_ADMIN,
all required (see ttstack.py). Without any of them, or when the server does not
answer, the tests FAIL (never skip).
"""
import base64
import concurrent.futures
import decimal
import re
import struct
import uuid

import requests

import ttstack
from ttstack import (NoCookies, SourceAddressAdapter, StackMissing, admin, admin_argv, base_url,  # noqa: F401
                     config, db_connect, png, query, query_one, run_concurrently, unique_loopback_address)

TIMEOUT = 90  # seconds for one HTTP request


def audit_ok():
    proc = admin('audit', check=False)
    assert proc.returncode == 0, f'$TT_ADMIN audit failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}'


# --- money ------------------------------------------------------------------------

def money(text):
    return decimal.Decimal(str(text)).quantize(decimal.Decimal('0.01'))


# --- HTTP -------------------------------------------------------------------------

class Client:
    """One API user: a requests session that sends `Authorization: Bearer <token>` and
    keeps no cookies (the cookie test handles them by hand)."""

    def __init__(self, base, token=None, source_address=None):
        self.base = base
        self.token = token
        self.user = None
        self.email = None
        self.password = None
        self.s = requests.Session()
        self.s.cookies.set_policy(NoCookies())
        if source_address:
            for prefix in ('http://', 'https://'):
                self.s.mount(prefix, SourceAddressAdapter(source_address, pool_maxsize=4))

    @property
    def id(self):
        return self.user['id']

    def request(self, method, path, *, auth=True, headers=None, **kw):
        h = dict(headers or {})
        if auth and self.token and 'Authorization' not in h:
            h['Authorization'] = 'Bearer ' + self.token
        kw.setdefault('timeout', TIMEOUT)
        return self.s.request(method, self.base + path, headers=h, allow_redirects=False, **kw)

    def get(self, path, **kw):
        return self.request('GET', path, **kw)

    def post(self, path, **kw):
        return self.request('POST', path, **kw)

    def patch(self, path, **kw):
        return self.request('PATCH', path, **kw)

    def delete(self, path, **kw):
        return self.request('DELETE', path, **kw)

    def me(self):
        return expect(self.get('/api/me'), 200)

    def balance(self):
        return money(self.me()['balance'])

    def close(self):
        self.s.close()


RACE_TIMEOUT = 20  # seconds; a request of a race that takes longer has hung


class Hung(Exception):
    pass


def race_call(client, method, path, **kw):
    """One request of a race, with a short timeout; an unanswered one, or nginx giving up
    on the worker, raises Hung."""
    try:
        r = client.request(method, path, timeout=RACE_TIMEOUT, **kw)
    except requests.exceptions.RequestException as ex:
        raise Hung(f'{method} {path}: no answer: {ex}')
    if r.status_code in (502, 504) or (r.status_code == 503 and 'worker_unavailable' in r.text):
        raise Hung(f'{method} {path} -> {r.status_code} {r.text.strip()[:200]}')
    return r


def unique_email(prefix='u'):
    return ttstack.unique_email(prefix, domain='e2e.example.com')


def register(base, role='tasker', prefix=None, screen_name=None, password=None):
    c = Client(base)
    c.email = unique_email(prefix or role)
    c.password = password or ('pw-' + uuid.uuid4().hex[:20])
    body = {'email': c.email, 'password': c.password, 'role': role}
    if screen_name is not None:
        body['screenName'] = screen_name
    data = expect(c.post('/api/auth/register', json=body), 201)
    c.token = data['token']
    c.user = data['user']
    assert c.user['role'] == role and c.user['email'] == c.email, data
    return c


def register_many(base, role, n, prefix=None, workers=4):
    """Registers n users at once (argon2id hashing takes a while each)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda _: register(base, role, prefix), range(n)))


# --- responses and errors ---------------------------------------------------------

# What must never reach a client: SQL, file paths of the server, stack traces.
LEAK_PATTERNS = [
    # SQL as the server writes it (upper-case keywords), not English words such as "select".
    (re.compile(r'\bSELECT\b.*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+`?\w+`?\s+SET\b|\bDELETE\s+FROM\b|'
                r'\bDROP\s+TABLE\b|\bFOR\s+UPDATE\b|\bLOCK\s+IN\s+SHARE\s+MODE\b|\bSKIP\s+LOCKED\b|'
                r'\b(FROM|JOIN)\s+`?[a-z_]+`?\s+[a-z]\b|\bWHERE\s+`?[a-z_.]+`?\s*(=|IN\b|<|>)'), 'SQL'),
    (re.compile(r'\b(select|insert|update|delete)\b.*\b(from|into|set|where)\b\s+`?[a-z_]+`?\s*(=|\(|,)', re.I), 'SQL'),
    (re.compile(r'SQLSTATE|MariaDB|MySQL|syntax to use near|Duplicate entry|foreign key constraint|'
                r'CONSTRAINT\s+`|Deadlock found|ER_[A-Z_]+', re.I), 'SQL error'),
    (re.compile(re.escape(ttstack.CHECKOUT) + r'|/tmp\b|/root\b|/home/|/usr/|/var/|\.swift\b|\.build/'), 'file path'),
    (re.compile(r'Traceback|Fatal error|Stack trace|backtrace|#\d+\s+0x[0-9a-f]+|0x[0-9a-f]{8,}|'
                r'\bat [A-Za-z]+\.swift|DecodingError|CodingKeys|Swift\.|Foundation\.|MariaStore|'
                r'debugDescription|NSError|CocoaError', re.I), 'stack trace / internals'),
]


def assert_clean_message(message, echoed=()):
    """The message holds no SQL, no server file path and no stack trace. `echoed` are
    strings the client sent that the message may quote back."""
    text = message
    for e in echoed:
        if e:
            text = text.replace(e, '')
    for pattern, what in LEAK_PATTERNS:
        m = pattern.search(text)
        assert not m, f'error message leaks {what} ({m.group(0)!r}): {message!r}'


def error_of(resp, echoed=()):
    """The {"error": {"code", "message"}} body of a failed response, checked."""
    ctype = resp.headers.get('Content-Type', '')
    assert ctype.startswith('application/json'), \
        f'{resp.status_code} answer is {ctype!r}, not JSON: {resp.text[:300]!r}'
    try:
        body = resp.json()
    except ValueError:
        raise AssertionError(f'{resp.status_code} answer is not JSON: {resp.text[:300]!r}')
    assert isinstance(body, dict) and set(body) == {'error'}, f'error body is not {{"error": ...}}: {body!r}'
    err = body['error']
    assert isinstance(err, dict) and isinstance(err.get('code'), str) and isinstance(err.get('message'), str), body
    assert re.fullmatch(r'[a-z][a-z0-9_]*', err['code']), f'code is not snake_case: {err["code"]!r}'
    assert err['message'].strip(), f'empty error message: {body!r}'
    assert_clean_message(err['message'], echoed)
    return err


def describe(resp):
    req = resp.request
    return f'{req.method} {req.url} -> {resp.status_code} {resp.text[:400]!r}'


def expect(resp, status, code=None, echoed=()):
    """Asserts the status (an int or a tuple of allowed ints); for an error also the
    error body (and its code when given). Returns the JSON body (or None when empty)."""
    allowed = status if isinstance(status, tuple) else (status,)
    assert resp.status_code in allowed, f'expected {status}: {describe(resp)}'
    if resp.status_code >= 400:
        err = error_of(resp, echoed)
        if code is not None:
            codes = code if isinstance(code, tuple) else (code,)
            assert err['code'] in codes, f'expected code {code}: {describe(resp)}'
        return {'error': err}
    if not resp.content:
        return None
    if resp.headers.get('Content-Type', '').startswith('application/json'):
        return resp.json()
    return resp.content


# --- database ---------------------------------------------------------------------

SNAPSHOT_TABLES = ['users', 'jobs', 'tasks', 'leases', 'trains', 'boxes', 'ledger_entries', 'payouts']


def snapshot(db):
    """What a refused request must not change: row counts, the money, the slots and states."""
    snap = {}
    with db.cursor() as cur:
        for t in SNAPSHOT_TABLES:
            cur.execute(f'SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS top FROM {t}')
            snap[t] = cur.fetchone()
        cur.execute('SELECT COALESCE(SUM(balance), 0) AS balance, COALESCE(SUM(reserved), 0) AS reserved, '
                    'COALESCE(SUM(balance * id), 0) AS weighted, COALESCE(SUM(reserved * id), 0) AS rweighted, '
                    'COUNT(*) AS n FROM accounts')
        snap['accounts'] = cur.fetchone()
        cur.execute('SELECT COALESCE(SUM(open_slots), 0) AS open_slots, COALESCE(SUM(train_count), 0) AS trains, '
                    'COALESCE(SUM(results_wanted), 0) AS wanted FROM tasks')
        snap['task_slots'] = cur.fetchone()
        cur.execute("SELECT state, COUNT(*) AS n FROM leases GROUP BY state ORDER BY state")
        snap['lease_states'] = cur.fetchall()
        cur.execute("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state ORDER BY state")
        snap['job_states'] = cur.fetchall()
        cur.execute("SELECT state, COUNT(*) AS n FROM payouts GROUP BY state ORDER BY state")
        snap['payout_states'] = cur.fetchall()
        cur.execute("SELECT COALESCE(SUM(CRC32(CONCAT_WS('|', id, name, title, bounty, budget, results_per_image, "
                    "labels, state))), 0) AS h FROM jobs")
        snap['job_fields'] = cur.fetchone()
    return snap


def tables(db):
    return {list(r.values())[0] for r in query(db, 'SHOW TABLES')}


# --- images -----------------------------------------------------------------------

def jpeg(width=40, height=24, comment=None):
    """A valid baseline greyscale JPEG of one flat grey: every 8x8 block is coded as DC
    difference 0 then end-of-block, with one-code Huffman tables. A COM segment makes it
    unique."""
    comment = (comment or uuid.uuid4().hex).encode()

    def seg(marker, payload):
        return b'\xff' + bytes([marker]) + struct.pack('>H', len(payload) + 2) + payload

    blocks = ((width + 7) // 8) * ((height + 7) // 8)
    bits = '00' * blocks
    bits += '1' * (-len(bits) % 8)
    scan = bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))
    one_code = bytes([1] + [0] * 15) + b'\x00'  # one code of length 1, for symbol 0
    return (b'\xff\xd8'
            + seg(0xE0, b'JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00')
            + seg(0xFE, comment)
            + seg(0xDB, b'\x00' + bytes([1] * 64))
            + seg(0xC0, b'\x08' + struct.pack('>HH', height, width) + b'\x01' + b'\x01\x11\x00')
            + seg(0xC4, b'\x00' + one_code)
            + seg(0xC4, b'\x10' + one_code)
            + seg(0xDA, b'\x01\x01\x00\x00\x3f\x00')
            + scan + b'\xff\xd9')


# A lossless (VP8L) WebP of one pixel; its width and height are patched in.
_WEBP_1X1 = base64.b64decode('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==')


def webp(width=30, height=20):
    """A lossless WebP whose VP8L header carries width and height (every prefix code of
    the stream has a single symbol, so the pixel data does not depend on the size)."""
    assert 1 <= width <= 16384 and 1 <= height <= 16384
    data = bytearray(_WEBP_1X1)
    assert data[20] == 0x2F
    old = struct.unpack('<I', bytes(data[21:25]))[0]
    bits = (old & ~((1 << 28) - 1)) | (width - 1) | ((height - 1) << 14)
    data[21:25] = struct.pack('<I', bits)
    return bytes(data)


GIF = (b'GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00'
       b',\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;')


# --- jobs -------------------------------------------------------------------------

def job_body(**over):
    body = {'name': 'job-' + uuid.uuid4().hex[:10], 'title': 'Mark the things', 'description': 'e2e test job',
            'instructions': 'Draw one box per thing.', 'labels': ['car', 'person'], 'bounty': '0.05',
            'budget': '1.00', 'resultsPerImage': 3}
    body.update(over)
    return body


def upload_pngs(requester, job_id, images, batch=25):
    """Uploads the PNG byte strings as multipart files; returns the tasks, in order."""
    tasks = []
    for start in range(0, len(images), batch):
        part = images[start:start + batch]
        files = [('file', (f'img{start + i:04d}.png', data, 'image/png')) for i, data in enumerate(part)]
        body = expect(requester.post(f'/api/jobs/{job_id}/images', files=files), 201)
        assert len(body['items']) == len(part), body
        assert not any(item['duplicate'] for item in body['items']), body
        tasks += [item['task'] for item in body['items']]
    return tasks


class JobSetup:
    def __init__(self, requester, job, tasks):
        self.requester = requester
        self.job = job
        self.tasks = tasks

    @property
    def id(self):
        return self.job['id']


def requester_with_active_job(base, images=1, results_per_image=1, bounty='0.05', budget=None,
                              labels=('car', 'person'), width=64, height=48, credit=None, **job_fields):
    """A new requester with an active job of `images` distinct PNGs of width x height.
    `budget` defaults to what pays every result; the requester is credited `credit`
    (default: the budget) before activation."""
    if budget is None:
        budget = str(money(bounty) * images * results_per_image)
    requester = register(base, 'requester')
    credit = budget if credit is None else credit
    if money(credit) > 0:
        admin('credit', requester.email, str(money(credit)))
    job = expect(requester.post('/api/jobs', json=job_body(
        labels=list(labels), bounty=str(bounty), budget=str(budget), resultsPerImage=results_per_image,
        **job_fields)), 201)
    assert job['state'] == 'draft', job
    tasks = upload_pngs(requester, job['id'], [png(width, height) for _ in range(images)]) if images else []
    job = expect(requester.post(f'/api/jobs/{job["id"]}/activate'), 200)
    assert job['state'] == 'active', job
    return JobSetup(requester, job, tasks)


def inside_box(lease, label=None):
    img = lease['image']
    return {'x': 1, 'y': 2, 'w': max(1, img['width'] // 2), 'h': max(1, img['height'] // 2),
            'label': label or lease['labels'][0]}


# --- review -----------------------------------------------------------------------

def approve_all(requester, job_id):
    """The requester approves every pending result of the job; returns the decision."""
    return expect(review(requester, job_id, 'approve', state='pending'), 200)


# --- review and settlement (tests/e2e/test_review.py, test_review_races.py) ---------

MONEY_TEXT = re.compile(r'-?\d+\.\d\d')


def escrow_balance(db, job_id):
    """The balance of the job's escrow account, from the database."""
    row = query_one(db, 'SELECT a.balance FROM jobs j JOIN accounts a ON a.id = j.account_id WHERE j.id = %s', job_id)
    return money(row['balance'])


def submit_one(tasker, job_id, **fields):
    """A new lease in the job (201) and one box handed in on it (201): (lease, train)."""
    lease = expect(tasker.post(f'/api/jobs/{job_id}/leases'), 201)
    train = expect(tasker.post(f'/api/leases/{lease["id"]}/train',
                               json={'boxes': [inside_box(lease)], **fields}), 201)
    return lease, train


def review(requester, job_id, action, **selection):
    """POST /api/jobs/{job_id}/review with {"action": action, **selection} (trainIds,
    taskerId, state, reason, preview); the response."""
    return requester.post(f'/api/jobs/{job_id}/review', json={'action': action, **selection})


def earnings(client):
    """GET /api/me/earnings: the three figures (and approved), strings with two decimals,
    as Decimals; the counts as ints."""
    body = expect(client.get('/api/me/earnings'), 200)
    out = {}
    for key in ('available', 'pending', 'approved', 'rejected'):
        assert isinstance(body[key], str) and MONEY_TEXT.fullmatch(body[key]), f'{key} is not money: {body}'
        out[key] = money(body[key])
    for key in ('pendingCount', 'approvedCount', 'rejectedCount'):
        assert isinstance(body[key], int), f'{key} is not a count: {body}'
        out[key] = body[key]
    return out
