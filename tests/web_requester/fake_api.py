#!/usr/bin/python3
"""A stand-in for nginx + the TrainTasker JSON API (docs/API.md), in memory, for developing the
requester app while the Swift server is not running. The real tests run against the real stack
(TT_BASE_URL); nothing here is used unless you point TT_BASE_URL at it.

    /usr/bin/python3 tests/web_requester/fake_api.py serve --port 8090
    TT_BASE_URL=http://127.0.0.1:8090 \
    TT_ADMIN="/usr/bin/python3 tests/web_requester/fake_api.py --url http://127.0.0.1:8090" \
      /usr/bin/python3 -m pytest tests/web_requester

Serves web/requester/dist at /requester/ and the API at /api/. `credit EMAIL AMOUNT` mimics the admin CLI.
"""
import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import mimetypes
import os
import secrets
import struct
import sys
import threading
import urllib.parse
import urllib.request
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'web', 'requester', 'dist')
MAX_IMAGE = 10 * 1024 * 1024
LOCK = threading.Lock()


def now():
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).strftime('%Y-%m-%dT%H:%M:%SZ')


def money(d):
    return f'{Decimal(d):.2f}'


def parse_money(v):
    s = str(v)
    try:
        d = Decimal(s)
    except Exception:
        return None
    if d.as_tuple().exponent < -2 or d < 0:
        return None
    return d


def image_info(data):
    """(mime, width, height) for PNG/JPEG/WebP, else None."""
    if data[:8] == b'\x89PNG\r\n\x1a\n' and len(data) >= 24:
        w, h = struct.unpack('>II', data[16:24])
        return 'image/png', w, h
    if data[:3] == b'\xff\xd8\xff':
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xC0, 0xC1, 0xC2):
                h, w = struct.unpack('>HH', data[i + 5:i + 9])
                return 'image/jpeg', w, h
            seg = struct.unpack('>H', data[i + 2:i + 4])[0]
            i += 2 + seg
        return None
    if data[:4] == b'RIFF' and data[8:12] == b'WEBP':
        chunk = data[12:16]
        if chunk == b'VP8X':
            w = int.from_bytes(data[24:27], 'little') + 1
            h = int.from_bytes(data[27:30], 'little') + 1
            return 'image/webp', w, h
        if chunk == b'VP8 ':
            w, h = struct.unpack('<HH', data[26:30])
            return 'image/webp', w & 0x3FFF, h & 0x3FFF
        if chunk == b'VP8L':
            b = data[21:25]
            w = 1 + (((b[1] & 0x3F) << 8) | b[0])
            h = 1 + (((b[3] & 0xF) << 10) | (b[2] << 2) | ((b[1] & 0xC0) >> 6))
            return 'image/webp', w, h
    return None


class Store:
    def __init__(self):
        self.users, self.sessions, self.jobs, self.tasks, self.leases, self.trains = {}, {}, {}, {}, {}, {}
        self.images = {}
        self.seq = 0

    def next_id(self):
        self.seq += 1
        return self.seq


S = Store()


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def user_view(u):
    return {k: u[k] for k in ('id', 'email', 'screenName', 'role', 'createdAt')} | {
        'balance': money(u['balance']), 'earnedToday': money(u['earned'])}


def job_view(j, for_tasker=None):
    tasks = [t for t in S.tasks.values() if t['jobId'] == j['id']]
    trains = [t for t in S.trains.values() if t['jobId'] == j['id']]
    live = [l for l in S.leases.values() if l['jobId'] == j['id'] and l['state'] == 'live']
    v = {k: j[k] for k in ('id', 'name', 'title', 'description', 'instructions', 'type', 'labels', 'resultsPerImage',
                           'state', 'startTime', 'endTime', 'createdAt', 'updatedAt')}
    v |= {'bounty': money(j['bounty']), 'budget': money(j['budget']), 'budgetLeft': money(j['budgetLeft']),
          'imageCount': len(tasks), 'trainCount': len(trains),
          'openSlots': max(0, len(tasks) * j['resultsPerImage'] - len(trains) - len(live))}
    return v


def task_view(t):
    trains = [x for x in S.trains.values() if x['taskId'] == t['id']]
    live = [l for l in S.leases.values() if l['taskId'] == t['id'] and l['state'] == 'live']
    return t | {'trainCount': len(trains), 'liveLeases': len(live), 'imageUrl': f"/api/tasks/{t['id']}/image"}


