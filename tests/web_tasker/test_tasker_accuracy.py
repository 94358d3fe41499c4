"""A tasker's accuracy on quality checks, in real Chromium against the real stack, at a
phone's and a desktop's size: a job whose first image is a gold image (its right answer
known to the requester); the tasker answers it wrong through the API, the worker's quality
thread scores the answer, and the accuracy screen shows the figure, the job, and the
failed check with the box they missed drawn (and the box they should not have drawn in
another colour). Once the requester blocks them, the screen shows the reason and taking
an image of the job ends with a clear message, not a generic error."""
import time

import tt_helpers as h
from tt_helpers import click, q, qs, wait_for

SMALL = (320, 240)
GOLD = {'boxes': [{'x': 30, 'y': 30, 'w': 90, 'h': 70, 'label': 'car'},
                  {'x': 180, 'y': 120, 'w': 80, 'h': 90, 'label': 'person'}], 'nothingToMark': False}
# The car right, the person missed, and two boxes where there is nothing: F1 0.4, below the
# pass line (0.5).
ANSWER = [{'x': 31, 'y': 30, 'w': 90, 'h': 69, 'label': 'car'}, {'x': 150, 'y': 10, 'w': 40, 'h': 40, 'label': 'car'},
          {'x': 20, 'y': 160, 'w': 50, 'h': 50, 'label': 'car'}]
FIRST_IMAGE_GOLD = {'goldRate': {'early': 1, 'earlyImages': 1, 'later': 0}, 'goldAnswersPerImage': 2,
                    'minGoldAnswers': 3}


def wait_failed_check(me, timeout=20):
    """GET /api/me/accuracy once the worker's quality thread has scored the gold answer."""
    end = time.time() + timeout
    while True:
        acc = me.call('GET', '/me/accuracy')
        if acc['failedChecks'] and acc.get('accuracy') is not None:
            return acc
        assert time.time() < end, f'the gold answer was not scored after {timeout} s: {acc}'
        time.sleep(0.3)


def open_accuracy(drv):
    click(drv, '[data-testid=nav-jobs]')
    wait_for(lambda: q(drv, '[data-testid=job-list]'), what='the job list')
    click(drv, '[data-testid=nav-accuracy]')
    wait_for(lambda: q(drv, '[data-testid=accuracy-screen]').get_attribute('data-state') == 'ready',
             what='the accuracy screen')


def test_accuracy_failed_check_and_block(browser, base, admin_ready, shot):
    drv = browser
    req, job, tasks = h.create_job(base, [SMALL] * 3, title='Checked cars', quality=FIRST_IMAGE_GOLD, gold={0: GOLD})
    email, password = h.ui_signup(drv, base)
    me = h.login(base, email, password)

    # Before any check: the screen says so.
    open_accuracy(drv)
    assert q(drv, '[data-testid=accuracy-overall]').text == 'You have not answered a quality check yet.'
    assert not qs(drv, '[data-testid=failed-check]')

    lease = me.call('POST', f"/jobs/{job['id']}/leases")
    assert lease['taskId'] == tasks[0]['id'], 'the first image of the job is its gold image'
    me.call('POST', f"/leases/{lease['id']}/train", json={'boxes': ANSWER, 'nothingToMark': False})
    acc = wait_failed_check(me)
    check = acc['failedChecks'][0]
    assert [b['label'] for b in check['missed']] == ['person'], check
    assert len(check['extra']) == 2, check

    open_accuracy(drv)
    pct = round(acc['accuracy'] * 100)
    wait_for(lambda: q(drv, '[data-testid=accuracy-overall]').text == f'{pct}% on 1 quality check',
             what=f'the overall figure {pct}%')
    jobs = q(drv, '[data-testid=accuracy-jobs]').text
    assert 'Checked cars' in jobs and f'{pct}%' in jobs, jobs
    item = wait_for(lambda: q(drv, '[data-testid=failed-check]'), what='the failed check')
    assert item.get_attribute('data-train-id') == str(check['trainId'])
    assert q(item, '[data-testid=check-text]').text == (
        'You missed 1 box (person) and you drew 2 boxes where there was none to draw (car).')
    # The image has loaded and the boxes lie over it, where they belong.
    wait_for(lambda: drv.execute_script(
        "const i = arguments[0].querySelector('img'); return i.complete && i.naturalWidth > 0;", item), what='the image')
    missed = wait_for(lambda: qs(item, '[data-testid=check-overlay] rect[data-kind=missed]'), what='the missed box')
    assert len(missed) == 1 and missed[0].get_attribute('data-label') == 'person'
    assert [missed[0].get_attribute(a) for a in ('x', 'y', 'width', 'height')] == ['180', '120', '80', '90']
    extra = qs(item, '[data-testid=check-overlay] rect[data-kind=extra]')
    assert len(extra) == 2 and all(e.get_attribute('data-label') == 'car' for e in extra)
    colours = drv.execute_script(
        "return [getComputedStyle(arguments[0]).stroke, getComputedStyle(arguments[1]).stroke];", missed[0], extra[0])
    assert colours[0] != colours[1], colours
    box = drv.execute_script("const r = arguments[0].getBoundingClientRect(), i = arguments[1].getBoundingClientRect();"
                             "return [r.left - i.left, r.width, i.width];", missed[0], q(item, 'img'))
    assert abs(box[0] - box[2] * 180 / 320) < 4 and abs(box[1] - box[2] * 80 / 320) < 4, box
    drv.execute_script("arguments[0].scrollIntoView({block: 'center'})", item)
    shot(drv, 'failed-check')

    # The requester blocks the tasker: the reason shows, and the job refuses them clearly.
    reason = 'Your boxes miss the people.'
    req.call('POST', f"/jobs/{job['id']}/taskers/{me.user['id']}/block", json={'reason': reason})
    open_accuracy(drv)
    blocked = wait_for(lambda: q(drv, '[data-testid=blocked-reason]'), what='the block reason')
    assert reason in blocked.text

    drv.get(f"{base}/tasker/#/job/{job['id']}")
    ended = wait_for(lambda: q(drv, '[data-testid=label-ended]'), what='the end of the session')
    assert ended.get_attribute('data-kind') == 'blocked'
    text = q(drv, '[data-testid=ended-message]').text
    assert 'no longer takes your work' in text, text
    assert q(drv, 'h1').text == 'You can no longer work on this job'
    shot(drv, 'blocked')
    click(drv, '[data-testid=ended-accuracy]')
    wait_for(lambda: q(drv, '[data-testid=accuracy-screen]'), what='the accuracy screen from the message')
