"""Fixtures of the end-to-end tests (tests/e2e): they run against the real stack named by
TT_BASE_URL, TT_CONFIG and TT_ADMIN (see e2e_lib.py). Without it every test FAILS; none
is skipped. Every test makes its own users, so the tests run in any order."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_lib as e2e  # noqa: E402


def _need(fn):
    try:
        return fn()
    except e2e.StackMissing as e:
        pytest.fail(str(e), pytrace=False)


@pytest.fixture(scope='session')
def base():
    """The stack's URL through nginx, after a health check."""
    return _need(e2e.base_url)


@pytest.fixture(scope='session')
def db(base):
    """A pymysql connection (autocommit, dict rows) to the stack's database."""
    conn = _need(e2e.db_connect)
    yield conn
    conn.close()


@pytest.fixture(scope='session')
def admin_ready(base):
    _need(e2e.admin_argv)
    return e2e.admin


@pytest.fixture
def new_user(base):
    """new_user(role='tasker') -> a Client signed in as a fresh user with a unique email."""
    made = []

    def make(role='tasker', **kw):
        c = e2e.register(base, role, **kw)
        made.append(c)
        return c
    yield make
    for c in made:
        c.close()


@pytest.fixture
def new_users(base):
    """new_users(role, n) -> n fresh users, registered in a thread pool."""
    made = []

    def make(role, n, **kw):
        cs = e2e.register_many(base, role, n, **kw)
        made.extend(cs)
        return cs
    yield make
    for c in made:
        c.close()


@pytest.fixture
def requester_with_active_job(base, db, admin_ready):
    """requester_with_active_job(images=N, results_per_image=K, bounty='0.05', budget=None, ...)
    -> JobSetup(requester, job, tasks): a fresh requester, credited, with an active job of N
    distinct PNG images."""
    def make(images=1, results_per_image=1, bounty='0.05', budget=None, **kw):
        return e2e.requester_with_active_job(base, images=images, results_per_image=results_per_image,
                                             bounty=bounty, budget=budget, **kw)
    return make


@pytest.fixture
def anonymous(base):
    c = e2e.Client(base)
    yield c
    c.close()
