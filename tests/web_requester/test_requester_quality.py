"""Quality control in the Requester web app: real Chromium through nginx, against the real
stack, at a phone's viewport (390x844, touch) and a desktop's (1366x900).

The requester draws a gold answer on an image and saves it, removes it again, imports gold
answers from a COCO file (and sees the server's reason for a file that does not match the
job); the taskers table shows each tasker's accuracy on a gold image (their answers scored
by the worker's quality thread), sorts by it, and blocks and unblocks a tasker. Every
outcome is checked through the JSON API.
"""
import json
import os
import time
import uuid

from selenium.webdriver.common.by import By

import requester_helpers as rh
import ttstack
from requester_helpers import click, css, go, h1_is, sign_in, type_into, wait

LABELS = ['car', 'person']
SIZE = (320, 240)
# Gold: the first image a tasker takes is a gold image (1 in 1 of their first image), none after.
FIRST_IMAGE_GOLD = {'goldRate': {'early': 1, 'earlyImages': 1, 'later': 0}, 'goldAnswersPerImage': 4}
GOLD_BOX = {'x': 40, 'y': 40, 'w': 100, 'h': 80, 'label': 'car'}


def tasks(req, job_id):
    """{filename: TaskView} of the job's images, as the requester sees them."""
    return {t['filename']: t for t in req.get(f'/jobs/{job_id}/tasks?perPage=100')['items']}


def gold_item(drv, task_id):
    return css(drv, f'.gold-item[data-task-id="{task_id}"]')


def open_gold_tab(drv, base, job_id):
    go(drv, base, f'/jobs/{job_id}/gold')
    wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, '.gold-list .gold-item'),
         msg=lambda: f'no image list on the gold tab: {css(drv, "main").text[:500]}')


def draw(drv, fx0, fy0, fx1, fy1):
    """Drags across the gold editor's image between two points given as fractions of it."""
    layer = css(drv, '.gold-stage [data-testid=box-layer]')
    drv.execute_script("arguments[0].scrollIntoView({block: 'center'});", layer)
    r = drv.execute_script("const r = arguments[0].getBoundingClientRect();"
                           "return {left: r.left, top: r.top, width: r.width, height: r.height};", layer)
    ttstack.drag(drv, r['left'] + fx0 * r['width'], r['top'] + fy0 * r['height'],
                 r['left'] + fx1 * r['width'], r['top'] + fy1 * r['height'], touch=drv.device == 'phone')


