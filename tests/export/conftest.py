"""Fixtures for the results-export tests. They run against the real stack (TT_BASE_URL,
TT_ADMIN); without it every test FAILS, none is skipped. `base` comes from
tests/conftest.py."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_helpers as h  # noqa: E402
from ttstack import need  # noqa: E402


@pytest.fixture(scope='session')
def job(base):
    """The job with known boxes (see export_helpers.make_job), made once."""
    need(h.admin_command)
    return h.make_job(base)


@pytest.fixture(scope='session')
def COCO():
    return need(h.pycocotools_coco)


@pytest.fixture(scope='session')
def download(job):
    """download(format, only=None) -> requests.Response of the owner's export, cached."""
    cache = {}

    def get(fmt, only=None):
        key = (fmt, only)
        if key not in cache:
            params = {'format': fmt}
            if only:
                params['only'] = only
            r = job.owner.get(f'/jobs/{job.id}/export', params=params)
            assert r.status_code == 200, f'export {key}: {r.status_code} {r.text[:300]}'
            cache[key] = r
        return cache[key]
    return get
