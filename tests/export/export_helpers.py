"""Helpers for the results-export tests: a job with known boxes made through the JSON
API, PNG images, and pycocotools from the tests' venv (see README.md). The stack's
settings and the admin command line come from tests/ttstack.py.

Environment: TT_BASE_URL (required), TT_CONFIG, and TT_ADMIN (`$TT_ADMIN credit EMAIL
AMOUNT` credits a user); see ttstack.py.
"""
import hashlib
import json
import os
import sys
import uuid
from dataclasses import dataclass, field

import requests

from ttstack import StackMissing, admin_credit, base_url, png_from_scanlines, png_size, unique_email  # noqa: F401
from ttstack import admin_argv as admin_command  # noqa: F401

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
VENV = os.environ.get('TT_EXPORT_VENV') or os.path.join(REPO, 'var', 'venv')
LABELS = ['car', 'person']
BOUNTY = '0.05'
RESULTS_PER_IMAGE = 2
# (width, height) of the uploaded images: all different.
IMAGE_SIZES = [(64, 48), (100, 80), (33, 17), (200, 150), (50, 120)]


# --- settings -------------------------------------------------------------------

def pycocotools_coco():
    """pycocotools.coco.COCO, from var/venv (Debian 12 has no python3-pycocotools). Fails,
    never skips, when the venv is missing."""
    try:
        from pycocotools.coco import COCO
        return COCO
    except ImportError:
        pass
    version = f'python{sys.version_info.major}.{sys.version_info.minor}'
    site = os.path.join(VENV, 'lib', version, 'site-packages')
    if not os.path.isdir(site):
        raise StackMissing(f'pycocotools is not installed: {site} does not exist. '
                           f'Run tests/export/setup_venv.sh (creates {VENV} with pycocotools).')
    import site as site_module
    site_module.addsitedir(site)
    try:
        from pycocotools.coco import COCO
    except ImportError as e:
        raise StackMissing(f'pycocotools does not import from {site} ({e}); run tests/export/setup_venv.sh')
    return COCO


# --- images ---------------------------------------------------------------------

def make_png(width, height, seed):
    """An RGB PNG, unique by `seed` (the server de-duplicates identical images)."""
    rows = []
    for y in range(height):
        row = bytearray()
        for x in range(width):
            row += bytes(((x * 7 + seed * 40) % 256, (y * 5 + seed * 13) % 256, (x + y + seed) % 256))
        rows.append(b'\x00' + bytes(row))
    return png_from_scanlines(width, height, b''.join(rows))


# --- API ------------------------------------------------------------------------

class Client:
    """A signed-in API user (Bearer token)."""

    def __init__(self, base, email, user, token):
        self.base, self.email, self.user = base, email, user
        self.s = requests.Session()
        self.s.headers['Authorization'] = 'Bearer ' + token

    def call(self, method, path, expect=(200, 201, 204), **kw):
        kw.setdefault('timeout', 60)
        r = self.s.request(method, self.base + '/api' + path, **kw)
        if r.status_code not in expect:
            raise AssertionError(f'{method} {path} -> {r.status_code}: {r.text[:500]}')
        return r.json() if r.content and r.headers.get('Content-Type', '').startswith('application/json') else None

    def get(self, path, **kw):
        kw.setdefault('timeout', 120)
        return self.s.get(self.base + '/api' + path, **kw)


def register(base, role, screen_name=None):
    email = unique_email(f'export-{role}', digits=10)
    r = requests.post(base + '/api/auth/register', timeout=30, json={
        'email': email, 'password': 'correct horse 42', 'role': role,
        'screenName': screen_name or email.split('@')[0][:30]})
    assert r.status_code == 201, f'register {role}: {r.status_code} {r.text[:300]}'
    body = r.json()
    return Client(base, email, body['user'], body['token'])


@dataclass
class Submitted:
    """One train as handed in."""
    train_id: int
    task_id: int
    tasker_id: int
    nothing_to_mark: bool
    boxes: list  # [{'x', 'y', 'w', 'h', 'label'}] as sent


@dataclass
class ExportJob:
    id: int
    owner: Client
    taskers: list
    images: dict = field(default_factory=dict)  # task id -> {'bytes', 'width', 'height', 'filename', 'sha256'}
    trains: list = field(default_factory=list)  # [Submitted] in train id order

    def trains_of(self, task_id):
        return [t for t in self.trains if t.task_id == task_id]

    def boxes_of(self, task_id):
        """[(train, box)] of one image in the order of the export: train id, then box."""
        return [(t, b) for t in self.trains_of(task_id) for b in t.boxes]

    @property
    def finished(self):
        return {task for task in self.images if len(self.trains_of(task)) == RESULTS_PER_IMAGE}


