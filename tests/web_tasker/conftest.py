"""Fixtures for the Tasker web app's browser tests. They run against the real stack
(TT_BASE_URL, TT_CONFIG, TT_ADMIN); without it every test FAILS, none is skipped.
`db`, `admin_ready` and the `rep_call` report `_browser` reads come from tests/conftest.py."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tt_helpers as h  # noqa: E402
from network_switch import NetworkSwitch  # noqa: E402
from ttstack import Shots, need  # noqa: E402


@pytest.fixture(scope='session')
def base():
    """The stack's URL, after a health check and a check that nginx serves /tasker/
    (overrides the `base` of tests/conftest.py)."""
    return need(h.base_url)


@pytest.fixture
def shot(request):
    name = request.node.originalname.removeprefix('test_')
    params = getattr(request.node, 'callspec', None)
    extra = [str(v) for k, v in (params.params.items() if params else []) if k != 'browser']
    test = '-'.join([name] + extra)
    return Shots(h.artifacts_dir(), label=lambda drv: f'{drv.kind["name"]}-{test}-')


def _browser(request, kind, **kw):
    drv = h.make_driver(kind, **kw)

    def fin():
        rep = getattr(request.node, 'rep_call', None)
        if rep is not None and rep.failed:
            try:
                name = request.node.name.replace('[', '-').replace(']', '')
                drv.save_screenshot(os.path.join(h.artifacts_dir(), f'FAILED-{name}.png'))
                logs = drv.get_log('browser')
                if logs:
                    print('browser console:', *logs[-20:], sep='\n  ')
            except Exception:
                pass
        drv.quit()
    request.addfinalizer(fin)
    return drv


@pytest.fixture(params=['phone', 'desktop'])
def browser(request, base):
    return _browser(request, h.PHONE if request.param == 'phone' else h.DESKTOP)


@pytest.fixture
def phone(request, base):
    return _browser(request, h.PHONE)


@pytest.fixture
def desktop(request, base):
    return _browser(request, h.DESKTOP)


@pytest.fixture
def narrow_phone(request, base):
    return _browser(request, h.PHONE, width=360, height=740)


@pytest.fixture
def network(base):
    """A NetworkSwitch in front of the stack: open the app at network.url, and take the
    network away with tt_helpers.set_online."""
    switch = NetworkSwitch(base)
    yield switch
    switch.close()
