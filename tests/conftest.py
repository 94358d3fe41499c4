"""Fixtures shared by the suites under tests/. It puts tests/ on sys.path, so every
suite's helpers can `import ttstack`. The fixtures run against the real stack named
by TT_BASE_URL, TT_CONFIG and TT_ADMIN (see ttstack.py); without it every test that
uses them FAILS, none is skipped. A suite's conftest.py may override `base` (the web
app suites also check that nginx serves their app)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ttstack  # noqa: E402


@pytest.fixture(scope='session')
def base():
    """The stack's URL through nginx, after a health check."""
    return ttstack.need(ttstack.base_url)


@pytest.fixture(scope='session')
def db(base):
    """A pymysql connection (autocommit, dict rows) to the stack's database."""
    conn = ttstack.need(ttstack.db_connect)
    yield conn
    conn.close()


@pytest.fixture(autouse=True)
def _db_reconnects(request):
    """tests/e2e/test_worker_lifecycle.py restarts MariaDB under the stack: the session's
    connection reconnects, if it has to, before each test that uses it."""
    if 'db' in request.fixturenames:
        request.getfixturevalue('db').ping(reconnect=True)


@pytest.fixture(scope='session')
def admin_ready(base):
    """ttstack.admin, once $TT_ADMIN and $TT_CONFIG are known to be set."""
    ttstack.need(ttstack.admin_argv)
    ttstack.need(ttstack.config)
    return ttstack.admin


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the item (item.rep_setup, rep_call, rep_teardown),
    so that fixtures can tell whether the test failed (to save a screenshot)."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, 'rep_' + rep.when, rep)