def boxes_for(width, height, tasker_no, count):
    """Known boxes inside a width x height image, with fractional pixels."""
    boxes = []
    for i in range(count):
        x = round(width * (0.05 + 0.3 * i) + 0.25 * tasker_no, 2)
        y = round(height * (0.1 + 0.2 * i) + 0.5, 3)
        w = round(width * 0.33 + 0.125 * tasker_no, 3)
        h = round(height * 0.27 + 0.1 * (i + 1), 2)
        assert x + w <= width and y + h <= height, (x, y, w, h, width, height)
        boxes.append({'x': x, 'y': y, 'w': w, 'h': h, 'label': LABELS[(i + tasker_no) % len(LABELS)]})
    return boxes


def make_job(base):
    """A job with 5 images and 8 trains: tasker 1 labels every image (2 boxes each),
    tasker 2 labels 3 of them (1 box each, one of them "nothing to mark") and skips one
    in between, so 3 images are finished (2 results each) and 2 are not, one of them
    between finished ones. The requester approves every result."""
    owner = register(base, 'requester')
    admin_credit(owner.email, '20.00')
    job = owner.call('POST', '/jobs', json={
        'name': f'export-{uuid.uuid4().hex[:8]}', 'title': 'Export test <&> "job"',
        'description': 'Boxes known to the export tests.', 'instructions': 'Box the cars and people.',
        'labels': LABELS, 'bounty': BOUNTY, 'budget': '10.00', 'resultsPerImage': RESULTS_PER_IMAGE})
    result = ExportJob(id=job['id'], owner=owner, taskers=[])
    for seed, (width, height) in enumerate(IMAGE_SIZES):
        data = make_png(width, height, seed + 1)
        filename = f'photo {seed}.png'
        items = owner.call('POST', f'/jobs/{job["id"]}/images', params={'filename': filename}, data=data,
                           headers={'Content-Type': 'image/png'})['items']
        task = items[0]['task']
        assert (task['width'], task['height']) == (width, height)
        result.images[task['id']] = {'bytes': data, 'width': width, 'height': height, 'filename': filename,
                                     'sha256': hashlib.sha256(data).hexdigest()}
    owner.call('POST', f'/jobs/{job["id"]}/activate')

    for tasker_no, (screen_name, images) in enumerate([('ann-export', len(IMAGE_SIZES)), ('bob-export', 3)], 1):
        tasker = register(base, 'tasker', screen_name=f'{screen_name}-{uuid.uuid4().hex[:4]}')
        result.taskers.append(tasker)
        for n in range(images):
            lease = tasker.call('POST', f'/jobs/{job["id"]}/leases')
            if tasker_no == 2 and n == 1:
                # skip one image, so that an unfinished image lies between finished ones
                tasker.call('DELETE', f'/leases/{lease["id"]}')
                lease = tasker.call('POST', f'/jobs/{job["id"]}/leases')
            width, height = lease['image']['width'], lease['image']['height']
            nothing = tasker_no == 2 and n == 1
            boxes = [] if nothing else boxes_for(width, height, tasker_no, 2 if tasker_no == 1 else 1)
            train = tasker.call('POST', f'/leases/{lease["id"]}/train',
                                json={'boxes': boxes, 'nothingToMark': nothing})
            assert [(b['x'], b['y'], b['w'], b['h'], b['label']) for b in train['boxes']] == \
                   [(b['x'], b['y'], b['w'], b['h'], b['label']) for b in boxes]
            result.trains.append(Submitted(train_id=train['id'], task_id=lease['taskId'],
                                           tasker_id=tasker.user['id'], nothing_to_mark=nothing, boxes=boxes))
    result.trains.sort(key=lambda t: t.train_id)
    decision = owner.call('POST', f'/jobs/{job["id"]}/review', json={'action': 'approve', 'state': 'pending'})
    assert decision['count'] == len(result.trains), decision
    assert len(result.finished) == 3
    unfinished = set(result.images) - result.finished
    assert any(min(result.finished) < task < max(result.finished) for task in unfinished), 'no gap'
    return result


def stem(task_id, job):
    return f'{task_id}_{job.images[task_id]["sha256"][:12]}'


def image_name(task_id, job):
    return stem(task_id, job) + '.png'


def task_id_of(name):
    """The task id at the start of an export file name (`<taskId>_<sha256 prefix>.<ext>`)."""
    return int(os.path.basename(name).split('_', 1)[0])


def load_json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]