def test_gold_drawn_saved_removed_and_coco_import(rq_base, rq_admin, rq_device, rq_shots):
    drv = rq_device
    req = rh.Requester(rq_base, 'gold' + uuid.uuid4().hex[:6], credit='20.00')
    job = req.create_job(images=4, bounty='0.05', results_per_image=2, budget='5.00', labels=LABELS,
                         activate=False, size=SIZE)
    images = tasks(req, job['id'])
    first, second, third = images['review00.png'], images['review01.png'], images['review02.png']
    sign_in(drv, rq_base, req.email, req.password)

    # The job form has the Quality section, with a plain explanation.
    go(drv, rq_base, f"/jobs/{job['id']}/edit")
    h1_is(drv, 'Edit')
    assert 'Quality' in css(drv, 'fieldset.quality-fields legend').text
    assert css(drv, '#job-qAgreement').get_attribute('value') == '70'
    assert css(drv, '#job-qGoldAnswers').is_enabled()

    # Draw one box labelled "person" on the first image and save it.
    open_gold_tab(drv, rq_base, job['id'])
    assert 'Not worked on yet' in gold_item(drv, first['id']).text
    click(drv, gold_item(drv, first['id']).find_element(By.LINK_TEXT, 'Mark as gold'))
    wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, f'.gold-editor[data-task-id="{first["id"]}"] .gold-stage img'))
    wait(drv, lambda d: d.execute_script("const i = document.querySelector('.gold-stage img'); return i.complete && i.naturalWidth > 0;"),
         msg='the image did not load in the gold editor')
    click(drv, css(drv, '.gold-labels button:nth-child(2)'))  # person
    draw(drv, 0.25, 0.25, 0.75, 0.625)
    wait(drv, lambda d: len(d.find_elements(By.CSS_SELECTOR, '.gold-stage [data-box]')) == 1, msg='no box drawn')
    assert css(drv, '.gold-stage .box-tag').text.strip() == '1 person'
    rq_shots(drv, f'{drv.device}-gold-drawn')
    click(drv, css(drv, '.gold-editor button.primary'))
    wait(drv, lambda d: 'Saved' in css(d, '.gold-editor').text, msg=lambda: css(drv, '.gold-editor').text)

    gold = tasks(req, job['id'])['review00.png']['gold']
    assert gold is not None and gold['nothingToMark'] is False, gold
    assert len(gold['boxes']) == 1, gold
    box = gold['boxes'][0]
    assert box['label'] == 'person'
    # The drag went from (80, 60) to (240, 150) in image pixels; a pixel or two either way.
    assert abs(box['x'] - 80) <= 3 and abs(box['y'] - 60) <= 3, box
    assert abs(box['w'] - 160) <= 4 and abs(box['h'] - 90) <= 4, box

    # Remove it again: an ordinary image.
    click(drv, css(drv, '.gold-editor button.danger'))
    wait(drv, lambda d: 'Removed' in css(d, '.gold-editor').text, msg=lambda: css(drv, '.gold-editor').text)
    assert tasks(req, job['id'])['review00.png'].get('gold') is None

    # Import COCO: one box on the second image, nothing to mark on the third.
    click(drv, css(drv, '.gold-editor-head .link-button'))
    open_gold_tab(drv, rq_base, job['id'])
    coco = {
        'images': [{'id': 1, 'file_name': 'review01.png', 'width': SIZE[0], 'height': SIZE[1]},
                   {'id': 2, 'file_name': 'review02.png', 'width': SIZE[0], 'height': SIZE[1]}],
        'categories': [{'id': 7, 'name': 'car'}, {'id': 8, 'name': 'person'}],
        'annotations': [{'id': 1, 'image_id': 1, 'category_id': 7, 'bbox': [10, 20, 60, 40]}],
    }
    bad = dict(coco, categories=[{'id': 7, 'name': 'truck'}, {'id': 8, 'name': 'person'}])
    folder = rh.artifacts_dir()
    bad_path = os.path.join(folder, f'coco-bad-{drv.device}.json')
    good_path = os.path.join(folder, f'coco-{drv.device}.json')
    for path, body in ((bad_path, bad), (good_path, coco)):
        with open(path, 'w') as f:
            json.dump(body, f)

    css(drv, '#coco-file').send_keys(bad_path)
    click(drv, css(drv, '.coco-import button[type=submit]'))
    result = wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid=coco-result]'))[0]
    assert 'error-box' in result.get_attribute('class'), result.text
    assert 'truck' in result.text, result.text
    assert all(t.get('gold') is None for t in tasks(req, job['id']).values()), 'a refused file changed nothing'

    css(drv, '#coco-file').send_keys(good_path)
    click(drv, css(drv, '.coco-import button[type=submit]'))
    wait(drv, lambda d: 'Marked 2 images as gold.' in css(d, '[data-testid=coco-result]').text,
         msg=lambda: css(drv, '.coco-import').text)
    now = tasks(req, job['id'])
    assert now['review01.png']['gold'] == {'boxes': [{'x': 10, 'y': 20, 'w': 60, 'h': 40, 'label': 'car'}],
                                           'nothingToMark': False}, now['review01.png']
    assert now['review02.png']['gold']['nothingToMark'] is True, now['review02.png']
    assert now['review00.png'].get('gold') is None
    wait(drv, lambda d: gold_item(d, second['id']).get_attribute('data-gold') == 'gold'
         and gold_item(d, third['id']).get_attribute('data-gold') == 'nothing',
         msg='the list does not show the imported gold images')
    rq_shots(drv, f'{drv.device}-gold-imported')


