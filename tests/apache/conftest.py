"""Fixtures of tests/apache: the site of deploy/apache.conf in front of a worker of its
own (apache_front.py), on the test stack's database. The e2e helpers (tests/e2e/e2e_lib.py)
drive it, as they drive nginx."""
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'e2e'))
from apache_front import ApacheFront  # noqa: E402


@pytest.fixture(scope='module')
def apache(base, admin_ready):
    front = ApacheFront()
    try:
        yield front.start()
    finally:
        front.stop()
