"""Unit tests of the Tasker app's browser-free logic (service worker, hash routes, label
list, wording, query strings, the labeling screen's state machine and keys), run with
node's test runner. They need no server."""
import os

from ttstack import assert_node_tests_pass


def test_js_units():
    assert_node_tests_pass(os.path.dirname(os.path.abspath(__file__)))
