"""Fixtures of the legacy protocol tests (tests/legacy): they run against the real stack
named by TT_BASE_URL, TT_CONFIG and TT_ADMIN (see ../ttstack.py). Without it every test
FAILS; none is skipped. `base`, `db` and `admin_ready` come from tests/conftest.py.
Every test makes its own users, so the tests run in any order."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import legacy_lib as lib  # noqa: E402
from ttstack import closing_all  # noqa: E402


@pytest.fixture
def new_app(base, admin_ready):
    """new_app(role='tasker') -> an App signed up through TaskerRegistration or
    RequesterRegistration, with its `user_id` token, `email` and `password`."""
    with closing_all(lambda role='tasker', **kw: lib.register(base, role, **kw)) as make:
        yield make


@pytest.fixture
def anonymous(base):
    app = lib.App(base)
    yield app
    app.close()
