"""Helpers for the Requester web app's browser tests: generated PNG images, a scripted
tasker on the JSON API, and a Chromium driver that saves downloads. The stack's
settings, the database and the admin command line come from tests/ttstack.py.

Environment: TT_BASE_URL, TT_ADMIN, TT_CONFIG (required; see ttstack.py), and
TT_ARTIFACTS: where screenshots go (default var/artifacts); ours go to requester/
"""
import requests

import ttstack
from ttstack import StackMissing, admin_credit, db_connect, unique, unique_email  # noqa: F401
from ttstack import admin_argv as admin_command  # noqa: F401


def base_url():
    """The stack's URL, after a health check and a check that nginx serves /requester/."""
    return ttstack.base_url(app='requester')


def artifacts_dir():
    """$TT_ARTIFACTS/requester/, where the screenshots go."""
    return ttstack.artifacts_dir('requester')


def make_png(width, height, seed=0):
    """An RGB PNG with a coloured background and two blocks; `seed` makes it unique."""
    return ttstack.blocks_png(width, height, seed, background=(40 + seed * 37 % 160, 80 + seed * 13 % 120, 140),
                              shade=60, blocks=[
                                  (width // 8, height // 6, width // 3, height // 2, b'\x40\x40\x50'),
                                  (width // 2, height // 2, width * 7 // 8, height * 5 // 6, b'\xd8\xc8\xa0')])


class Tasker:
    """A tasker on the JSON API (Bearer token), as a script would be."""

    def __init__(self, base, screen_name):
        self.base = base
        self.email = unique_email(screen_name, digits=8)
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
    """A desktop Chromium that saves downloads in download_dir."""
    return ttstack.chromium(viewport=(width, height), downloads=download_dir)
