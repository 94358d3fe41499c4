"""What every Python test suite under tests/ needs to reach the running stack: its
settings from the environment, a health check, the worker's config, the database,
the admin command line, generated images, unique names, and a Chromium driver.

Each suite's helper module (e2e_lib, legacy_lib, export_helpers, requester_helpers,
tt_helpers) imports from here and keeps only what is particular to its suite.
tests/conftest.py puts tests/ on sys.path, so `import ttstack` works in every suite.

Environment (set by `make test`, scripts/test.sh):
  TT_BASE_URL   the stack through nginx, e.g. http://127.0.0.1:8181 (required)
  TT_CONFIG     the worker's config.json: its "database" object (socket, host, port,
                user, password, name) for pymysql, its "dataDirectory" (required)
  TT_ADMIN      the admin command line, e.g. "/path/tasker-admin --config /path/config.json"
                (required; `$TT_ADMIN credit EMAIL AMOUNT` gives a user money)
  TT_ARTIFACTS  where the browser tests put screenshots (default var/artifacts)
Without any of the required ones, or when the server does not answer, the tests FAIL:
they never skip. Every check raises StackMissing; the fixtures turn it into a failure
with need().
"""
import concurrent.futures
import contextlib
import glob
import http.cookiejar
import json
import os
import random
import shlex
import shutil
import socket
import struct
import subprocess
import threading
import time
import uuid
import zlib

import requests
from requests.adapters import HTTPAdapter

TESTS = os.path.dirname(os.path.abspath(__file__))
# The checkout the tests run from: a reply that names it leaks a file path of the server.
CHECKOUT = os.path.dirname(TESTS)
REPO = os.path.dirname(TESTS)


# --- the stack's settings ---------------------------------------------------------

class StackMissing(Exception):
    """The stack the tests need is not there (a setting is missing, or it does not answer)."""


def need(fn, *args, **kw):
    """fn(*args, **kw), or a test failure (never a skip) with the StackMissing message."""
    try:
        return fn(*args, **kw)
    except StackMissing as e:
        missing = str(e)
    import pytest
    pytest.fail(missing, pytrace=False)


def base_url(app=None):
    """$TT_BASE_URL without a trailing slash, after /api/healthz answered 200. With
    app='tasker' or 'requester', also checks that nginx serves that web app."""
    url = os.environ.get('TT_BASE_URL', '').strip().rstrip('/')
    if not url:
        raise StackMissing('TT_BASE_URL is not set: point it at the running stack (nginx), '
                           'e.g. TT_BASE_URL=http://127.0.0.1:8181')
    try:
        r = requests.get(url + '/api/healthz', timeout=10)
    except requests.RequestException as e:
        raise StackMissing(f'the stack at {url} does not answer: {e}')
    if r.status_code != 200:
        raise StackMissing(f'{url}/api/healthz answered {r.status_code}: {r.text[:200]}')
    if app:
        r = requests.get(f'{url}/{app}/', timeout=10)
        if r.status_code != 200 or 'id="root"' not in r.text:
            raise StackMissing(f'{url}/{app}/ does not serve the {app.capitalize()} app (status {r.status_code}); '
                               f'run web/{app}/build.sh and check nginx')
    return url


def config():
    """The worker's config.json named by $TT_CONFIG, parsed."""
    path = os.environ.get('TT_CONFIG', '').strip()
    if not path:
        raise StackMissing('TT_CONFIG is not set: it must name the worker config.json')
    try:
        with open(path) as f:
            return json.load(f)
    except OSError as e:
        raise StackMissing(f'cannot read TT_CONFIG {path}: {e}')


