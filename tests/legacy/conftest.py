"""Fixtures of the legacy protocol tests (tests/legacy): they run against the real stack
named by TT_BASE_URL, TT_CONFIG and TT_ADMIN (see legacy_lib.py). Without it every test
FAILS; none is skipped. Every test makes its own users, so the tests run in any order."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import legacy_lib as lib  # noqa: E402


def _need(fn):
    try:
        return fn()
    except lib.StackMissing as e:
        pytest.fail(str(e), pytrace=False)


@pytest.fixture(scope='session')
def base():
    """The stack's URL through nginx, after a health check."""
    return _need(lib.base_url)


@pytest.fixture(scope='session')
def db(base):
    """A pymysql connection (autocommit, dict rows) to the stack's database."""
    conn = _need(lib.db_connect)
    yield conn
    conn.close()


@pytest.fixture(scope='session')
def admin_ready(base):
    _need(lib.admin_argv)
    _need(lib.config)
    return lib.admin


@pytest.fixture
def new_app(base, admin_ready):
    """new_app(role='tasker') -> an App signed up through TaskerRegistration or
    RequesterRegistration, with its `user_id` token, `email` and `password`."""
    made = []

    def make(role='tasker', **kw):
        app = lib.register(base, role, **kw)
        made.append(app)
        return app
    yield make
    for app in made:
        app.close()


@pytest.fixture
def anonymous(base):
    app = lib.App(base)
    yield app
    app.close()
