"""Helpers for the Tasker web app's browser tests (and bench/tasker_next_image.py):
data set-up through the JSON API, generated PNG images, Chromium drivers for a phone
and a desktop, and pointer gestures. The stack's settings, the database and the admin
command line come from tests/ttstack.py.

Environment: TT_BASE_URL (required), TT_CONFIG, TT_ADMIN (see ttstack.py), and
TT_ARTIFACTS: where screenshots go (default var/artifacts); ours go to tasker/
"""
import os
import sys
import time
import uuid

import requests

# tests/, for ttstack (bench/tasker_next_image.py imports this module without pytest).
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ttstack  # noqa: E402
from ttstack import StackMissing, admin_credit, db_connect  # noqa: E402,F401


# --- settings -------------------------------------------------------------------

def base_url():
    """The stack's URL, after a health check and a check that nginx serves /tasker/."""
    return ttstack.base_url(app='tasker')


def artifacts_dir():
    """$TT_ARTIFACTS/tasker/, where the screenshots go."""
    return ttstack.artifacts_dir('tasker')


# --- images ---------------------------------------------------------------------

def make_png(width, height, seed=0):
    """An RGB PNG: a gradient-ish background with a few coloured blocks, made unique
    by `seed` (the server may de-duplicate identical images)."""
    return ttstack.blocks_png(width, height, seed, background=(40 + seed * 37 % 80, 90, 120), shade=100, blocks=[
        (width // 8, height // 6, width // 3, height // 3, b'\xe0\x30\x30'),
        (width // 2, height // 2, width * 7 // 8, height * 5 // 6, b'\x30\xc0\x50')])


# --- API set-up -----------------------------------------------------------------

class Client:
    """A signed-in API user (requests, Bearer token)."""

    def __init__(self, base, email, password, user, token):
        self.base, self.email, self.password, self.user = base, email, password, user
        self.s = requests.Session()
        self.s.headers['Authorization'] = 'Bearer ' + token

    def call(self, method, path, expect=(200, 201, 204), **kw):
        r = self.s.request(method, self.base + '/api' + path, timeout=30, **kw)
        if r.status_code not in expect:
            raise AssertionError(f'{method} {path} -> {r.status_code}: {r.text[:500]}')
        return r.json() if r.content and r.headers.get('Content-Type', '').startswith('application/json') else None


def unique_email(prefix):
    return ttstack.unique_email(prefix, digits=10)


def register(base, role, email=None, password='correct horse 42', screen_name=None):
    email = email or unique_email(role)
    r = requests.post(base + '/api/auth/register', timeout=30, json={
        'email': email, 'password': password, 'role': role,
        'screenName': screen_name or email.split('@')[0][:30]})
    assert r.status_code == 201, f'register {role}: {r.status_code} {r.text[:300]}'
    b = r.json()
    return Client(base, email, password, b['user'], b['token'])


def login(base, email, password):
    r = requests.post(base + '/api/auth/login', json={'email': email, 'password': password}, timeout=30)
    assert r.status_code == 200, f'login: {r.status_code} {r.text[:300]}'
    b = r.json()
    return Client(base, email, password, b['user'], b['token'])


def create_job(base, sizes, labels=('car', 'person'), bounty='0.05', results_per_image=1,
               title=None, instructions='Draw one box around each car and each person.', requester=None,
               auto_approve_after_hours=72, quality=None, gold=None):
    """An active job with one image per (width, height) in sizes, whose results wait for
    review (72 hours unless said), of a new requester or of `requester`; either is given
    the money the job needs. `quality`: the job's quality object; `gold`: {image index:
    gold answer} marked before activation (its slots are goldAnswersPerImage, not
    results_per_image: the budget is the caller's to mind). Returns (requester, job, tasks)."""
    req = requester or register(base, 'requester')
    budget = '%.2f' % (float(bounty) * results_per_image * len(sizes) + 1)
    if requester is None:
        admin_credit(req.email, '%.2f' % (float(budget) + 5))
    else:
        admin_credit(req.email, budget)
    name = 'web-tasker-' + uuid.uuid4().hex[:8]
    body = {
        'name': name, 'title': title or 'Mark the cars ' + name[-4:], 'description': 'Browser test job.',
        'instructions': instructions, 'labels': list(labels), 'bounty': bounty, 'budget': budget,
        'resultsPerImage': results_per_image, 'type': 'ImageRegion',
        'autoApproveAfterHours': auto_approve_after_hours}
    if quality is not None:
        body['quality'] = quality
    job = req.call('POST', '/jobs', json=body)
    tasks = []
    for i, (w, h) in enumerate(sizes):
        body = make_png(w, h, seed=job['id'] * 100 + i)
        out = req.call('POST', f"/jobs/{job['id']}/images?filename=img{i:03d}.png", data=body,
                       headers={'Content-Type': 'image/png'})
        tasks.extend(item['task'] for item in out['items'])
    for index, answer in (gold or {}).items():
        req.call('PUT', f"/jobs/{job['id']}/tasks/{tasks[index]['id']}/gold", json=answer)
    job = req.call('POST', f"/jobs/{job['id']}/activate")
    assert job['state'] == 'active', job
    return req, job, tasks


def job_trains(req, job_id):
    out = req.call('GET', f'/jobs/{job_id}/trains?perPage=500')
    return out['items']


def hand_in(tasker, job_id, count, label='car'):
    """`count` results of `tasker` (a Client) for the job through the API, one image at a
    time as the app does; returns the trains in the order handed in."""
    trains = []
    for i in range(count):
        lease = tasker.call('POST', f'/jobs/{job_id}/leases')
        w, h = lease['image']['width'], lease['image']['height']
        trains.append(tasker.call('POST', f"/leases/{lease['id']}/train", json={
            'boxes': [{'x': w // 8, 'y': h // 6, 'w': w // 3, 'h': h // 3, 'label': label}],
            'nothingToMark': False}))
    return trains


def review(req, job_id, action, train_ids, reason=None):
    """The requester approves or rejects results (POST /api/jobs/{id}/review)."""
    body = {'action': action, 'trainIds': list(train_ids)}
    if reason is not None:
        body['reason'] = reason
    out = req.call('POST', f'/jobs/{job_id}/review', json=body)
    assert out['count'] == len(train_ids), out
    return out


# --- browser --------------------------------------------------------------------

PHONE = {'name': 'phone', 'width': 390, 'height': 844, 'touch': True}
DESKTOP = {'name': 'desktop', 'width': 1366, 'height': 900, 'touch': False}


def make_driver(kind, width=None, height=None):
    """A Chromium for PHONE (touch) or DESKTOP, at the kind's viewport unless width and
    height are given; drv.kind is the kind (drag, tap and click read it)."""
    drv = ttstack.chromium(viewport=(width or kind['width'], height or kind['height']), touch=kind['touch'])
    drv.kind = kind
    return drv


def wait_for(pred, timeout=20, interval=0.1, what='condition'):
    end = time.time() + timeout
    last = None
    while time.time() < end:
        try:
            v = pred()
            if v:
                return v
        except Exception as e:  # element not there yet, stale, ...
            last = e
        time.sleep(interval)
    raise AssertionError(f'timed out after {timeout}s waiting for {what}' + (f' (last error: {last})' if last else ''))


def stage_rect(drv):
    return drv.execute_script(
        "const r = document.querySelector('[data-testid=box-layer]').getBoundingClientRect();"
        "return {left: r.left, top: r.top, width: r.width, height: r.height};")


def drag(drv, x0, y0, x1, y1, steps=8):
    """Drag from (x0, y0) to (x1, y1), CSS pixels in the viewport: a finger on a
    touch device, else the mouse (ttstack.drag)."""
    ttstack.drag(drv, x0, y0, x1, y1, touch=drv.kind['touch'], steps=steps)


def tap(drv, x, y):
    if drv.kind['touch']:
        drv.execute_cdp_cmd('Input.dispatchTouchEvent', {'type': 'touchStart', 'touchPoints': [{'x': x, 'y': y}]})
        time.sleep(0.08)  # a finger rests a little; an instant tap may not become a click
        drv.execute_cdp_cmd('Input.dispatchTouchEvent', {'type': 'touchEnd', 'touchPoints': []})
    else:
        from selenium.webdriver.common.actions.action_builder import ActionBuilder
        ab = ActionBuilder(drv)
        ab.pointer_action.move_to_location(int(x), int(y)).click()
        ab.perform()


def draw_box(drv, fx0, fy0, fx1, fy1):
    """Draw a box between two points given as fractions of the displayed image.
    Returns the (x, y, w, h) the points correspond to in image pixels, and the
    number of image pixels per CSS pixel (for tolerances)."""
    r = stage_rect(drv)
    st = drv.find_element('css selector', '[data-testid=stage]')
    W = int(st.get_attribute('data-image-width'))
    H = int(st.get_attribute('data-image-height'))
    x0 = round(r['left'] + fx0 * r['width'])
    y0 = round(r['top'] + fy0 * r['height'])
    x1 = round(r['left'] + fx1 * r['width'])
    y1 = round(r['top'] + fy1 * r['height'])
    drag(drv, x0, y0, x1, y1)
    sx, sy = W / r['width'], H / r['height']
    expect = ((x0 - r['left']) * sx, (y0 - r['top']) * sy, (x1 - x0) * sx, (y1 - y0) * sy)
    return expect, max(sx, sy)


# --- app-level steps ------------------------------------------------------------

def q(drv, css):
    return drv.find_element('css selector', css)


def qs(drv, css):
    return drv.find_elements('css selector', css)


def press(drv, *keys):
    from selenium.webdriver.common.action_chains import ActionChains
    ActionChains(drv).send_keys(*keys).perform()


def click(drv, css):
    """Tap (phone: a real touch at the element's centre) or click an element; scrolled
    into the middle of the screen first when the header or the tab bar covers it."""
    el = wait_for(lambda: q(drv, css), what=css)
    drv.execute_script(
        "const el = arguments[0], r = el.getBoundingClientRect();"
        "const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
        "if (r.top < 60 || r.bottom > innerHeight || !(hit && (el.contains(hit) || hit.contains(el))))"
        "  el.scrollIntoView({block: 'center'});", el)
    if drv.kind['touch']:
        r = drv.execute_script("const r = arguments[0].getBoundingClientRect();"
                               "return [r.left + r.width / 2, r.top + r.height / 2];", el)
        tap(drv, r[0], r[1])
        time.sleep(0.15)
    else:
        el.click()
    return el


def open_app(drv, base):
    drv.get(base + '/tasker/')
    wait_for(lambda: qs(drv, '[data-testid=signin-form], [data-testid=job-list]'), what='the app to start')


def ui_signup(drv, base, email=None, password='tasker pass 123', screen_name='Tess'):
    email = email or unique_email('tasker')
    open_app(drv, base)
    if not qs(drv, '[data-testid=signup-form]'):
        click(drv, '[role=tab]:nth-child(2)')
    q(drv, '#auth-email').send_keys(email)
    q(drv, '#auth-screenName').send_keys(screen_name)
    q(drv, '#auth-password').send_keys(password)
    click(drv, '[data-testid=signup-form] button[type=submit]')
    wait_for(lambda: qs(drv, '[data-testid=job-list]'), what='the job list after sign-up')
    return email, password


def ui_signin(drv, base, email, password):
    open_app(drv, base)
    q(drv, '#auth-email').send_keys(email)
    q(drv, '#auth-password').send_keys(password)
    click(drv, '[data-testid=signin-form] button[type=submit]')
    wait_for(lambda: qs(drv, '[data-testid=job-list]'), what='the job list after sign-in')


def job_card(drv, job_id):
    return wait_for(lambda: q(drv, f'[data-testid=job-card][data-job-id="{job_id}"]'),
                    what=f'job {job_id} in the list')


def start_job(drv, job_id):
    job_card(drv, job_id)
    click(drv, f'[data-testid=job-card][data-job-id="{job_id}"] button.primary')
    return wait_ready(drv)


def label_state(drv):
    return drv.execute_script(
        "const s = document.querySelector('[data-testid=label-screen]');"
        "if (!s) return null;"
        "const img = document.querySelector('[data-testid=img-host] img');"
        "return {phase: s.dataset.phase, lease: s.dataset.leaseId,"
        " img: !!(img && img.complete && img.naturalWidth > 0),"
        " boxes: document.querySelectorAll('[data-testid=box-layer] [data-box]').length};")


def wait_ready(drv, other_than=None, timeout=30):
    """Wait until an image is shown and editable; returns its lease id."""
    def ok():
        s = label_state(drv)
        return s and s['phase'] == 'ready' and s['img'] and s['lease'] and s['lease'] != other_than and s['lease']
    return wait_for(ok, timeout=timeout, what='the next image' if other_than else 'an image to label')


def balance(drv):
    """The available money in the header."""
    return q(drv, '[data-testid=balance]').text.strip()


def pending(drv):
    """The pending money (results waiting for review) in the header."""
    return q(drv, '[data-testid=pending]').text.strip()


def choose(drv, css, value):
    """Picks the option `value` of a <select>."""
    from selenium.webdriver.support.select import Select
    Select(wait_for(lambda: q(drv, css), what=css)).select_by_value(value)


def set_online(drv, network, online):
    """Offline as on a phone, or back online. Nothing reaches the stack: `network` (a
    NetworkSwitch the browser goes through) resets every connection, the page's and its
    service worker's alike. And the browser says so: Chrome's network emulation gives
    navigator.onLine and the offline and online events (chromedriver applies it again
    after each navigation). Turned on in the opposite order, so that the `online` event
    finds the network there."""
    if online:
        network.turn_on()
        drv.delete_network_conditions()
    else:
        network.turn_off()
        drv.set_network_conditions(offline=True, latency=0, download_throughput=-1, upload_throughput=-1)


def local_queue(drv):
    return drv.execute_script("return JSON.parse(localStorage.getItem('tt.trainQueue.v1') || '[]')")


from selenium.webdriver.common.keys import Keys  # noqa: E402  (re-exported for the tests)