def db_connect():
    """A pymysql connection (autocommit, utf8mb4, dict rows) to the stack's database, from
    the "database" object of $TT_CONFIG: its unix socket, else host and port."""
    import pymysql
    d = config()['database']
    kw = dict(user=d['user'], password=d['password'], database=d['name'], autocommit=True,
              charset='utf8mb4', cursorclass=pymysql.cursors.DictCursor)
    if d.get('socket'):
        kw['unix_socket'] = d['socket']
    else:
        kw['host'] = d.get('host') or '127.0.0.1'
        kw['port'] = int(d.get('port') or 3306)
    try:
        return pymysql.connect(**kw)
    except pymysql.MySQLError as e:
        raise StackMissing(f'cannot connect to the database of TT_CONFIG: {e}')


def admin_argv():
    """$TT_ADMIN split into an argv list."""
    line = os.environ.get('TT_ADMIN', '').strip()
    if not line:
        raise StackMissing('TT_ADMIN is not set: it must be the admin command line')
    return shlex.split(line)


def admin(*args, check=True):
    """Runs `$TT_ADMIN args...`; with check, fails the test on a non-zero exit."""
    proc = subprocess.run(admin_argv() + [str(a) for a in args], capture_output=True, text=True, timeout=120)
    if check:
        assert proc.returncode == 0, (f'$TT_ADMIN {" ".join(map(str, args))} exited {proc.returncode}:\n'
                                      f'{proc.stdout}\n{proc.stderr}')
    return proc


def admin_credit(email, amount):
    """`$TT_ADMIN credit EMAIL AMOUNT`: gives the user money (recorded in the ledger)."""
    admin('credit', email, amount)


def artifacts_dir(name):
    """$TT_ARTIFACTS/<name>/ (default var/artifacts/<name>/), created."""
    root = os.environ.get('TT_ARTIFACTS') or os.path.join(REPO, 'var', 'artifacts')
    d = os.path.join(root, name)
    os.makedirs(d, exist_ok=True)
    return d


class Shots:
    """Numbered screenshots of a browser in one folder: `<label(driver)><n>-<name>.png`."""

    def __init__(self, folder, label=lambda driver: ''):
        self.dir = folder
        self.label = label
        self.n = 0

    def __call__(self, driver, name):
        self.n += 1
        path = os.path.join(self.dir, f'{self.label(driver)}{self.n:02d}-{name}.png')
        driver.save_screenshot(path)
        return path


# --- the database -----------------------------------------------------------------

def query(db, sql, *args):
    """All rows (dicts) of one statement."""
    with db.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall()


def query_one(db, sql, *args):
    """The one row of a statement; fails the test when there are 0 or several."""
    rows = query(db, sql, *args)
    assert len(rows) == 1, f'{sql} gave {len(rows)} rows'
    return rows[0]


# --- HTTP clients and concurrency ---------------------------------------------------

class NoCookies(http.cookiejar.DefaultCookiePolicy):
    """A cookie policy that accepts none (for sessions that must not keep cookies)."""

    def set_ok(self, cookie, request):
        return False


class SourceAddressAdapter(HTTPAdapter):
    """Sends the session's requests from the given local address."""

    def __init__(self, source, **kw):
        self._source = source
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        kw['source_address'] = (self._source, 0)
        super().init_poolmanager(*args, **kw)


def unique_loopback_address():
    """A 127.x.y.z address other than 127.0.0.1 that this machine can send from (Linux routes
    all of 127/8 to loopback), or None. Used to give a test its own client address, so
    that the sign-in throttle (per client address) of one test never blocks another's."""
    for _ in range(5):
        addr = f'127.{random.randint(1, 254)}.{random.randint(0, 254)}.{random.randint(2, 254)}'
        try:
            with socket.socket() as s:
                s.bind((addr, 0))
            return addr
        except OSError:
            continue
    return None


def run_concurrently(functions, timeout=180):
    """Calls every function in its own thread, all released at the same moment by a
    barrier; returns their results in order (an exception is re-raised)."""
    barrier = threading.Barrier(len(functions))

    def wrap(fn):
        def run():
            barrier.wait(timeout=60)
            return fn()
        return run

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(functions)) as pool:
        futures = [pool.submit(wrap(fn)) for fn in functions]
        return [f.result(timeout=timeout) for f in futures]


