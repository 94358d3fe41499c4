"""The Tasker app installed on a phone, in real Chromium against the real stack: the web
app manifest and its icons, the service worker that keeps the app shell (and nothing
of the API), and the app opening without a network with an answer waiting in the
offline queue, sent once the network is back.

Offline means offline for the service worker too. Chrome's network emulation alone does
not give that: it is per target, so a service worker's own fetches stay online, and it
lags behind a reload (the reloaded page's first requests reached the server). So the
browser goes through a NetworkSwitch (network_switch.py) that the test turns off, with
the emulation on top for navigator.onLine and the offline/online events; the test checks
that a fetch the service worker makes itself fails."""
import re
import struct

import requests

import tt_helpers as h
from tt_helpers import click, pending, q, qs, wait_for, label_state

MANIFEST_FIELDS = ('name', 'short_name', 'start_url', 'scope', 'display', 'theme_color', 'icons')


def controlled(drv):
    """The service worker script that controls the page, or None."""
    return drv.execute_script(
        "const c = navigator.serviceWorker && navigator.serviceWorker.controller; return c && c.scriptURL;")


def cached_urls(drv):
    """{cache name: [request URLs]} of the page's Cache Storage."""
    return drv.execute_async_script("""
        const done = arguments[arguments.length - 1];
        (async () => {
          const out = {};
          for (const name of await caches.keys())
            out[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
          return out;
        })().then(done, (e) => done({error: String(e)}));""")


def worker_fetch(drv):
    """What a GET under /tasker/ that is not in the shell gives: the service worker fetches
    it from the network itself (nginx answers index.html), so 'failed' means its network
    is off."""
    return drv.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch('/tasker/not-in-the-shell-' + Math.random(), {cache: 'no-store'})
          .then((r) => done(r.status), () => done('failed'));""")


def build_of(base):
    index = requests.get(base + '/tasker/', timeout=30).text
    return re.search(r'app\.js\?v=([0-9a-f]+)', index).group(1)


def test_manifest_and_service_worker(browser, base, admin_ready, shot):
    """The manifest is linked and complete, Chrome finds the app installable, the service
    worker controls the page and caches this build's shell, never an API answer."""
    drv = browser
    h.ui_signup(drv, base)
    href = drv.execute_script("const l = document.querySelector('link[rel=manifest]'); return l && l.href;")
    assert href == base + '/tasker/manifest.webmanifest'
    r = requests.get(href, timeout=30)
    assert r.status_code == 200
    manifest = r.json()
    missing = [f for f in MANIFEST_FIELDS if not manifest.get(f)]
    assert not missing, f'manifest lacks {missing}'
    assert manifest['start_url'] == '/tasker/' and manifest['scope'] == '/tasker/'
    assert manifest['display'] == 'standalone'
    assert re.fullmatch(r'#[0-9a-fA-F]{6}', manifest['theme_color'])
    sizes = set()
    for icon in manifest['icons']:
        got = requests.get(base + '/tasker/' + icon['src'], timeout=30)
        assert got.status_code == 200 and got.content[:8] == b'\x89PNG\r\n\x1a\n', icon
        w, hgt = struct.unpack('>II', got.content[16:24])
        assert icon['sizes'] == f'{w}x{hgt}' and icon['type'] == 'image/png', icon
        sizes.add(icon['sizes'])
    assert {'192x192', '512x512'} <= sizes

    # Chrome's own reading of it.
    parsed = drv.execute_cdp_cmd('Page.getAppManifest', {})
    assert parsed.get('url') == href and not parsed.get('errors'), parsed
    wait_for(lambda: controlled(drv), what='the service worker to control the page')
    assert controlled(drv) == base + '/tasker/sw.js'
    scope = drv.execute_async_script("""
        const done = arguments[arguments.length - 1];
        navigator.serviceWorker.getRegistration().then((r) => done(r && r.scope));""")
    assert scope == base + '/tasker/'
    errors = drv.execute_cdp_cmd('Page.getInstallabilityErrors', {}).get('installabilityErrors')
    assert errors == [], errors

    # The worker's cache is named after this build and holds the shell, nothing else.
    build = build_of(base)
    sw = requests.get(base + '/tasker/sw.js', timeout=30).text
    assert '__BUILD__' not in sw and f"'{build}'" in sw
    shell = {base + '/tasker/' + p for p in (
        'index.html', f'app.js?v={build}', f'styles.css?v={build}', 'manifest.webmanifest',
        'icons/icon-192.png', 'icons/icon-512.png', 'icons/icon-maskable-512.png')}
    wait_for(lambda: set(cached_urls(drv).get('tasker-shell-' + build, [])) == shell, what='the shell in the cache')
    assert list(cached_urls(drv)) == ['tasker-shell-' + build]

    # Using the app (the API, task images) adds nothing to it.
    req, job, tasks = h.create_job(base, [(640, 480)])
    click(drv, '[data-testid=nav-history]')
    wait_for(lambda: q(drv, '[data-testid=history]').get_attribute('data-state') == 'ready', what='the history')
    click(drv, '[data-testid=nav-jobs]')
    h.start_job(drv, job['id'])
    urls = [u for names in cached_urls(drv).values() for u in names]
    assert set(urls) == shell and not [u for u in urls if '/api/' in u], urls
    shot(drv, 'installable')


