"""Unit tests of the Requester app's browser-free logic (upload queue, job form checks,
review texts, shortcuts and selection) and of what both apps share (the API client, the
sign-in checks), run with node's test runner. They need no server."""
import os

from ttstack import assert_node_tests_pass


def test_js_units():
    assert_node_tests_pass(os.path.dirname(os.path.abspath(__file__)))