@contextlib.contextmanager
def closing_all(factory):
    """For fixtures that make clients: yields make(*args, **kw), which calls factory and
    keeps what it returns (one client or a list of them); closes them all at the end."""
    made = []

    def make(*args, **kw):
        out = factory(*args, **kw)
        made.extend(out if isinstance(out, list) else [out])
        return out
    try:
        yield make
    finally:
        for c in made:
            c.close()


# --- unique names -----------------------------------------------------------------

def unique(prefix, digits=8):
    """`prefix-` and `digits` random hex digits: a name no other test uses."""
    return f'{prefix}-{uuid.uuid4().hex[:digits]}'


def unique_email(prefix='u', domain='example.com', digits=16):
    """An email address no other test uses: `prefix-<hex>@domain`."""
    return f'{unique(prefix, digits)}@{domain}'


# --- images -----------------------------------------------------------------------

def png_from_scanlines(width, height, raw, level=6):
    """An 8-bit RGB PNG (zlib + struct) of `raw`: `height` scanlines, each a filter
    byte and width * 3 bytes of pixels."""
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)

    return (b'\x89PNG\r\n\x1a\n'
            + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(bytes(raw), level))
            + chunk(b'IEND', b''))


def png(width=64, height=48, seed=None):
    """A real RGB PNG, a colour gradient, different for every seed (random when None)."""
    rnd = random.Random(seed if seed is not None else uuid.uuid4().int)
    base_color = [rnd.randrange(256) for _ in range(3)]
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter: none
        for x in range(width):
            row += bytes(((base_color[0] + x) & 255, (base_color[1] + y) & 255, base_color[2]))
        rows.append(bytes(row))
    # A few random pixels make every image distinct even for equal colours.
    raw = bytearray(b''.join(rows))
    for _ in range(4):
        i = rnd.randrange(height) * (1 + 3 * width) + 1 + rnd.randrange(width * 3)
        raw[i] = rnd.randrange(256)
    return png_from_scanlines(width, height, raw)