def test_opens_offline_and_sends_the_queued_answer_when_back(browser, base, network, admin_ready, shot):
    """With the network off (for the page and the service worker), an answer waits in the
    queue; the app still opens on reload, from the service worker's cache, signed in and
    showing the waiting answer; once the network is back the answer is sent, once."""
    drv = browser
    req, job, tasks = h.create_job(base, [(1200, 800), (640, 480)], bounty='0.07')
    app = network.url  # the app through the switch
    h.ui_signup(drv, app)
    wait_for(lambda: controlled(drv), what='the service worker to control the page')
    lease1 = h.start_job(drv, job['id'])
    h.draw_box(drv, 0.2, 0.2, 0.7, 0.7)
    wait_for(lambda: label_state(drv)['boxes'] == 1, what='a box')
    assert worker_fetch(drv) == 200

    h.set_online(drv, network, False)
    try:
        assert worker_fetch(drv) == 'failed', "the service worker's own fetches are still online"
        click(drv, '[data-testid=submit]')
        wait_for(lambda: q(drv, '[data-testid=waiting-message]'), what='the offline message')
        assert [str(i['leaseId']) for i in h.local_queue(drv)] == [lease1]

        # Back to the job list, then reload: the page, script and styles come from the cache.
        click(drv, '[aria-label="Back to jobs"]')
        wait_for(lambda: q(drv, '[data-testid=job-list]'), what='the job list')
        drv.refresh()
        waiting = wait_for(lambda: q(drv, '[data-testid=queue-pending]'), what='the app, opened offline')
        assert waiting.get_attribute('data-count') == '1'
        assert controlled(drv) == app + '/tasker/sw.js'
        assert drv.execute_script("return navigator.onLine") is False
        assert 'offline' in waiting.text
        assert q(drv, '.brand').text == 'TrainTasker'
        wait_for(lambda: q(drv, '[data-testid=job-list]').get_attribute('data-state') == 'error',
                 what='the job list saying the server cannot be reached')
        assert "Cannot reach the server" in q(drv, '[data-testid=job-list] .msg.error').text
        shot(drv, 'opened-offline')
        assert h.job_trains(req, job['id']) == []
        assert [str(i['leaseId']) for i in h.local_queue(drv)] == [lease1]
    finally:
        h.set_online(drv, network, True)

    wait_for(lambda: not qs(drv, '[data-testid=queue-pending]'), timeout=45, what='the queue to empty')
    assert h.local_queue(drv) == []
    wait_for(lambda: pending(drv) == '0.07', what='0.07 pending review')
    wait_for(lambda: q(drv, '[data-testid=job-list]').get_attribute('data-state') == 'ready',
             what='the job list to load by itself')
    assert worker_fetch(drv) == 200
    shot(drv, 'back-online')
    trains = h.job_trains(req, job['id'])
    assert len(trains) == 1 and trains[0]['leaseId'] == int(lease1)
    assert len(trains[0]['boxes']) == 1
