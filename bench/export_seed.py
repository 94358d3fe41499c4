#!/usr/bin/python3
"""Seeds one big job for bench/export.sh: TASKS tasks (distinct small PNGs in the
content-addressed image store), 3 taskers with one lease and one train each per task
(3 x TASKS trains), and 1 or 2 boxes per train (about 1.5 x 3 x TASKS boxes).

The requester, the taskers and the job are made through the JSON API; tasks, leases,
trains and boxes are bulk-inserted by SQL (the trains' boxes from the MariaDB sequence
table seq_1_to_2). Prints the job as JSON: {"jobId", "token", "tasks", "trains", "boxes"}.

Environment: TT_BASE_URL, TT_CONFIG (config.json: database, dataDirectory), TT_ADMIN.
"""
import argparse
import hashlib
import json
import os
import shlex
import struct
import subprocess
import sys
import time
import uuid
import zlib

import pymysql
import requests

WIDTH, HEIGHT = 32, 24


def png(n):
    """A WIDTH x HEIGHT RGB PNG whose first pixel encodes n: distinct for n < 2**24."""
    row = b'\x00' + bytes((90, 120, 150)) * WIDTH
    first = b'\x00' + struct.pack('>I', n)[1:] + row[4:]
    raw = first + row * (HEIGHT - 1)

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)

    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', WIDTH, HEIGHT, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(raw, 1)) + chunk(b'IEND', b''))


def api(base, method, path, token=None, **kw):
    headers = {'Authorization': f'Bearer {token}'} if token else {}
    r = requests.request(method, base + '/api' + path, headers=headers, timeout=60, **kw)
    if r.status_code not in (200, 201):
        sys.exit(f'{method} {path} -> {r.status_code}: {r.text[:300]}')
    return r.json()


def register(base, role):
    email = f'bench-{role}-{uuid.uuid4().hex[:10]}@example.com'
    body = api(base, 'POST', '/auth/register', json={'email': email, 'password': 'correct horse 42', 'role': role,
                                                    'screenName': email.split('@')[0][:30]})
    return email, body['user']['id'], body['token']


def log(message, started):
    print(f'  seed: {message} ({time.monotonic() - started:.1f}s)', file=sys.stderr, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--tasks', type=int, default=100_000)
    args = parser.parse_args()
    base = os.environ['TT_BASE_URL'].rstrip('/')
    with open(os.environ['TT_CONFIG']) as f:
        config = json.load(f)
    started = time.monotonic()

    email, requester_id, token = register(base, 'requester')
    subprocess.run(shlex.split(os.environ['TT_ADMIN']) + ['credit', email, '100.00'], check=True,
                   capture_output=True, timeout=60)
    job = api(base, 'POST', '/jobs', token, json={
        'name': f'bench-export-{uuid.uuid4().hex[:8]}', 'title': 'Export benchmark', 'description': 'bench',
        'instructions': 'bench', 'labels': ['car', 'person'], 'bounty': '0.01', 'budget': '0',
        'resultsPerImage': 3})
    taskers = [register(base, 'tasker')[1] for _ in range(3)]
    log(f'job {job["id"]}, taskers {taskers}', started)

    # Images: distinct PNGs in <dataDirectory>/images/ab/<sha256 hex>.
    store = os.path.join(config['dataDirectory'], 'images')
    rows = []
    for n in range(args.tasks):
        data = png(n)
        digest = hashlib.sha256(data).digest()
        hexdigest = digest.hex()
        folder = os.path.join(store, hexdigest[:2])
        path = os.path.join(folder, hexdigest)
        if not os.path.exists(path):
            os.makedirs(folder, exist_ok=True)
            with open(path, 'wb') as f:
                f.write(data)
        rows.append((job['id'], digest, 'image/png', WIDTH, HEIGHT, len(data), f'bench-{n:06d}.png', 3, 3, 0))
    log(f'{args.tasks} image files written', started)

    c = config['database']
    db = pymysql.connect(unix_socket=c['socket'], user=c['user'], password=c['password'], database=c['name'],
                         autocommit=False)
    cur = db.cursor()
    for i in range(0, len(rows), 5000):
        cur.executemany("""INSERT INTO tasks (job_id, sha256, mime_type, width, height, byte_count, filename,
                           results_wanted, train_count, open_slots) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)""",
                        rows[i:i + 5000])
    db.commit()
    log('tasks inserted', started)

    cur.execute("""
        INSERT INTO leases (task_id, job_id, tasker_id, state, bounty, created_at, expires_at, ended_at)
        SELECT t.id, t.job_id, u.id, 'submitted', 0.01,
               NOW(6) - INTERVAL MOD(t.id, 160) HOUR, NOW(6) - INTERVAL MOD(t.id, 160) HOUR + INTERVAL 10 MINUTE,
               NOW(6) - INTERVAL MOD(t.id, 160) HOUR + INTERVAL 1 MINUTE
        FROM tasks t JOIN users u ON u.id IN (%s, %s, %s)
        WHERE t.job_id = %s ORDER BY t.id, u.id""", (*taskers, job['id']))
    db.commit()
    log('leases inserted', started)
    cur.execute("""
        INSERT INTO trains (lease_id, task_id, job_id, tasker_id, nothing_to_mark, coordinate_space, bounty, created_at)
        SELECT l.id, l.task_id, l.job_id, l.tasker_id, 0, 'image', l.bounty, l.ended_at
        FROM leases l WHERE l.job_id = %s ORDER BY l.id""", (job['id'],))
    db.commit()
    log('trains inserted', started)
    cur.execute("""
        INSERT INTO boxes (train_id, x, y, w, h, label)
        SELECT tr.id, MOD(tr.id, 10) + 0.5 * s.seq, MOD(tr.id, 7) + 0.25 * s.seq, 10.5, 8.25, ELT(s.seq, 'car', 'person')
        FROM trains tr JOIN seq_1_to_2 s ON s.seq <= 1 + MOD(tr.id, 2)
        WHERE tr.job_id = %s ORDER BY tr.id, s.seq""", (job['id'],))
    db.commit()
    log('boxes inserted', started)
    cur.execute('SELECT COUNT(*) FROM trains WHERE job_id = %s', (job['id'],))
    trains = cur.fetchone()[0]
    cur.execute('SELECT COUNT(*) FROM boxes b JOIN trains t ON t.id = b.train_id WHERE t.job_id = %s', (job['id'],))
    boxes = cur.fetchone()[0]
    cur.execute('ANALYZE TABLE tasks, leases, trains, boxes')
    cur.fetchall()
    db.close()
    print(json.dumps({'jobId': job['id'], 'token': token, 'tasks': args.tasks, 'trains': trains, 'boxes': boxes}))


if __name__ == '__main__':
    main()
