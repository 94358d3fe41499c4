#!/usr/bin/env python3
"""A small in-memory stand-in for the TrainTasker JSON API (docs/API.md), for
developing the Tasker web app while the real server is not running.

It serves web/tasker/dist/ at /tasker/ and the subset of /api/ the Tasker app and
its tests use. It is NOT the server and is not used by the tests: they always run
against the real stack (TT_BASE_URL). It exists so the UI can be tried and the test
suite can be exercised before the server is up.

    python3 web/tasker/dev/fake_api.py serve --port 8199 [--lease-seconds 600]
        [--delay-ms 0] [--mysql-config cfg.json]
    python3 web/tasker/dev/fake_api.py admin --url http://127.0.0.1:8199 credit EMAIL AMOUNT

With --mysql-config (a JSON file with a "database" object: socket, user, password,
name) trains and boxes are also written to MySQL tables `trains` and `boxes`, so
the tests' database checks can be tried too.
"""
import argparse
import datetime as dt
import hashlib
import json
import mimetypes
import os
import re
import secrets
import struct
import sys
import threading
import time
import urllib.request
from decimal import Decimal, ROUND_DOWN
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

DIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'dist')
LOCK = threading.RLock()


def now():
    return time.time()


def iso(t):
    if t is None:
        return None
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def money(d):
    return str(Decimal(d).quantize(Decimal('0.01')))


class ApiError(Exception):
    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def parse_money(v, field):
    if isinstance(v, (int, float)):
        v = repr(v)
    if not isinstance(v, str) or not re.fullmatch(r'\d+(\.\d{1,2})?', v.strip()):
        raise ApiError(422, 'invalid_amount', f'{field} must be an amount with at most two decimals.')
    return Decimal(v.strip())


def png_size(data):
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ApiError(415, 'unsupported_media_type', 'Only PNG images are accepted by the fake server.')
    w, h = struct.unpack('>II', data[16:24])
    return w, h


