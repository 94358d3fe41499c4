"""Helpers for the Requester web app's browser tests: the stack's settings from the
environment, generated PNG images, a scripted tasker on the JSON API, and a Chromium
driver that saves downloads.

Environment:
  TT_BASE_URL   the stack through nginx, e.g. http://127.0.0.1:8181 (required)
  TT_ADMIN      admin command line; `$TT_ADMIN credit EMAIL AMOUNT` credits a user (required)
  TT_CONFIG     the worker's config JSON; its "database" object is used to check rows (required)
  TT_ARTIFACTS  where screenshots go (default var/artifacts); ours go to requester/
"""
import json
import os
import shlex
import struct
import subprocess
import uuid
import zlib

import requests

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


class StackMissing(Exception):
    pass


def base_url():
    url = os.environ.get('TT_BASE_URL', '').strip().rstrip('/')
    if not url:
        raise StackMissing('TT_BASE_URL is not set: point it at the running stack (nginx), '
                           'e.g. TT_BASE_URL=http://127.0.0.1:8080 after `make run`')
    try:
        r = requests.get(url + '/api/healthz', timeout=10)
    except requests.RequestException as e:
        raise StackMissing(f'the stack at {url} does not answer: {e}')
    if r.status_code != 200:
        raise StackMissing(f'{url}/api/healthz answered {r.status_code}: {r.text[:200]}')
    r = requests.get(url + '/requester/', timeout=10)
    if r.status_code != 200 or 'id="root"' not in r.text:
        raise StackMissing(f'{url}/requester/ does not serve the Requester app (status {r.status_code}); '
                           'run web/requester/build.sh and check nginx')
    return url


def admin_command():
    cmd = os.environ.get('TT_ADMIN', '').strip()
    if not cmd:
        raise StackMissing('TT_ADMIN is not set: it must be the admin command line '
                           '(`$TT_ADMIN credit EMAIL AMOUNT`)')
    return shlex.split(cmd)


def admin_credit(email, amount):
    cmd = admin_command() + ['credit', email, str(amount)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise AssertionError(f'{" ".join(cmd)} failed ({r.returncode}): {r.stdout} {r.stderr}')


def db_connect():
    import pymysql
    path = os.environ.get('TT_CONFIG', '').strip()
    if not path:
        raise StackMissing('TT_CONFIG is not set: it must name the worker config JSON')
    with open(path) as f:
        c = json.load(f)['database']
    kw = dict(user=c.get('user'), password=c.get('password') or '', database=c.get('name'),
              autocommit=True, cursorclass=pymysql.cursors.DictCursor)
    if c.get('socket'):
        kw['unix_socket'] = c['socket']
    else:
        kw['host'] = c.get('host') or '127.0.0.1'
        kw['port'] = int(c.get('port') or 3306)
    return pymysql.connect(**kw)


def artifacts_dir():
    root = os.environ.get('TT_ARTIFACTS') or os.path.join(REPO, 'var', 'artifacts')
    d = os.path.join(root, 'requester')
    os.makedirs(d, exist_ok=True)
    return d


def unique(prefix):
    return f'{prefix}-{uuid.uuid4().hex[:8]}'


def make_png(width, height, seed=0):
    """An RGB PNG with a coloured background and two blocks; `seed` makes it unique."""
    bg = (40 + seed * 37 % 160, 80 + seed * 13 % 120, 140)
    blocks = [
        (width // 8, height // 6, width // 3, height // 2, b'\x40\x40\x50'),
        (width // 2, height // 2, width * 7 // 8, height * 5 // 6, b'\xd8\xc8\xa0'),
    ]
    rows = []
    for y in range(height):
        row = bytearray(bytes([bg[0], (bg[1] + y * 60 // height) % 256, bg[2]]) * width)
        for x0, y0, x1, y1, c in blocks:
            if y0 <= y < y1:
                row[x0 * 3:x1 * 3] = c * (x1 - x0)
        if y == 0:
            row[0:3] = struct.pack('>I', seed & 0xffffff)[1:]
        rows.append(b'\x00' + bytes(row))

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)

    ihdr = struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(b''.join(rows), 6))
            + chunk(b'IEND', b''))


class Tasker:
    """A tasker on the JSON API (Bearer token), as a script would be."""

    def __init__(self, base, screen_name):
        self.base = base
        self.email = f'{screen_name}-{uuid.uuid4().hex[:8]}@example.com'
        r = requests.post(base + '/api/auth/register', timeout=30, json={
            'email': self.email, 'password': 'tasker password 42', 'screenName': screen_name, 'role': 'tasker'})
        assert r.status_code == 201, f'register tasker: {r.status_code} {r.text[:300]}'
        body = r.json()
        self.user = body['user']
        self.s = requests.Session()
        self.s.headers['Authorization'] = 'Bearer ' + body['token']

    def call(self, method, path, expect=(200, 201), **kw):
        r = self.s.request(method, self.base + '/api' + path, timeout=30, **kw)
        assert r.status_code in expect, f'{method} {path} -> {r.status_code}: {r.text[:400]}'
        return r

    def label_images(self, job_id, count, labels, shift=0.0):
        """Takes leases and submits one or two boxes per image, `count` times; `shift`
        (a fraction of the image) moves the boxes so two taskers' boxes differ.
        Returns [(task_id, boxes)]."""
        done = []
        for n in range(count):
            r = self.call('POST', f'/jobs/{job_id}/leases', expect=(200, 201, 404))
            if r.status_code == 404:
                break  # no_work: nothing left for this tasker
            lease = r.json()
            w, h = lease['image']['width'], lease['image']['height']
            boxes = [{'x': round(w * (0.12 + shift), 1), 'y': round(h * (0.16 + shift), 1), 'w': round(w * 0.2, 1), 'h': round(h * 0.33, 1),
                      'label': labels[0]}]
            if n % 2 == 0:
                boxes.append({'x': round(w * (0.5 - shift), 1), 'y': round(h * (0.5 - shift), 1), 'w': round(w * 0.37, 1),
                              'h': round(h * 0.33, 1), 'label': labels[-1]})
            t = self.call('POST', f"/leases/{lease['id']}/train", json={'boxes': boxes, 'nothingToMark': False}).json()
            assert t['taskId'] == lease['taskId']
            done.append((lease['taskId'], boxes))
        return done


def make_driver(download_dir, width=1366, height=900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = '/usr/bin/chromium'
    for a in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu',
              '--hide-scrollbars', '--force-device-scale-factor=1', '--lang=en-US',
              f'--window-size={width},{height}'):
        opts.add_argument(a)
    opts.add_experimental_option('prefs', {
        'download.default_directory': download_dir,
        'download.prompt_for_download': False,
        'download.directory_upgrade': True,
        'safebrowsing.enabled': True,
        'profile.default_content_setting_values.automatic_downloads': 1,
    })
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    drv = webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=opts)
    try:
        drv.execute_cdp_cmd('Browser.setDownloadBehavior', {'behavior': 'allow', 'downloadPath': download_dir})
    except Exception:
        drv.execute_cdp_cmd('Page.setDownloadBehavior', {'behavior': 'allow', 'downloadPath': download_dir})
    drv.set_window_size(width, height)
    return drv
