"""The worker's life beside its neighbours: a MariaDB restart under it, and SIGTERM.

These tests stop and start parts of the stack that `make test` runs (its instance
directory is the folder of TT_CONFIG), and leave it running as they found it.
"""
import os
import signal
import subprocess
import threading
import time

import requests

import e2e_lib as e
from e2e_lib import expect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def instance():
    return os.path.dirname(os.path.abspath(os.environ['TT_CONFIG']))


def worker_binary():
    """tasker-fcgi beside the tasker-admin named by TT_ADMIN."""
    admin = e.admin_argv()[0]
    return os.path.join(os.path.dirname(admin), 'tasker-fcgi')


def script(*args):
    subprocess.run([os.path.join(ROOT, 'scripts', args[0]), *args[1:]], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)


def healthy(base, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f'{base}/api/healthz', timeout=5).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return False


def test_the_worker_reconnects_after_mariadb_restarts(base, new_user):
    user = new_user('tasker')
    expect(user.get('/api/me'), 200)
    script('mariadb.sh', 'stop', instance())
    try:
        # While the database is down: a clear 503 in JSON, no hang, no crash. Enough
        # requests that every worker thread tries (and fails) to connect again.
        assert requests.get(f'{base}/api/healthz', timeout=15).status_code == 503
        for _ in range(24):
            down = user.get('/api/me', timeout=15)
            expect(down, 503, 'database_unavailable')
            assert down.headers.get('Retry-After') == '5', down.headers
    finally:
        script('mariadb.sh', 'start', instance(), 'test')
    # Straight back to work, no health check first (it would repair a thread by itself):
    # every thread, including those whose reconnect failed, serves again.
    for _ in range(24):
        expect(user.get('/api/me'), 200)


def test_sigterm_lets_requests_in_flight_finish_then_exits(base, new_user):
    user = new_user('tasker')
    pid_file = os.path.join(instance(), 'run', 'tasker.pid')
    pid = int(open(pid_file).read().strip())
    answers = []

    def sign_in():
        # Hashing the password takes a noticeable time: the request is in flight when
        # the signal arrives.
        answers.append(requests.post(f'{base}/api/auth/login',
                                     json={'email': user.email, 'password': user.password}, timeout=30))

    try:
        thread = threading.Thread(target=sign_in)
        thread.start()
        time.sleep(0.05)
        os.kill(pid, signal.SIGTERM)
        thread.join(30)
        assert answers and answers[0].status_code == 200, answers and answers[0].text
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            raise AssertionError('the worker did not exit within 30 s of SIGTERM')
    finally:
        script('worker.sh', 'start', instance(), worker_binary())
    assert healthy(base), 'the worker did not start again'
    expect(user.get('/api/me'), 200)
