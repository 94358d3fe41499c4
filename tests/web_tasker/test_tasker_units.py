"""Unit tests of the Tasker app's browser-free logic (service worker, hash routes, label
list, wording, query strings, the labeling screen's state machine and keys), run with
node's test runner. They need no server."""
import glob
import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def test_js_units():
    node = shutil.which('node') or shutil.which('nodejs')
    assert node, 'node is not installed (apt-get install -y nodejs)'
    files = sorted(glob.glob(os.path.join(HERE, 'js', '*.test.mjs')))
    assert files, 'no js/*.test.mjs files'
    r = subprocess.run([node, '--test', *files], capture_output=True, text=True, timeout=300)
    summary = [l for l in r.stdout.splitlines() if l.startswith(('# pass', '# fail', 'not ok'))]
    assert r.returncode == 0, 'node --test failed:\n' + r.stdout[-6000:] + r.stderr[-2000:]
    assert any(l.startswith('# pass') and int(l.split()[-1]) > 0 for l in summary), r.stdout[-2000:]