def train_view(t):
    return t | {'bounty': money(t['bounty'])}


def page_of(items, q):
    page = max(1, int(q.get('page', ['1'])[0]))
    per = min(500, max(1, int(q.get('perPage', ['50'])[0])))
    return {'items': items[(page - 1) * per:page * per], 'page': page, 'perPage': per, 'total': len(items)}


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):
        if os.environ.get('FAKE_API_LOG'):
            sys.stderr.write('%s %s\n' % (self.command, self.path))

    # --- plumbing ---
    def send(self, status, body=None, ctype='application/json', headers=None):
        data = b'' if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        self.send_response(status)
        if status != 204:
            self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != 'HEAD' and status != 204:
            self.wfile.write(data)

    def body(self):
        n = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(n) if n else b''

    def json_body(self):
        try:
            return json.loads(self.body() or b'{}')
        except ValueError:
            raise ApiError(400, 'malformed_json', 'The body is not valid JSON.')

    def user(self, required=True, role=None):
        token = None
        auth = self.headers.get('Authorization', '')
        if auth.startswith('Bearer '):
            token = auth[7:]
        else:
            for part in (self.headers.get('Cookie') or '').split(';'):
                k, _, v = part.strip().partition('=')
                if k == 'tt_session':
                    token = v
        uid = S.sessions.get(token)
        if uid is None:
            if required:
                raise ApiError(401, 'not_signed_in', 'Sign in first.')
            return None
        u = S.users[uid]
        if role and u['role'] != role:
            raise ApiError(403, 'forbidden', f'Only a {role} can do that.')
        return u

    def do_GET(self): self.route('GET')
    def do_POST(self): self.route('POST')
    def do_PATCH(self): self.route('PATCH')
    def do_DELETE(self): self.route('DELETE')
    def do_HEAD(self): self.route('GET')

    def route(self, method):
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        path = url.path
        try:
            with LOCK:
                if path.startswith('/api/'):
                    return self.api(method, path[5:].strip('/').split('/'), q)
                if path == '/__fake/credit' and method == 'POST':
                    b = self.json_body()
                    u = next((u for u in S.users.values() if u['email'] == b['email']), None)
                    if not u:
                        raise ApiError(404, 'not_found', 'No such user.')
                    u['balance'] += Decimal(b['amount'])
                    return self.send(200, user_view(u))
            return self.static(path)
        except ApiError as e:
            self.send(e.status, {'error': {'code': e.code, 'message': e.message}})
        except (KeyError, ValueError, TypeError) as e:
            self.send(422, {'error': {'code': 'invalid', 'message': f'Invalid input: {e}.'}})

    def static(self, path):
        if path in ('/', '/requester'):
            return self.send(302, b'', headers={'Location': '/requester/'})
        if not path.startswith('/requester/'):
            raise ApiError(404, 'not_found', 'Not found.')
        rel = path[len('/requester/'):] or 'index.html'
        full = os.path.realpath(os.path.join(DIST, rel))
        if not full.startswith(os.path.realpath(DIST)) or not os.path.isfile(full):
            raise ApiError(404, 'not_found', 'Not found.')
        with open(full, 'rb') as f:
            data = f.read()
        ctype = mimetypes.guess_type(full)[0] or 'application/octet-stream'
        if full.endswith('.js'):
            ctype = 'text/javascript'
        self.send(200, data, ctype)

    # --- API ---
    def api(self, m, p, q):
        if p == ['healthz']:
            return self.send(200, {'status': 'ok', 'database': 'ok'})
        if p == ['auth', 'register'] and m == 'POST':
            b = self.json_body()
            if '@' not in b.get('email', '') or len(b.get('password', '')) < 8 or not b.get('screenName'):
                raise ApiError(422, 'invalid', 'Email, a password of 8+ characters and a screen name are required.')
            if b.get('role') not in ('tasker', 'requester'):
                raise ApiError(422, 'invalid_role', 'role must be tasker or requester.')
            if any(u['email'] == b['email'] for u in S.users.values()):
                raise ApiError(409, 'email_taken', 'That email already has an account.')
            uid = S.next_id()
            S.users[uid] = {'id': uid, 'email': b['email'], 'password': b['password'], 'screenName': b['screenName'],
                            'role': b['role'], 'balance': Decimal(0), 'earned': Decimal(0), 'createdAt': now()}
            return self.signed_in(201, S.users[uid])
        if p == ['auth', 'login'] and m == 'POST':
            b = self.json_body()
            u = next((u for u in S.users.values() if u['email'] == b.get('email')), None)
            if not u or u['password'] != b.get('password'):
                raise ApiError(401, 'invalid_credentials', 'Wrong email or password.')
            return self.signed_in(200, u)
        if p == ['auth', 'logout'] and m == 'POST':
            self.user()
            return self.send(204, headers={'Set-Cookie': 'tt_session=; Path=/; Max-Age=0'})
        if p == ['me'] and m == 'GET':
            return self.send(200, user_view(self.user()))
        if p == ['jobs'] and m == 'POST':
            u = self.user(role='requester')
            b = self.json_body()
            for f in ('name', 'title', 'instructions'):
                if not str(b.get(f, '')).strip():
                    raise ApiError(422, 'invalid_' + f, f'{f} is required.')
            bounty, budget = parse_money(b.get('bounty')), parse_money(b.get('budget'))
            if bounty is None or budget is None or bounty <= 0:
                raise ApiError(422, 'invalid_money', 'bounty and budget must be amounts with two decimals.')
            labels = b.get('labels') or []
            if not labels:
                raise ApiError(422, 'invalid_labels', 'At least one label.')
            jid = S.next_id()
            S.jobs[jid] = {'id': jid, 'owner': u['id'], 'name': b['name'], 'title': b['title'],
                           'description': b.get('description', ''), 'instructions': b['instructions'],
                           'type': b.get('type') or 'ImageRegion', 'labels': labels, 'bounty': bounty,
                           'budget': budget, 'budgetLeft': Decimal(0), 'resultsPerImage': int(b['resultsPerImage']),
                           'state': 'draft', 'startTime': b.get('startTime'), 'endTime': b.get('endTime'),
                           'createdAt': now(), 'updatedAt': now()}
            return self.send(201, job_view(S.jobs[jid]))
        if p == ['jobs'] and m == 'GET':
            u = self.user(role='requester')
            items = [job_view(j) for j in sorted(S.jobs.values(), key=lambda j: -j['id']) if j['owner'] == u['id']]
            return self.send(200, page_of(items, q))
        if p == ['open-jobs']:
            self.user(role='tasker')
            return self.send(200, {'items': [job_view(j) for j in S.jobs.values() if j['state'] == 'active']})
        if len(p) >= 2 and p[0] == 'jobs':
            return self.job_routes(m, int(p[1]), p[2:], q)
        if len(p) >= 2 and p[0] == 'tasks':
            u = self.user()
            t = S.tasks.get(int(p[1]))
            if not t or S.jobs[t['jobId']]['owner'] != u['id'] and not any(
                    l['taskId'] == t['id'] and l['taskerId'] == u['id'] for l in S.leases.values()):
                raise ApiError(404, 'not_found', 'No such task.')
            if p[2:] == ['image']:
                return self.send(200, S.images[t['id']], t['mimeType'])
            if p[2:] == ['trains']:
                items = [train_view(x) for x in S.trains.values() if x['taskId'] == t['id']]
                return self.send(200, {'items': items})
            return self.send(200, task_view(t))
        if len(p) == 3 and p[0] == 'leases' and p[2] == 'train' and m == 'POST':
            u = self.user(role='tasker')
            lease = S.leases.get(int(p[1]))
            if not lease or lease['taskerId'] != u['id']:
                raise ApiError(404, 'not_found', 'No such lease.')
            if lease['state'] != 'live':
                raise ApiError(409, 'lease_not_live', 'The lease is not live.')
            b = self.json_body()
            t, j = S.tasks[lease['taskId']], S.jobs[lease['jobId']]
            boxes = b.get('boxes') or []
            if not boxes and not b.get('nothingToMark'):
                raise ApiError(422, 'empty_train', 'No boxes and not nothingToMark.')
            for bx in boxes:
                if bx['label'] not in j['labels']:
                    raise ApiError(422, 'unknown_label', f"Unknown label {bx['label']}.")
                if bx['w'] <= 0 or bx['h'] <= 0 or bx['x'] < 0 or bx['y'] < 0 or bx['x'] + bx['w'] > t['width'] or \
                        bx['y'] + bx['h'] > t['height']:
                    raise ApiError(422, 'box_outside_image', 'A box lies outside the image.')
            tid = S.next_id()
            S.trains[tid] = {'id': tid, 'leaseId': lease['id'], 'taskId': t['id'], 'jobId': j['id'], 'taskerId': u['id'],
                             'nothingToMark': bool(b.get('nothingToMark')), 'coordinateSpace': 'image',
                             'boxes': boxes, 'bounty': j['bounty'], 'createdAt': now()}
            lease['state'] = 'submitted'
            j['budgetLeft'] -= j['bounty']
            u['balance'] += j['bounty']
            u['earned'] += j['bounty']
            return self.send(201, train_view(S.trains[tid]))
        raise ApiError(404, 'not_found', 'No such route.')

    def signed_in(self, status, u):
        token = secrets.token_hex(16)
        S.sessions[token] = u['id']
        return self.send(status, {'user': user_view(u), 'token': token, 'expiresAt': now()},
                         headers={'Set-Cookie': f'tt_session={token}; Path=/; HttpOnly; SameSite=Lax'})

    def job_routes(self, m, jid, rest, q):
        u = self.user()
        j = S.jobs.get(jid)
        if not j or (j['owner'] != u['id'] and not (u['role'] == 'tasker' and j['state'] == 'active')):
            raise ApiError(404, 'not_found', 'No such job.')
        owner = j['owner'] == u['id']
        if rest == [] and m == 'GET':
            return self.send(200, job_view(j))
        if rest == ['leases'] and m == 'POST':
            if u['role'] != 'tasker':
                raise ApiError(403, 'forbidden', 'Only taskers take leases.')
            if j['state'] != 'active':
                raise ApiError(409, 'job_not_open', 'The job is not open.')
            mine = next((l for l in S.leases.values() if l['jobId'] == jid and l['taskerId'] == u['id']
                         and l['state'] == 'live'), None)
            if mine:
                return self.send(200, self.lease_view(mine))
            for t in sorted((t for t in S.tasks.values() if t['jobId'] == jid), key=lambda t: t['id']):
                done = [x for x in S.trains.values() if x['taskId'] == t['id']]
                live = [l for l in S.leases.values() if l['taskId'] == t['id'] and l['state'] == 'live']
                had = any(l['taskId'] == t['id'] and l['taskerId'] == u['id'] for l in S.leases.values())
                if len(done) + len(live) < j['resultsPerImage'] and not had:
                    lid = S.next_id()
                    S.leases[lid] = {'id': lid, 'taskId': t['id'], 'jobId': jid, 'taskerId': u['id'], 'state': 'live'}
                    return self.send(201, self.lease_view(S.leases[lid]))
            raise ApiError(404, 'no_work', 'Nothing left for you in this job.')
        if not owner:
            raise ApiError(403, 'forbidden', 'Not your job.')
        if rest == [] and m == 'PATCH':
            b = self.json_body()
            for k, v in b.items():
                if k in ('bounty', 'budget'):
                    if j['state'] != 'draft':
                        raise ApiError(409, 'not_draft', f'{k} can only change in draft.')
                    j[k] = parse_money(v)
                elif k in ('name', 'title', 'description', 'instructions', 'labels', 'resultsPerImage', 'startTime', 'endTime'):
                    j[k] = v
            j['updatedAt'] = now()
            return self.send(200, job_view(j))
        if len(rest) == 1 and rest[0] in ('activate', 'pause', 'resume', 'finish') and m == 'POST':
            a = rest[0]
            if a == 'activate':
                if j['state'] != 'draft':
                    raise ApiError(409, 'not_draft', 'Only a draft can be activated.')
                if S.users[j['owner']]['balance'] < j['budget']:
                    raise ApiError(422, 'insufficient_balance', 'Your balance does not cover the budget.')
                S.users[j['owner']]['balance'] -= j['budget']
                j['budgetLeft'] = j['budget']
                j['state'] = 'active'
            elif a == 'pause':
                if j['state'] != 'active':
                    raise ApiError(409, 'not_active', 'Only an active job can be paused.')
                j['state'] = 'paused'
            elif a == 'resume':
                if j['state'] != 'paused':
                    raise ApiError(409, 'not_paused', 'Only a paused job can be resumed.')
                j['state'] = 'active'
            else:
                if j['state'] not in ('active', 'paused'):
                    raise ApiError(409, 'not_running', 'Only a running job can be finished.')
                S.users[j['owner']]['balance'] += j['budgetLeft']
                j['budgetLeft'] = Decimal(0)
                j['state'] = 'finished'
                for l in S.leases.values():
                    if l['jobId'] == jid and l['state'] == 'live':
                        l['state'] = 'released'
            j['updatedAt'] = now()
            return self.send(200, job_view(j))
        if rest == ['images'] and m == 'POST':
            if j['state'] == 'finished':
                raise ApiError(409, 'job_finished', 'The job is finished.')
            data = self.body()
            if len(data) > MAX_IMAGE:
                raise ApiError(413, 'too_large', 'The image is larger than 10 MB.')
            info = image_info(data)
            if not info:
                raise ApiError(415, 'unsupported_media_type', 'Only PNG, JPEG and WebP images are accepted.')
            sha = hashlib.sha256(data).hexdigest()
            dup = next((t for t in S.tasks.values() if t['jobId'] == jid and t['sha256'] == sha), None)
            if dup:
                return self.send(201, {'items': [{'task': task_view(dup), 'duplicate': True}]})
            tid = S.next_id()
            S.images[tid] = data
            S.tasks[tid] = {'id': tid, 'jobId': jid, 'width': info[1], 'height': info[2], 'mimeType': info[0],
                            'sha256': sha, 'filename': q.get('filename', [f'image-{tid}'])[0],
                            'resultsWanted': j['resultsPerImage'], 'createdAt': now()}
            return self.send(201, {'items': [{'task': task_view(S.tasks[tid]), 'duplicate': False}]})
        if rest == ['tasks'] and m == 'GET':
            items = [task_view(t) for t in sorted(S.tasks.values(), key=lambda t: t['id']) if t['jobId'] == jid]
            return self.send(200, page_of(items, q))
        if rest == ['stats'] and m == 'GET':
            return self.send(200, self.stats(j))
        if rest == ['export'] and m == 'GET':
            return self.export(j, q.get('format', [''])[0], q.get('only', [''])[0] == 'finished')
        if rest == ['trains'] and m == 'GET':
            items = [train_view(x) for x in S.trains.values() if x['jobId'] == jid]
            if q.get('format') == ['csv']:
                return self.export(j, 'csv', False)
            return self.send(200, page_of(items, q))
        raise ApiError(404, 'not_found', 'No such route.')

    def lease_view(self, l):
        t, j = S.tasks[l['taskId']], S.jobs[l['jobId']]
        return {'id': l['id'], 'taskId': t['id'], 'jobId': j['id'], 'state': l['state'], 'expiresAt': now(),
                'secondsLeft': 600, 'bounty': money(j['bounty']), 'labels': j['labels'],
                'image': {'url': f"/api/tasks/{t['id']}/image", 'width': t['width'], 'height': t['height']}}

    def stats(self, j):
        tasks = [t for t in S.tasks.values() if t['jobId'] == j['id']]
        trains = [x for x in S.trains.values() if x['jobId'] == j['id']]
        per_task = {}
        for x in trains:
            per_task[x['taskId']] = per_task.get(x['taskId'], 0) + 1
        hours, taskers = {}, {}
        for x in trains:
            h = x['createdAt'][:13] + ':00:00Z'
            hours[h] = hours.get(h, 0) + 1
            taskers[x['taskerId']] = taskers.get(x['taskerId'], 0) + 1
        spent = sum((x['bounty'] for x in trains), Decimal(0))
        return {'imagesFinished': sum(1 for t in tasks if per_task.get(t['id'], 0) >= j['resultsPerImage']),
                'imageCount': len(tasks), 'trainCount': len(trains), 'budget': money(j['budget']),
                'budgetLeft': money(j['budgetLeft']), 'spent': money(spent),
                'trainsPerHour': [{'hour': h, 'count': c} for h, c in sorted(hours.items())],
                'taskers': [{'taskerId': k, 'screenName': S.users[k]['screenName'], 'trains': c}
                            for k, c in taskers.items()]}

    def export(self, j, fmt, only_finished):
        tasks = sorted((t for t in S.tasks.values() if t['jobId'] == j['id']), key=lambda t: t['id'])
        trains = [x for x in S.trains.values() if x['jobId'] == j['id']]
        if only_finished:
            tasks = [t for t in tasks if sum(1 for x in trains if x['taskId'] == t['id']) >= j['resultsPerImage']]
        ids = {t['id'] for t in tasks}
        trains = [x for x in trains if x['taskId'] in ids]
        name = j['name'] + ('-finished' if only_finished else '')
        if fmt == 'coco':
            body = json.dumps({'images': [{'id': t['id'], 'file_name': t['filename'], 'width': t['width'],
                                           'height': t['height']} for t in tasks],
                               'categories': [{'id': i + 1, 'name': l} for i, l in enumerate(j['labels'])],
                               'annotations': [{'id': n, 'image_id': x['taskId'],
                                                'category_id': j['labels'].index(b['label']) + 1,
                                                'bbox': [b['x'], b['y'], b['w'], b['h']]}
                                               for n, (x, b) in enumerate(((x, b) for x in trains for b in x['boxes']), 1)]})
            return self.file(body.encode(), 'application/json', f'{name}-coco.json')
        if fmt in ('yolo', 'voc'):
            import zipfile
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, 'w') as z:
                for t in tasks:
                    stem = os.path.splitext(t['filename'])[0]
                    boxes = [b for x in trains if x['taskId'] == t['id'] for b in x['boxes']]
                    if fmt == 'yolo':
                        z.writestr(f'labels/{stem}.txt', ''.join(
                            f"{j['labels'].index(b['label'])} {(b['x'] + b['w'] / 2) / t['width']:.6f} "
                            f"{(b['y'] + b['h'] / 2) / t['height']:.6f} {b['w'] / t['width']:.6f} {b['h'] / t['height']:.6f}\n"
                            for b in boxes))
                    else:
                        objs = ''.join(f"<object><name>{b['label']}</name><bndbox><xmin>{b['x']}</xmin><ymin>{b['y']}</ymin>"
                                       f"<xmax>{b['x'] + b['w']}</xmax><ymax>{b['y'] + b['h']}</ymax></bndbox></object>"
                                       for b in boxes)
                        z.writestr(f'{stem}.xml', f"<annotation><filename>{t['filename']}</filename>{objs}</annotation>")
                if fmt == 'yolo':
                    z.writestr('classes.txt', '\n'.join(j['labels']) + '\n')
            return self.file(buf.getvalue(), 'application/zip', f'{name}-{fmt}.zip')
        if fmt == 'csv':
            out = io.StringIO()
            w = csv.writer(out)
            w.writerow(['taskId', 'filename', 'trainId', 'taskerId', 'label', 'x', 'y', 'w', 'h'])
            fn = {t['id']: t['filename'] for t in tasks}
            for x in trains:
                for b in x['boxes']:
                    w.writerow([x['taskId'], fn[x['taskId']], x['id'], x['taskerId'], b['label'], b['x'], b['y'], b['w'], b['h']])
            return self.file(out.getvalue().encode(), 'text/csv', f'{name}.csv')
        if fmt == 'jsonl':
            body = ''.join(json.dumps(train_view(x), default=str) + '\n' for x in trains)
            return self.file(body.encode(), 'application/x-ndjson', f'{name}.jsonl')
        raise ApiError(422, 'unknown_format', 'format must be coco, yolo, voc, csv or jsonl.')

    def file(self, data, ctype, filename):
        self.send(200, data, ctype, {'Content-Disposition': f'attachment; filename="{filename}"'})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--url', default='http://127.0.0.1:8090', help='for credit: the fake server')
    sub = ap.add_subparsers(dest='cmd', required=True)
    s = sub.add_parser('serve')
    s.add_argument('--port', type=int, default=8090)
    c = sub.add_parser('credit')
    c.add_argument('email')
    c.add_argument('amount')
    a = ap.parse_args()
    if a.cmd == 'serve':
        srv = ThreadingHTTPServer(('127.0.0.1', a.port), Handler)
        print(f'fake TrainTasker API on http://127.0.0.1:{a.port}/requester/', flush=True)
        srv.serve_forever()
    else:
        req = urllib.request.Request(a.url + '/__fake/credit', method='POST',
                                     data=json.dumps({'email': a.email, 'amount': a.amount}).encode(),
                                     headers={'Content-Type': 'application/json'})
        print(urllib.request.urlopen(req).read().decode())


if __name__ == '__main__':
    main()