def wait_scored(req, job_id, tasker_ids, timeout=20):
    """The taskers table once every tasker in tasker_ids has a gold answer scored and
    settled (the worker's quality thread scores it, then approves or rejects it, within
    about a second of the result)."""
    def done(row):
        return (row.get('goldAnswers') == 1 and row.get('accuracy') is not None
                and row.get('approved', 0) + row.get('rejected', 0) >= 1)
    end = time.time() + timeout
    while True:
        rows = {t['taskerId']: t for t in req.get(f'/jobs/{job_id}/taskers')['items']}
        if all(done(rows.get(i, {})) for i in tasker_ids):
            return rows
        assert time.time() < end, f'gold answers not scored after {timeout} s: {rows}'
        time.sleep(0.3)


def answer(tasker, job_id, boxes):
    """One lease of the job answered with `boxes`; returns the task id."""
    lease = tasker.call('POST', f'/jobs/{job_id}/leases').json()
    tasker.call('POST', f"/leases/{lease['id']}/train", json={'boxes': boxes, 'nothingToMark': False})
    return lease['taskId']


def row(drv, tasker_id):
    return css(drv, f'table.job-taskers tr[data-tasker-id="{tasker_id}"]')


def order(drv):
    return [int(r.get_attribute('data-tasker-id')) for r in drv.find_elements(By.CSS_SELECTOR, 'table.job-taskers tbody tr')]


def test_taskers_accuracy_sort_block_unblock(rq_base, rq_admin, rq_device, rq_shots):
    drv = rq_device
    req = rh.Requester(rq_base, 'acc' + uuid.uuid4().hex[:6], credit='20.00')
    job = req.create_job(images=4, bounty='0.05', results_per_image=1, budget='2.00', labels=LABELS,
                         quality=FIRST_IMAGE_GOLD, gold={0: {'boxes': [GOLD_BOX], 'nothingToMark': False}})
    gold_id = tasks(req, job['id'])['review00.png']['id']
    good = rh.Tasker(rq_base, 'good' + uuid.uuid4().hex[:4])
    sloppy = rh.Tasker(rq_base, 'slop' + uuid.uuid4().hex[:4])
    # Each one's first image is the gold one: good answers it right, sloppy far off. (While
    # the quality thread assesses good's answer it holds the image for a moment, and a take
    # then would get an ordinary image first: sloppy takes once it is scored.)
    assert answer(good, job['id'], [GOLD_BOX]) == gold_id
    wait_scored(req, job['id'], [good.user['id']])
    assert answer(sloppy, job['id'], [{'x': 200, 'y': 150, 'w': 60, 'h': 50, 'label': 'person'}]) == gold_id
    # And one ordinary result of sloppy's, pending, which the block will reject.
    assert answer(sloppy, job['id'], [{'x': 10, 'y': 10, 'w': 30, 'h': 30, 'label': 'car'}]) != gold_id
    rows = wait_scored(req, job['id'], [good.user['id'], sloppy.user['id']])
    assert rows[good.user['id']]['accuracy'] == 1, rows
    assert rows[sloppy.user['id']]['accuracy'] == 0, rows
    assert rows[sloppy.user['id']]['pending'] == 1, rows

    sign_in(drv, rq_base, req.email, req.password)
    go(drv, rq_base, f"/jobs/{job['id']}/taskers")
    wait(drv, lambda d: len(order(d)) == 2, msg=lambda: css(drv, 'main').text[:600])
    assert row(drv, good.user['id']).find_element(By.CSS_SELECTOR, '[data-col=accuracy]').text == '100%'
    assert row(drv, sloppy.user['id']).find_element(By.CSS_SELECTOR, '[data-col=accuracy]').text == '0%'
    assert row(drv, sloppy.user['id']).find_element(By.CSS_SELECTOR, '[data-col=goldAnswers]').text == '1'
    assert order(drv) == [sloppy.user['id'], good.user['id']], 'lowest accuracy first'
    click(drv, css(drv, 'button.sort-button[data-sort=accuracy]'))
    wait(drv, lambda d: order(d) == [good.user['id'], sloppy.user['id']], msg='sorting by accuracy, descending')
    assert css(drv, 'th[aria-sort]').get_attribute('aria-sort') == 'descending'
    rq_shots(drv, f'{drv.device}-taskers')

    # Block sloppy from this job: a reason is required.
    click(drv, row(drv, sloppy.user['id']).find_element(By.CSS_SELECTOR, 'button.danger'))
    form = wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, 'form.block-form'))[0]
    click(drv, form.find_element(By.CSS_SELECTOR, 'button[type=submit]'))
    wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, '#block-reason-error'), msg='no error for a missing reason')
    reason = 'Your boxes miss the cars.'
    type_into(drv, '#block-reason', reason)
    click(drv, form.find_element(By.CSS_SELECTOR, 'button[type=submit]'))
    wait(drv, lambda d: 'is blocked' in css(d, '.taskers-panel [role=status]').text,
         msg=lambda: css(drv, '.taskers-panel').text[:600])
    assert '1 pending result rejected' in css(drv, '.taskers-panel [role=status]').text
    wait(drv, lambda d: reason in row(d, sloppy.user['id']).find_element(By.CSS_SELECTOR, '[data-col=status]').text)
    rq_shots(drv, f'{drv.device}-blocked')

    blocked = {t['taskerId']: t for t in req.get(f"/jobs/{job['id']}/taskers")['items']}[sloppy.user['id']]
    assert blocked['blocked'] and blocked['blocked']['reason'] == reason and blocked['blocked']['allJobs'] is False, blocked
    assert blocked['pending'] == 0 and blocked['rejected'] >= 2, blocked
    r = sloppy.call('POST', f"/jobs/{job['id']}/leases", expect=(403,))
    assert r.json()['error']['code'] == 'blocked', r.text

    # Unblock: the tasker may take images again.
    click(drv, row(drv, sloppy.user['id']).find_element(By.XPATH, './/button[normalize-space()="Unblock"]'))
    wait(drv, lambda d: 'again' in css(d, '.taskers-panel [role=status]').text)
    wait(drv, lambda d: row(d, sloppy.user['id']).find_elements(By.XPATH, './/button[normalize-space()="Block…"]'))
    after = {t['taskerId']: t for t in req.get(f"/jobs/{job['id']}/taskers")['items']}[sloppy.user['id']]
    assert after.get('blocked') is None, after
    sloppy.call('POST', f"/jobs/{job['id']}/leases", expect=(200, 201))

    # The gold image has had taskers: the gold tab says it can no longer change.
    open_gold_tab(drv, rq_base, job['id'])
    item = gold_item(drv, gold_id)
    assert item.get_attribute('data-gold') == 'gold'
    assert not item.find_elements(By.LINK_TEXT, 'Edit gold'), item.text
    assert 'Taskers have had it' in item.text, item.text


