"""Fixtures of the end-to-end tests (tests/e2e): they run against the real stack named by
TT_BASE_URL, TT_CONFIG and TT_ADMIN (see ../ttstack.py). Without it every test FAILS; none
is skipped. `base`, `db` and `admin_ready` come from tests/conftest.py. Every test makes
its own users, so the tests run in any order."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_lib as e2e  # noqa: E402
from ttstack import closing_all  # noqa: E402


@pytest.fixture
def new_user(base):
    """new_user(role='tasker') -> a Client signed in as a fresh user with a unique email."""
    with closing_all(lambda role='tasker', **kw: e2e.register(base, role, **kw)) as make:
        yield make


@pytest.fixture
def new_users(base):
    """new_users(role, n) -> n fresh users, registered in a thread pool."""
    with closing_all(lambda role, n, **kw: e2e.register_many(base, role, n, **kw)) as make:
        yield make


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
