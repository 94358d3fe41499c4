"""Fixtures for the Requester web app's browser tests. They run against the real stack
(TT_BASE_URL, TT_ADMIN, TT_CONFIG); without it every browser test FAILS, none is skipped.
`db` and the `rep_call` report a fixture reads come from tests/conftest.py."""
import os
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import requester_helpers as rh  # noqa: E402
from ttstack import Shots, need  # noqa: E402


@pytest.fixture(scope='session')
def rq_base():
    """The stack's URL, after a health check and a check that nginx serves /requester/."""
    return need(rh.base_url)


@pytest.fixture(scope='session')
def rq_admin(rq_base):
    """The admin command line as an argv list."""
    return need(rh.admin_command)


@pytest.fixture(scope='session')
def rq_db(rq_base, db):
    """The shared database connection (tests/conftest.py)."""
    return db


@pytest.fixture(scope='module')
def rq_shots():
    """Numbered screenshots in $TT_ARTIFACTS/requester/."""
    return Shots(rh.artifacts_dir())


@pytest.fixture(scope='module')
def rq_downloads():
    with tempfile.TemporaryDirectory(prefix='tt-requester-dl-') as d:
        yield d


@pytest.fixture(scope='module')
def rq_browser(request, rq_base, rq_downloads):
    drv = rh.make_driver(rq_downloads)
    yield drv
    try:
        logs = drv.get_log('browser')
        bad = [l for l in logs if l.get('level') == 'SEVERE']
        if bad:
            print('browser console (SEVERE):', *[l['message'] for l in bad[-20:]], sep='\n  ')
    except Exception:
        pass
    drv.quit()


@pytest.fixture(params=list(rh.DEVICES))
def rq_device(request, rq_base):
    """A fresh Chromium for one test, once at a phone's viewport (390x844, touch) and once at a
    desktop's; `rq_device.device` names which. A failed test leaves a screenshot."""
    drv = rh.make_device_driver(request.param)
    yield drv
    rep = getattr(request.node, 'rep_call', None)
    if rep is not None and rep.failed:
        try:
            name = request.node.name.replace('[', '-').replace(']', '')
            drv.save_screenshot(os.path.join(rh.artifacts_dir(), f'FAILED-{name}.png'))
            bad = [l['message'] for l in drv.get_log('browser') if l.get('level') == 'SEVERE']
            if bad:
                print('browser console (SEVERE):', *bad[-20:], sep='\n  ')
        except Exception:
            pass
    drv.quit()


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request):
    yield
    rep = getattr(request.node, 'rep_call', None)
    if rep is not None and rep.failed and 'rq_browser' in request.fixturenames:
        try:
            drv = request.getfixturevalue('rq_browser')
            drv.save_screenshot(os.path.join(rh.artifacts_dir(), f'FAILED-{request.node.name}.png'))
        except Exception:
            pass
