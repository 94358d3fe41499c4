"""Helpers for the Requester web app's browser tests: generated PNG images, a scripted
requester and tasker on the JSON API, and Chromium drivers (a desktop that saves downloads;
a phone and a desktop for the review screen). The stack's settings, the database and the
admin command line come from tests/ttstack.py.

Environment: TT_BASE_URL, TT_ADMIN, TT_CONFIG (required; see ttstack.py), and
TT_ARTIFACTS: where screenshots go (default var/artifacts); ours go to requester/
"""
import json

import requests
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

import ttstack
from ttstack import StackMissing, admin_credit, db_connect, unique, unique_email  # noqa: F401
from ttstack import admin_argv as admin_command  # noqa: F401


def base_url():
    """The stack's URL, after a health check and a check that nginx serves /requester/."""
    return ttstack.base_url(app='requester')


def artifacts_dir():
    """$TT_ARTIFACTS/requester/, where the screenshots go."""
    return ttstack.artifacts_dir('requester')


def make_png(width, height, seed=0):
    """An RGB PNG with a coloured background and two blocks; `seed` makes it unique."""
    return ttstack.blocks_png(width, height, seed, background=(40 + seed * 37 % 160, 80 + seed * 13 % 120, 140),
                              shade=60, blocks=[
                                  (width // 8, height // 6, width // 3, height // 2, b'\x40\x40\x50'),
                                  (width // 2, height // 2, width * 7 // 8, height * 5 // 6, b'\xd8\xc8\xa0')])


class ApiUser:
    """A new user on the JSON API (Bearer token), as a script would be."""

    def __init__(self, base, role, screen_name, password):
        self.base = base
        self.email = unique_email(screen_name, digits=8)
        self.password = password
        r = requests.post(base + '/api/auth/register', timeout=30, json={
            'email': self.email, 'password': password, 'screenName': screen_name, 'role': role})
        assert r.status_code == 201, f'register {role}: {r.status_code} {r.text[:300]}'
        body = r.json()
        self.user = body['user']
        self.s = requests.Session()
        self.s.headers['Authorization'] = 'Bearer ' + body['token']

    def call(self, method, path, expect=(200, 201), **kw):
        r = self.s.request(method, self.base + '/api' + path, timeout=30, **kw)
        assert r.status_code in expect, f'{method} {path} -> {r.status_code}: {r.text[:400]}'
        return r

    def get(self, path):
        return self.call('GET', path).json()


class Requester(ApiUser):
    """A requester on the JSON API, with `credit` from the admin command line."""

    def __init__(self, base, screen_name, credit):
        super().__init__(base, 'requester', screen_name, 'requester password 42')
        admin_credit(self.email, credit)

    def create_job(self, images, bounty, results_per_image, budget, labels, auto_approve_hours=72,
                   activate=True, size=(320, 240), quality=None, gold=None):
        """A job with `images` generated PNGs (review00.png, review01.png, ...), activated
        unless told otherwise; returns the Job. `quality`: the job's quality object; `gold`:
        {image index: gold answer} marked before activation."""
        name = unique('req-review')
        body = {
            'name': name, 'title': 'Review the cars ' + name[-4:], 'description': 'Browser test job.',
            'instructions': 'One box per car and per person.', 'labels': list(labels), 'bounty': bounty,
            'budget': budget, 'resultsPerImage': results_per_image, 'autoApproveAfterHours': auto_approve_hours,
            'type': 'ImageRegion'}
        if quality is not None:
            body['quality'] = quality
        job = self.call('POST', '/jobs', json=body).json()
        assert job['autoApproveAfterHours'] == auto_approve_hours, job
        tasks = []
        for i in range(images):
            out = self.call('POST', f"/jobs/{job['id']}/images?filename=review{i:02d}.png",
                            data=make_png(*size, seed=job['id'] * 1000 + i), headers={'Content-Type': 'image/png'}).json()
            tasks.extend(item['task'] for item in out['items'])
        for index, answer in (gold or {}).items():
            self.call('PUT', f"/jobs/{job['id']}/tasks/{tasks[index]['id']}/gold", json=answer)
        if activate:
            job = self.call('POST', f"/jobs/{job['id']}/activate").json()
            assert job['state'] == 'active', job
        return job


class Tasker(ApiUser):
    """A tasker on the JSON API; `trains` keeps every result it submitted (TrainView)."""

    def __init__(self, base, screen_name):
        super().__init__(base, 'tasker', screen_name, 'tasker password 42')
        self.trains = []

    def label_images(self, job_id, count, labels, shift=0.0):
        """Takes leases and submits one or two boxes per image, `count` times; `shift`
        (a fraction of the image) moves the boxes so two taskers' boxes differ.
        Returns [(task_id, boxes)]."""
        done = []
        for n in range(count):
            r = self.call('POST', f'/jobs/{job_id}/leases', expect=(200, 201, 404))
            if r.status_code == 404:
                break  # no_work: nothing left for this tasker
            lease = r.json()
            w, h = lease['image']['width'], lease['image']['height']
            boxes = [{'x': round(w * (0.12 + shift), 1), 'y': round(h * (0.16 + shift), 1), 'w': round(w * 0.2, 1), 'h': round(h * 0.33, 1),
                      'label': labels[0]}]
            if n % 2 == 0:
                boxes.append({'x': round(w * (0.5 - shift), 1), 'y': round(h * (0.5 - shift), 1), 'w': round(w * 0.37, 1),
                              'h': round(h * 0.33, 1), 'label': labels[-1]})
            t = self.call('POST', f"/leases/{lease['id']}/train", json={'boxes': boxes, 'nothingToMark': False}).json()
            assert t['taskId'] == lease['taskId']
            self.trains.append(t)
            done.append((lease['taskId'], boxes))
        return done


def make_driver(download_dir, width=1366, height=900):
    """A desktop Chromium that saves downloads in download_dir."""
    return ttstack.chromium(viewport=(width, height), downloads=download_dir)


DEVICES = {
    'phone': {'viewport': (390, 844), 'touch': True},
    'desktop': {'viewport': (1366, 900), 'touch': False},
}


def make_device_driver(device):
    """A Chromium for DEVICES[device]: a phone (390x844, touch, a phone's user agent) or a
    desktop (1366x900); `drv.device` names which."""
    drv = ttstack.chromium(**DEVICES[device])
    drv.device = device
    return drv


# --- the page ---------------------------------------------------------------------

def wait(drv, cond, timeout=30, msg=''):
    """Waits until cond(drv) is true. `msg` may be a function: it is then called only on a
    time-out, so that the message shows the page as it was at the end, not at the start."""
    waiter = WebDriverWait(drv, timeout, poll_frequency=0.2, ignored_exceptions=(StaleElementReferenceException,))
    if not callable(msg):
        return waiter.until(cond, msg)
    try:
        return waiter.until(cond)
    except TimeoutException:
        try:
            text = msg()
        except Exception as e:  # the page changed under the message itself
            text = f'(the failure message could not be built: {type(e).__name__})'
        raise TimeoutException(text) from None


def css(drv, sel):
    return drv.find_element(By.CSS_SELECTOR, sel)


def h1_is(drv, text, timeout=30):
    wait(drv, lambda d: any(text in e.text for e in d.find_elements(By.TAG_NAME, 'h1')), timeout,
         f'no h1 containing {text!r}')


def type_into(drv, sel, text, clear=True):
    el = css(drv, sel)
    if clear:
        el.send_keys(Keys.CONTROL, 'a')
        el.send_keys(Keys.DELETE)
    el.send_keys(text)
    return el


def balance(drv):
    return css(drv, '[data-testid="balance"] strong').text


def go(drv, base, route):
    drv.get(f'{base}/requester/#{route}')


def badge(drv):
    return css(drv, 'h1 .badge').text.strip().lower()


def click(drv, el):
    """Clicks an element after scrolling it to the middle of the viewport, so that the
    sticky bars at the top and bottom of a phone's screen cannot be in the way."""
    drv.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});", el)
    el.click()
    return el


def sign_in(drv, base, email, password):
    """Signs in through the app's own form and waits for the list of jobs."""
    drv.get(base + '/requester/')
    h1_is(drv, 'Sign in')
    type_into(drv, '#auth-email', email)
    type_into(drv, '#auth-password', password)
    css(drv, 'form button[type="submit"]').click()
    h1_is(drv, 'Your jobs')


def api_in_browser(drv, path):
    """GET /api{path} from the page with the browser's own session cookie; the parsed JSON."""
    out = drv.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch('/api' + arguments[0], {credentials: 'same-origin'})
          .then(r => r.text().then(t => done({status: r.status, text: t})))
          .catch(e => done({status: 0, text: String(e)}));""", path)
    assert out['status'] == 200, f"GET /api{path} in the browser -> {out['status']}: {out['text'][:300]}"
    return json.loads(out['text'])