class State:
    def __init__(self, lease_seconds, mysql_cfg):
        self.lease_seconds = lease_seconds
        self.users, self.sessions, self.jobs, self.tasks = {}, {}, {}, {}
        self.leases, self.trains, self.payouts, self.ledger = {}, {}, {}, []
        self.seq = 0
        self.db = None
        if mysql_cfg:
            import pymysql
            c = json.load(open(mysql_cfg))['database']
            self.db = pymysql.connect(unix_socket=c.get('socket'), host=c.get('host', 'localhost'),
                                      user=c['user'], password=c.get('password', ''),
                                      database=c['name'], autocommit=True)
            with self.db.cursor() as cur:
                cur.execute('CREATE TABLE IF NOT EXISTS trains (id BIGINT PRIMARY KEY, lease_id BIGINT, '
                            'task_id BIGINT, job_id BIGINT, tasker_id BIGINT, nothing_to_mark TINYINT, '
                            'coordinate_space VARCHAR(20), created_at DATETIME)')
                cur.execute('CREATE TABLE IF NOT EXISTS boxes (id BIGINT AUTO_INCREMENT PRIMARY KEY, '
                            'train_id BIGINT, x DOUBLE, y DOUBLE, w DOUBLE, h DOUBLE, label VARCHAR(100))')
                cur.execute('SELECT COALESCE(MAX(id), 0) FROM trains')
                self.seq = cur.fetchone()[0] + 1000

    def next_id(self):
        self.seq += 1
        return self.seq

    # --- records ---
    def user_json(self, u):
        day = dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d')
        today = sum((e['amount'] for e in self.ledger if e['userId'] == u['id'] and e['kind'] == 'bounty'
                     and iso(e['t']).startswith(day)), Decimal('0'))
        return {'id': u['id'], 'email': u['email'], 'screenName': u['screenName'], 'role': u['role'],
                'balance': money(u['balance']), 'earnedToday': money(today), 'createdAt': iso(u['t'])}

    def job_json(self, j, tasker=None):
        tasks = [t for t in self.tasks.values() if t['jobId'] == j['id']]
        trains = [t for t in self.trains.values() if t['jobId'] == j['id']]
        live = [l for l in self.leases.values() if l['jobId'] == j['id'] and self.is_live(l)]
        out = {k: j[k] for k in ('id', 'name', 'title', 'description', 'instructions', 'type', 'labels',
                                 'resultsPerImage', 'state', 'startTime', 'endTime')}
        out.update(bounty=money(j['bounty']), budget=money(j['budget']), budgetLeft=money(j['budgetLeft']),
                   imageCount=len(tasks), trainCount=len(trains),
                   openSlots=max(0, sum(j['resultsPerImage'] for _ in tasks) - len(trains) - len(live)),
                   createdAt=iso(j['t']), updatedAt=iso(j['t']))
        if tasker is not None:
            out.pop('budget')
            out['imagesLeftForMe'] = len([t for t in tasks if self.can_take(t, tasker)])
        return out

    def lease_json(self, l):
        t = self.tasks[l['taskId']]
        j = self.jobs[l['jobId']]
        self.is_live(l)
        return {'id': l['id'], 'taskId': t['id'], 'jobId': j['id'], 'state': l['state'],
                'expiresAt': iso(l['expires']), 'secondsLeft': max(0, int(l['expires'] - now())),
                'bounty': money(j['bounty']), 'labels': j['labels'],
                'image': {'url': f"/api/tasks/{t['id']}/image", 'width': t['width'], 'height': t['height']}}

    def is_live(self, l):
        if l['state'] == 'live' and l['expires'] <= now():
            l['state'] = 'expired'
        return l['state'] == 'live'

    def can_take(self, t, tasker):
        if any(l['taskId'] == t['id'] and l['taskerId'] == tasker['id'] for l in self.leases.values()):
            return False
        used = len([x for x in self.trains.values() if x['taskId'] == t['id']])
        live = len([l for l in self.leases.values() if l['taskId'] == t['id'] and self.is_live(l)])
        return used + live < t['resultsWanted']


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    state = None
    delay = 0.0

    def log_message(self, fmt, *args):
        if os.environ.get('FAKE_API_LOG'):
            sys.stderr.write('fake_api: ' + fmt % args + '\n')

    # --- plumbing ---
    def send(self, status, body=None, headers=None, raw=None, ctype='application/json'):
        data = raw if raw is not None else (b'' if body is None else json.dumps(body).encode())
        self.send_response(status)
        if status != 204:
            self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(data)))
        self.send_header('Cache-Control', 'no-store' if ctype == 'application/json' else 'private, max-age=60')
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if status != 204:
            self.wfile.write(data)

    def body(self):
        n = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(n) if n else b''

    def json_body(self):
        raw = self.body()
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except ValueError:
            raise ApiError(400, 'malformed_json', 'The request body is not valid JSON.')

    def current_user(self, role=None):
        token = None
        auth = self.headers.get('Authorization', '')
        if auth.startswith('Bearer '):
            token = auth[7:]
        for part in (self.headers.get('Cookie') or '').split(';'):
            k, _, v = part.strip().partition('=')
            if k == 'tt_session' and not token:
                token = v
        uid = self.state.sessions.get(token)
        if not uid:
            raise ApiError(401, 'not_signed_in', 'Please sign in.')
        u = self.state.users[uid]
        if role and u['role'] != role:
            raise ApiError(403, 'forbidden', f'Only a {role} can do that.')
        return u

    def do_GET(self): self.route('GET')
    def do_POST(self): self.route('POST')
    def do_DELETE(self): self.route('DELETE')
    def do_PATCH(self): self.route('PATCH')

    def route(self, method):
        url = urlparse(self.path)
        path = url.path
        if not path.startswith('/api/'):
            return self.static(path)
        if self.delay:
            time.sleep(self.delay)
        try:
            with LOCK:
                self.api(method, path[4:], parse_qs(url.query))
        except ApiError as e:
            self.send(e.status, {'error': {'code': e.code, 'message': e.message}}, e.headers)
        except Exception as e:  # pragma: no cover - a bug in the fake
            self.send(500, {'error': {'code': 'internal', 'message': f'Fake server bug: {e}'}})

    def static(self, path):
        if path in ('/', '/tasker'):
            return self.send(302, raw=b'', headers={'Location': '/tasker/'}, ctype='text/plain')
        if not path.startswith('/tasker/'):
            return self.send(404, raw=b'not found', ctype='text/plain')
        rel = path[len('/tasker/'):] or 'index.html'
        full = os.path.realpath(os.path.join(DIST, rel))
        if not full.startswith(os.path.realpath(DIST)) or not os.path.isfile(full):
            return self.send(404, raw=b'not found', ctype='text/plain')
        ctype = mimetypes.guess_type(full)[0] or 'application/octet-stream'
        with open(full, 'rb') as f:
            self.send(200, raw=f.read(), ctype=ctype)

    # --- API ---
    def api(self, method, p, query):
        s = self.state
        m = lambda pat: re.fullmatch(pat, p)
        if p == '/healthz':
            return self.send(200, {'status': 'ok', 'database': 'ok'})
        if p == '/auth/register' and method == 'POST':
            b = self.json_body()
            email = str(b.get('email', '')).strip().lower()
            if not re.fullmatch(r'[^@\s]+@[^@\s]+', email):
                raise ApiError(422, 'invalid_email', 'Enter a valid email address.')
            if len(str(b.get('password', ''))) < 8:
                raise ApiError(422, 'weak_password', 'The password must be at least 8 characters long.')
            if any(u['email'] == email for u in s.users.values()):
                raise ApiError(409, 'email_taken', 'An account with this email already exists.')
            role = b.get('role', 'tasker')
            if role not in ('tasker', 'requester'):
                raise ApiError(422, 'invalid_role', 'The role must be tasker or requester.')
            u = {'id': s.next_id(), 'email': email, 'password': b['password'],
                 'screenName': b.get('screenName') or email.split('@')[0], 'role': role,
                 'balance': Decimal('0'), 't': now()}
            s.users[u['id']] = u
            return self.signed_in(u, 201)
        if p == '/auth/login' and method == 'POST':
            b = self.json_body()
            email = str(b.get('email', '')).strip().lower()
            u = next((u for u in s.users.values() if u['email'] == email), None)
            if not u or u['password'] != b.get('password'):
                raise ApiError(401, 'invalid_credentials', 'The email or password is not right.')
            return self.signed_in(u, 200)
        if p == '/auth/logout' and method == 'POST':
            self.current_user()
            return self.send(204, headers={'Set-Cookie': 'tt_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax'})
        if p == '/__fake/credit' and method == 'POST':
            b = self.json_body()
            u = next((u for u in s.users.values() if u['email'] == b['email'].lower()), None)
            if not u:
                raise ApiError(404, 'not_found', 'No such user.')
            u['balance'] += Decimal(str(b['amount']))
            return self.send(200, s.user_json(u))
        if p == '/me' and method == 'GET':
            return self.send(200, s.user_json(self.current_user()))
        if p == '/open-jobs' and method == 'GET':
            u = self.current_user('tasker')
            items = [s.job_json(j, u) for j in s.jobs.values() if j['state'] == 'active']
            return self.send(200, {'items': items})
        if p == '/jobs' and method == 'POST':
            u = self.current_user('requester')
            b = self.json_body()
            labels = b.get('labels') or []
            if not labels or not all(isinstance(x, str) and x for x in labels):
                raise ApiError(422, 'invalid_labels', 'Give at least one label.')
            j = {'id': s.next_id(), 'ownerId': u['id'], 'name': b.get('name', ''), 'title': b.get('title', ''),
                 'description': b.get('description', ''), 'instructions': b.get('instructions', ''),
                 'type': b.get('type', 'ImageRegion'), 'labels': labels,
                 'bounty': parse_money(b.get('bounty'), 'bounty'), 'budget': parse_money(b.get('budget'), 'budget'),
                 'budgetLeft': Decimal('0'), 'resultsPerImage': int(b.get('resultsPerImage', 1)),
                 'state': 'draft', 'startTime': None, 'endTime': None, 't': now()}
            s.jobs[j['id']] = j
            return self.send(201, s.job_json(j))
        mm = m(r'/jobs/(\d+)(/[a-z]+)?')
        if mm:
            j = s.jobs.get(int(mm.group(1)))
            if not j:
                raise ApiError(404, 'not_found', 'There is no such job.')
            sub = mm.group(2)
            if sub == '/leases' and method == 'POST':
                return self.take_lease(self.current_user('tasker'), j)
            u = self.current_user()
            if sub is None and method == 'GET':
                if u['id'] != j['ownerId'] and not (u['role'] == 'tasker' and j['state'] == 'active'):
                    raise ApiError(403, 'forbidden', 'You cannot see this job.')
                return self.send(200, s.job_json(j))
            if j['ownerId'] != u['id']:
                raise ApiError(403, 'forbidden', 'This is not your job.')
            if sub == '/activate' and method == 'POST':
                if j['state'] != 'draft':
                    raise ApiError(409, 'not_draft', 'Only a draft job can be activated.')
                if u['balance'] < j['budget']:
                    raise ApiError(422, 'insufficient_balance', 'Your balance does not cover the budget.')
                u['balance'] -= j['budget']
                j['budgetLeft'] = j['budget']
                j['state'] = 'active'
                return self.send(200, s.job_json(j))
            if sub == '/finish' and method == 'POST':
                j['state'] = 'finished'
                for l in s.leases.values():
                    if l['jobId'] == j['id'] and s.is_live(l):
                        l['state'] = 'released'
                u['balance'] += j['budgetLeft']
                j['budgetLeft'] = Decimal('0')
                return self.send(200, s.job_json(j))
            if sub == '/images' and method == 'POST':
                data = self.body()
                w, h = png_size(data)
                t = {'id': s.next_id(), 'jobId': j['id'], 'width': w, 'height': h, 'data': data,
                     'mimeType': 'image/png', 'sha256': hashlib.sha256(data).hexdigest(),
                     'filename': (query.get('filename') or ['image.png'])[0],
                     'resultsWanted': j['resultsPerImage'], 't': now()}
                s.tasks[t['id']] = t
                return self.send(201, {'items': [{'task': self.task_json(t), 'duplicate': False}]})
            if sub == '/tasks' and method == 'GET':
                items = [self.task_json(t) for t in s.tasks.values() if t['jobId'] == j['id']]
                return self.send(200, {'items': items, 'page': 1, 'perPage': 500, 'total': len(items)})
            if sub == '/trains' and method == 'GET':
                items = [tr for tr in s.trains.values() if tr['jobId'] == j['id']]
                return self.send(200, {'items': items, 'page': 1, 'perPage': 500, 'total': len(items)})
        mm = m(r'/tasks/(\d+)/image')
        if mm and method == 'GET':
            u = self.current_user()
            t = s.tasks.get(int(mm.group(1)))
            if not t:
                raise ApiError(404, 'not_found', 'There is no such image.')
            if not any(l['taskId'] == t['id'] and l['taskerId'] == u['id'] for l in s.leases.values()) \
                    and s.jobs[t['jobId']]['ownerId'] != u['id']:
                raise ApiError(403, 'forbidden', 'You do not hold a lease on this image.')
            return self.send(200, raw=t['data'], ctype=t['mimeType'])
        mm = m(r'/leases/(\d+)(/train)?')
        if mm:
            u = self.current_user('tasker')
            l = s.leases.get(int(mm.group(1)))
            if not l or l['taskerId'] != u['id']:
                raise ApiError(404, 'not_found', 'There is no such lease.')
            if mm.group(2) and method == 'POST':
                return self.submit(u, l)
            if method == 'GET':
                return self.send(200, s.lease_json(l))
            if method == 'DELETE':
                if not s.is_live(l):
                    raise ApiError(409, 'lease_not_live', 'This lease has already ended.')
                l['state'] = 'released'
                return self.send(204)
        if p == '/payouts':
            u = self.current_user()
            if method == 'GET':
                items = [x for x in s.payouts.values() if x['userId'] == u['id']]
                return self.send(200, {'items': [self.payout_json(x) for x in reversed(items)]})
            if method == 'POST':
                if u['role'] != 'tasker':
                    raise ApiError(403, 'forbidden', 'Only a tasker can ask for a payout.')
                b = self.json_body()
                amount = parse_money(b.get('amount'), 'The amount')
                if amount <= 0:
                    raise ApiError(422, 'invalid_amount', 'The amount must be more than zero.')
                if not str(b.get('address', '')).strip():
                    raise ApiError(422, 'invalid_address', 'Give the wallet address to pay to.')
                if amount > u['balance']:
                    raise ApiError(422, 'insufficient_balance',
                                   f"Your balance ({money(u['balance'])}) is less than the amount asked for.")
                u['balance'] -= amount
                x = {'id': s.next_id(), 'userId': u['id'], 'amount': amount, 'address': b['address'].strip(),
                     'state': 'requested', 't': now()}
                s.payouts[x['id']] = x
                return self.send(201, self.payout_json(x))
        raise ApiError(404, 'not_found', 'There is no such route.')

    def signed_in(self, u, status):
        token = secrets.token_hex(16)
        self.state.sessions[token] = u['id']
        exp = now() + 7 * 86400
        return self.send(status, {'user': self.state.user_json(u), 'token': token, 'expiresAt': iso(exp)},
                         {'Set-Cookie': f'tt_session={token}; Path=/; HttpOnly; SameSite=Lax'})

    def task_json(self, t):
        return {'id': t['id'], 'jobId': t['jobId'], 'width': t['width'], 'height': t['height'],
                'mimeType': t['mimeType'], 'sha256': t['sha256'], 'filename': t['filename'],
                'resultsWanted': t['resultsWanted'],
                'trainCount': len([x for x in self.state.trains.values() if x['taskId'] == t['id']]),
                'liveLeases': len([l for l in self.state.leases.values()
                                   if l['taskId'] == t['id'] and self.state.is_live(l)]),
                'imageUrl': f"/api/tasks/{t['id']}/image",
                'createdAt': iso(t['t'])}

    def payout_json(self, x):
        return {'id': x['id'], 'amount': money(x['amount']), 'address': x['address'], 'state': x['state'],
                'reference': None, 'createdAt': iso(x['t']), 'decidedAt': None}

    def take_lease(self, u, j):
        s = self.state
        if j['state'] != 'active':
            raise ApiError(409, 'job_not_open', 'This job is not open for work right now.')
        for l in s.leases.values():
            if l['jobId'] == j['id'] and l['taskerId'] == u['id'] and s.is_live(l):
                return self.send(200, s.lease_json(l))
        if j['budgetLeft'] < j['bounty']:
            raise ApiError(404, 'no_work', 'There is no more work in this job for you.')
        for t in sorted((t for t in s.tasks.values() if t['jobId'] == j['id']), key=lambda t: t['id']):
            if s.can_take(t, u):
                l = {'id': s.next_id(), 'taskId': t['id'], 'jobId': j['id'], 'taskerId': u['id'],
                     'state': 'live', 'expires': now() + s.lease_seconds}
                s.leases[l['id']] = l
                return self.send(201, s.lease_json(l))
        raise ApiError(404, 'no_work', 'There is no more work in this job for you.')

    def submit(self, u, l):
        s = self.state
        b = self.json_body()
        boxes = b.get('boxes') or []
        nothing = bool(b.get('nothingToMark'))
        existing = next((tr for tr in s.trains.values() if tr['leaseId'] == l['id']), None)
        if existing:
            if existing['boxes'] == [dict(x, x=float(x['x']), y=float(x['y']), w=float(x['w']), h=float(x['h']))
                                     for x in boxes] and existing['nothingToMark'] == nothing:
                return self.send(200, existing)
            raise ApiError(409, 'lease_not_live', 'This image was already answered.')
        if not s.is_live(l):
            if l['state'] == 'expired':
                raise ApiError(409, 'lease_expired', 'The time for this image ran out before the answer arrived.')
            raise ApiError(409, 'lease_not_live', 'This lease has already ended.')
        t = s.tasks[l['taskId']]
        j = s.jobs[l['jobId']]
        if not boxes and not nothing:
            raise ApiError(422, 'empty_train', 'Draw at least one box or say there is nothing to mark.')
        clean = []
        for x in boxes:
            try:
                bx, by, bw, bh = (float(x[k]) for k in 'xywh')
            except (KeyError, TypeError, ValueError):
                raise ApiError(422, 'invalid_box', 'Each box needs numbers x, y, w and h.')
            if bw <= 0 or bh <= 0 or bx < 0 or by < 0 or bx + bw > t['width'] or by + bh > t['height']:
                raise ApiError(422, 'box_outside_image', 'A box reaches outside the image.')
            if x.get('label') not in j['labels']:
                raise ApiError(422, 'unknown_label', 'A box has a label this job does not use.')
            clean.append({'x': bx, 'y': by, 'w': bw, 'h': bh, 'label': x['label']})
        tr = {'id': s.next_id(), 'leaseId': l['id'], 'taskId': t['id'], 'jobId': j['id'], 'taskerId': u['id'],
              'nothingToMark': nothing, 'coordinateSpace': 'image', 'boxes': clean,
              'bounty': money(j['bounty']), 'createdAt': iso(now())}
        s.trains[tr['id']] = tr
        l['state'] = 'submitted'
        u['balance'] += j['bounty']
        j['budgetLeft'] -= j['bounty']
        s.ledger.append({'userId': u['id'], 'kind': 'bounty', 'amount': j['bounty'], 't': now()})
        if s.db:
            with s.db.cursor() as cur:
                cur.execute('INSERT INTO trains VALUES (%s,%s,%s,%s,%s,%s,%s,UTC_TIMESTAMP())',
                            (tr['id'], l['id'], t['id'], j['id'], u['id'], int(nothing), 'image'))
                for x in clean:
                    cur.execute('INSERT INTO boxes (train_id,x,y,w,h,label) VALUES (%s,%s,%s,%s,%s,%s)',
                                (tr['id'], x['x'], x['y'], x['w'], x['h'], x['label']))
        return self.send(201, tr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    sv = sub.add_parser('serve')
    sv.add_argument('--host', default='127.0.0.1')
    sv.add_argument('--port', type=int, default=8199)
    sv.add_argument('--lease-seconds', type=int, default=600)
    sv.add_argument('--delay-ms', type=int, default=0, help='added latency per API request')
    sv.add_argument('--mysql-config')
    ad = sub.add_parser('admin')
    ad.add_argument('--url', default='http://127.0.0.1:8199')
    ad.add_argument('what', choices=['credit'])
    ad.add_argument('email')
    ad.add_argument('amount')
    a = ap.parse_args()
    if a.cmd == 'admin':
        req = urllib.request.Request(a.url + '/api/__fake/credit', method='POST',
                                     data=json.dumps({'email': a.email, 'amount': a.amount}).encode(),
                                     headers={'Content-Type': 'application/json'})
        print(urllib.request.urlopen(req).read().decode())
        return
    Handler.state = State(a.lease_seconds, a.mysql_config)
    Handler.delay = a.delay_ms / 1000.0
    srv = ThreadingHTTPServer((a.host, a.port), Handler)
    srv.daemon_threads = True
    print(f'fake TrainTasker API on http://{a.host}:{a.port}/tasker/', flush=True)
    srv.serve_forever()


if __name__ == '__main__':
    main()