def blocks_png(width, height, seed, background, shade, blocks):
    """An RGB PNG that looks like a picture: a background colour whose green rises by
    `shade` from top to bottom, with filled rectangles `blocks` [(x0, y0, x1, y1,
    3-byte colour)] on it; the first pixel carries the low 24 bits of `seed`, so every
    seed gives a different image (the server de-duplicates identical ones)."""
    rows = []
    for y in range(height):
        row = bytearray(bytes([background[0], (background[1] + y * shade // height) % 256, background[2]]) * width)
        for x0, y0, x1, y1, c in blocks:
            if y0 <= y < y1:
                row[x0 * 3:x1 * 3] = c * (x1 - x0)
        if y == 0:
            row[0:3] = struct.pack('>I', seed & 0xffffff)[1:]
        rows.append(b'\x00' + bytes(row))
    return png_from_scanlines(width, height, b''.join(rows))


def png_size(data):
    """(width, height) from a PNG's IHDR."""
    assert data[:8] == b'\x89PNG\r\n\x1a\n', f'not a PNG: {data[:16]!r}'
    return struct.unpack('>II', data[16:24])


# --- the browser ------------------------------------------------------------------

PHONE_USER_AGENT = ('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 '
                    '(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36')


def chromium(viewport=(1366, 900), downloads=None, touch=False):
    """A headless Chromium (selenium, /usr/bin/chromium and /usr/bin/chromedriver) whose
    layout viewport is `viewport` (width, height) CSS pixels.

    touch: a phone (mobile emulation at pixel ratio 2, touch events, a phone's user
    agent) instead of a desktop window. downloads: a directory where downloads are
    saved without asking. The browser console is kept (drv.get_log('browser'))."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    width, height = viewport
    opts = webdriver.ChromeOptions()
    opts.binary_location = '/usr/bin/chromium'
    for a in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu',
              '--hide-scrollbars', '--force-device-scale-factor=1', '--lang=en-US'):
        opts.add_argument(a)
    if touch:
        opts.add_experimental_option('mobileEmulation', {
            'deviceMetrics': {'width': width, 'height': height, 'pixelRatio': 2.0, 'touch': True},
            'userAgent': PHONE_USER_AGENT})
    else:
        opts.add_argument(f'--window-size={width},{height}')
    if downloads:
        opts.add_experimental_option('prefs', {
            'download.default_directory': downloads,
            'download.prompt_for_download': False,
            'download.directory_upgrade': True,
            'safebrowsing.enabled': True,
            'profile.default_content_setting_values.automatic_downloads': 1,
        })
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    drv = webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=opts)
    drv.set_page_load_timeout(60)
    if downloads:
        try:
            drv.execute_cdp_cmd('Browser.setDownloadBehavior', {'behavior': 'allow', 'downloadPath': downloads})
        except Exception:
            drv.execute_cdp_cmd('Page.setDownloadBehavior', {'behavior': 'allow', 'downloadPath': downloads})
    if touch:
        drv.execute_cdp_cmd('Emulation.setTouchEmulationEnabled', {'enabled': True, 'maxTouchPoints': 5})
    else:
        drv.set_window_size(width, height)
        # The window's outer size includes no chrome in headless mode, but make sure
        # the layout viewport is what we asked for.
        drv.execute_cdp_cmd('Emulation.setDeviceMetricsOverride',
                            {'width': width, 'height': height, 'deviceScaleFactor': 1, 'mobile': False})
    return drv


def drag(drv, x0, y0, x1, y1, touch=False, steps=8):
    """Drag from (x0, y0) to (x1, y1), CSS pixels in the viewport: a finger when `touch`
    (CDP touch events, on a driver made with chromium(touch=True)), else the mouse
    (WebDriver actions)."""
    if touch:
        def send(kind, pts):
            drv.execute_cdp_cmd('Input.dispatchTouchEvent', {'type': kind, 'touchPoints': pts})
        send('touchStart', [{'x': x0, 'y': y0, 'id': 1}])
        for i in range(1, steps + 1):
            send('touchMove', [{'x': x0 + (x1 - x0) * i / steps, 'y': y0 + (y1 - y0) * i / steps, 'id': 1}])
        # Rest at the corner before lifting, as a finger does: no fling, so the next
        # tap is not taken as "stop the fling".
        for _ in range(3):
            time.sleep(0.04)
            send('touchMove', [{'x': x1, 'y': y1, 'id': 1}])
        send('touchEnd', [])
    else:
        from selenium.webdriver.common.actions.action_builder import ActionBuilder
        ab = ActionBuilder(drv)
        p = ab.pointer_action
        p.move_to_location(int(x0), int(y0)).pointer_down()
        for i in range(1, steps + 1):
            p.move_to_location(int(x0 + (x1 - x0) * i / steps), int(y0 + (y1 - y0) * i / steps))
        p.pointer_up()
        ab.perform()


def assert_node_tests_pass(folder):
    """Runs every `js/*.test.mjs` of a test folder with node's test runner; fails unless
    all of them pass and at least one test ran."""
    node = shutil.which('node') or shutil.which('nodejs')
    assert node, 'node is not installed (apt-get install -y nodejs)'
    files = sorted(glob.glob(os.path.join(folder, 'js', '*.test.mjs')))
    assert files, 'no js/*.test.mjs files'
    r = subprocess.run([node, '--test', *files], capture_output=True, text=True, timeout=300)
    summary = [line for line in r.stdout.splitlines() if line.startswith(('# pass', '# fail', 'not ok'))]
    assert r.returncode == 0, 'node --test failed:\n' + r.stdout[-6000:] + r.stderr[-2000:]
    assert any(line.startswith('# pass') and int(line.split()[-1]) > 0 for line in summary), r.stdout[-2000:]