def test_active_job_form_locks_draft_only_quality_fields(rq_base, rq_admin, rq_browser):
    """On an active job the quality fields that change only in draft are disabled; the others
    save (checked through the API)."""
    drv = rq_browser
    req = rh.Requester(rq_base, 'lock' + uuid.uuid4().hex[:6], credit='10.00')
    job = req.create_job(images=1, bounty='0.05', results_per_image=3, budget='1.00', labels=LABELS,
                         quality={'minResultsPerImage': 2})
    drv.delete_all_cookies()
    sign_in(drv, rq_base, req.email, req.password)
    go(drv, rq_base, f"/jobs/{job['id']}/edit")
    h1_is(drv, 'Edit')
    assert css(drv, '#job-qAdaptive').is_selected()
    assert not css(drv, '#job-qAdaptive').is_enabled()
    assert not css(drv, '#job-qMinResults').is_enabled()
    assert not css(drv, '#job-qGoldAnswers').is_enabled()
    type_into(drv, '#job-qAgreement', '85')
    click(drv, css(drv, 'form.job-form button[type=submit]'))
    wait(drv, lambda d: d.execute_script('return location.hash') == f"#/jobs/{job['id']}",
         msg=lambda: css(drv, 'main').text[:600])
    q = req.get(f"/jobs/{job['id']}")['quality']
    assert q['agreementThreshold'] == 0.85 and q['minResultsPerImage'] == 2, q
