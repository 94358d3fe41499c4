"""Apache in front of a worker of its own, for tests/apache: deploy/apache.conf rendered
and started by scripts/apache.sh, and a tasker-fcgi that serves FastCGI on TCP with
"fileSending": "x-sendfile". The worker uses the test stack's database (TT_CONFIG) and
the binary next to $TT_ADMIN's tasker-admin.

Everything lives in one directory that Apache's children can read: started as root,
Apache serves as www-data, which may not enter the checkout or the test stack's
directory, so the web apps are copied there and the worker stores its images there."""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

import requests

import ttstack

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_until(check, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f'{what} did not come up within {seconds} s')


class ApacheFront:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='tt-apache-')
        os.chmod(self.dir, 0o755)
        self.worker_port = free_port()
        self.port = free_port()
        self.base = f'http://127.0.0.1:{self.port}'
        self.data = os.path.join(self.dir, 'data')
        self.config_path = os.path.join(self.dir, 'config.json')
        self.binary = os.path.join(os.path.dirname(ttstack.admin_argv()[0]), 'tasker-fcgi')
        self.worker = None

    def start(self):
        config = dict(ttstack.config(), listen=f'127.0.0.1:{self.worker_port}', dataDirectory=self.data,
                      fileSending='x-sendfile', threads=4)
        with open(os.open(self.config_path, os.O_WRONLY | os.O_CREAT, 0o600), 'w') as f:
            json.dump(config, f)
        os.makedirs(os.path.join(self.data, 'images'))
        os.makedirs(os.path.join(self.dir, 'log'))
        for app in ('tasker', 'requester'):
            shutil.copytree(os.path.join(REPO, 'web', app, 'dist'), os.path.join(self.dir, 'web', app, 'dist'))
        subprocess.run(['chmod', '-R', 'a+rX', self.dir], check=True)
        self.start_worker()
        env = dict(os.environ, TT_WEB_ROOT=os.path.join(self.dir, 'web'))
        proc = subprocess.run([os.path.join(REPO, 'scripts', 'apache.sh'), 'start', self.dir, str(self.port),
                               f'fcgi://127.0.0.1:{self.worker_port}'], env=env, capture_output=True, text=True)
        assert proc.returncode == 0, f'scripts/apache.sh start failed:\n{proc.stdout}\n{proc.stderr}'
        wait_until(lambda: requests.get(f'{self.base}/healthz', timeout=5).status_code == 200, 20, 'Apache')
        return self

    def start_worker(self):
        log = open(os.path.join(self.dir, 'log', 'worker.log'), 'a')
        self.worker = subprocess.Popen([self.binary, '--config', self.config_path], stdout=log, stderr=log)
        log.close()
        wait_until(lambda: socket.create_connection(('127.0.0.1', self.worker_port), timeout=1).close() or True,
                   20, 'the worker')

    def worker_log(self):
        with open(os.path.join(self.dir, 'log', 'worker.log')) as f:
            return f.read()

    def stop_worker(self):
        if self.worker and self.worker.poll() is None:
            self.worker.terminate()
            self.worker.wait(timeout=30)
        self.worker = None

    def stop(self):
        subprocess.run([os.path.join(REPO, 'scripts', 'apache.sh'), 'stop', self.dir], capture_output=True)
        self.stop_worker()
        logs = ttstack.artifacts_dir('apache-logs')
        for name in os.listdir(os.path.join(self.dir, 'log')):
            shutil.copy(os.path.join(self.dir, 'log', name), logs)
        shutil.rmtree(self.dir, ignore_errors=True)
