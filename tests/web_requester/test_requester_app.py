"""The Requester web app in real Chromium through nginx, against the real stack.

One requester's day, step by step (the steps share one browser and run in order; a step
whose predecessor failed fails too): sign up in the UI, get credited by the admin CLI,
create a job in the form (checked as it is typed), upload 20 generated PNGs by the file
input, activate (which charges only the slots the budget covers), let two scripted taskers
submit boxes through the JSON API (their results wait for review), see the boxes in the
gallery, watch the dashboard, download every export format, pause / resume / finish, sign
out and back in. Screenshots of each screen go to $TT_ARTIFACTS/requester/.
The review screen and the top-up have their own tests (test_requester_review.py).
"""
import json
import os
import re
import time
import uuid

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

import requester_helpers as rh
from requester_helpers import badge, balance, css, go, h1_is, type_into, wait

IMAGES = 20
SIZE = (320, 240)
BOUNTY = '0.10'
RESULTS_PER_IMAGE = 2
CREDIT = '50.00'
BUDGET = '10.00'  # covers 10.00 / (2 x 0.10) = 50 images
ESCROW = '4.00'  # activation funds the 20 x 2 slots the images need: 40 x 0.10
AUTO_APPROVE_HOURS = '48'  # long enough that no result is approved by itself during the run
LABELS = ['car', 'person']
FORMATS = ['coco', 'yolo', 'voc', 'csv', 'jsonl']

# State shared by the ordered steps below.
S = {}


def need(*keys):
    missing = [k for k in keys if k not in S]
    if missing:
        pytest.fail(f'an earlier step did not finish (missing {", ".join(missing)})', pytrace=False)


# --- 1. sign up --------------------------------------------------------------------

def test_sign_up_as_requester(rq_browser, rq_base, rq_shots):
    drv = rq_browser
    drv.get(rq_base + '/requester/')
    h1_is(drv, 'Sign in')
    rq_shots(drv, 'sign-in')
    wait(drv, EC.element_to_be_clickable((By.XPATH, '//button[normalize-space()="Sign up"]'))).click()
    h1_is(drv, 'Create a requester account')

    # Checked as typed: a bad email and a short password are explained before submitting.
    type_into(drv, '#auth-email', 'not-an-email')
    type_into(drv, '#auth-password', 'short')
    css(drv, '#auth-screenName').click()
    wait(drv, lambda d: 'email address' in css(d, '#auth-email-error').text)
    assert '8 characters' in css(drv, '#auth-password-error').text
    assert css(drv, '#auth-email').get_attribute('aria-invalid') == 'true'

    S['screen'] = 'req' + uuid.uuid4().hex[:6]
    S['email'] = f"{S['screen']}@example.com"
    S['password'] = 'requester password 42'
    type_into(drv, '#auth-email', S['email'])
    type_into(drv, '#auth-screenName', S['screen'])
    type_into(drv, '#auth-password', S['password'])
    rq_shots(drv, 'sign-up')
    css(drv, 'form button[type="submit"]').click()
    h1_is(drv, 'Your jobs')
    assert balance(drv) == '0.00'
    assert S['screen'] in css(drv, '.topbar .who').text
    rq_shots(drv, 'jobs-empty')
    S['signed_up'] = True


# --- 2. credit -----------------------------------------------------------------------

def test_credit_shows_in_balance(rq_browser, rq_base, rq_admin, rq_shots):
    need('signed_up')
    rh.admin_credit(S['email'], CREDIT)
    rq_browser.refresh()
    h1_is(rq_browser, 'Your jobs')
    wait(rq_browser, lambda d: balance(d) == CREDIT, msg=f'balance did not become {CREDIT}')
    S['credited'] = True


# --- 3. the job form -------------------------------------------------------------------

def test_create_job_in_form(rq_browser, rq_base, rq_shots):
    need('credited')
    drv = rq_browser
    css(drv, '.topbar nav a[href="#/jobs/new"]').click()
    h1_is(drv, 'New job')

    # Submitting the empty form marks the missing fields and focuses the first.
    type_into(drv, '#job-bounty', '')
    css(drv, 'form.job-form button[type="submit"]').click()
    wait(drv, lambda d: d.switch_to.active_element.get_attribute('id') == 'job-name')
    for f in ('name', 'title', 'instructions', 'labels', 'bounty', 'budget'):
        assert css(drv, f'#job-{f}-error').text, f'no error shown for {f}'

    S['job_name'] = rh.unique('req-e2e')
    type_into(drv, '#job-name', 'bad name!')
    wait(drv, lambda d: 'letters, digits' in css(d, '#job-name-error').text)
    type_into(drv, '#job-name', S['job_name'])
    type_into(drv, '#job-title', 'Mark the cars and people')
    type_into(drv, '#job-description', 'Street scenes from a test run.')
    type_into(drv, '#job-instructions', 'Draw one box per car and per person.\n- Include parked cars\n- Skip reflections')
    labels = css(drv, '#job-labels')
    for label in LABELS:
        labels.send_keys(label, Keys.ENTER)
    labels.send_keys('Car', Keys.ENTER)  # a duplicate is refused with a reason
    wait(drv, lambda d: 'already a label' in d.find_element(By.CSS_SELECTOR, '.tag-input .field-error').text)
    labels.send_keys(Keys.CONTROL, 'a')
    labels.send_keys(Keys.DELETE)
    assert [e.text for e in drv.find_elements(By.CSS_SELECTOR, '.tag-input .tag span')] == LABELS
    # The preview shows the instructions and labels as taskers will see them.
    preview = css(drv, '.tasker-preview')
    assert 'Mark the cars and people' in preview.text
    assert [e.text for e in preview.find_elements(By.CSS_SELECTOR, '.instructions li')] == ['Include parked cars', 'Skip reflections']
    assert [e.text for e in preview.find_elements(By.CSS_SELECTOR, '.preview-labels .tag')] == LABELS

    type_into(drv, '#job-bounty', '0.123')
    wait(drv, lambda d: 'two decimals' in css(d, '#job-bounty-error').text)
    type_into(drv, '#job-bounty', BOUNTY)
    type_into(drv, '#job-resultsPerImage', str(RESULTS_PER_IMAGE))
    # A budget above the balance is allowed, with a warning: activation charges only the
    # slots the budget covers for the images uploaded by then.
    type_into(drv, '#job-budget', '60.00')
    wait(drv, lambda d: f'balance is {CREDIT}' in css(d, '#job-budget-hint').text)
    assert 'only the slots' in css(drv, '#job-budget-hint').text
    assert not drv.find_elements(By.CSS_SELECTOR, '#job-budget-error')
    rq_shots(drv, 'job-form-over-budget')
    type_into(drv, '#job-budget', BUDGET)
    wait(drv, lambda d: 'balance is' not in css(d, '#job-budget-hint').text)

    # Results are approved automatically after 72 hours unless told otherwise (0 to 8760).
    assert css(drv, '#job-autoApproveAfterHours').get_attribute('value') == '72'
    assert '0 approves each result at once' in css(drv, '#job-autoApproveAfterHours-hint').text
    type_into(drv, '#job-autoApproveAfterHours', '9000')
    wait(drv, lambda d: '0 to 8760' in css(d, '#job-autoApproveAfterHours-error').text)
    type_into(drv, '#job-autoApproveAfterHours', AUTO_APPROVE_HOURS)
    wait(drv, lambda d: not d.find_elements(By.CSS_SELECTOR, '#job-autoApproveAfterHours-error'))
    coverage = css(drv, '#job-coverage').text
    assert '2 × 0.10 = 0.20' in coverage, coverage
    assert 'covers 50 images' in coverage, coverage
    assert '100 results' in coverage, coverage
    rq_shots(drv, 'job-form')

    css(drv, 'form.job-form button[type="submit"]').click()
    wait(drv, lambda d: re.search(r'#/jobs/\d+/images$', d.current_url), msg='not sent to the upload tab')
    S['job_id'] = int(re.search(r'#/jobs/(\d+)/images$', drv.current_url).group(1))
    h1_is(drv, 'Mark the cars and people')
    assert badge(drv) == 'draft'
    assert rh.api_in_browser(drv, f"/jobs/{S['job_id']}")['autoApproveAfterHours'] == int(AUTO_APPROVE_HOURS)


# --- 4. upload -------------------------------------------------------------------------

def _upload_counts(drv):
    """The upload summary's counts, read in one script so that a re-render in between
    cannot leave a stale element: {'done': 20, 'duplicate': 1, 'finished': '...'}."""
    pairs = drv.execute_script(
        "return Array.from(document.querySelectorAll('.upload-summary .counts [data-count]'))"
        ".map(e => [e.dataset.count, e.textContent]);")
    out = {}
    for name, text in pairs:
        m = re.match(r'(\d+)', text)
        out[name] = int(m.group(1)) if m else text
    return out


def test_upload_twenty_images(rq_browser, rq_base, rq_shots, rq_downloads, rq_db):
    need('job_id')
    drv = rq_browser
    folder = os.path.join(rq_downloads, 'images')
    os.makedirs(folder, exist_ok=True)
    paths = []
    for i in range(IMAGES):
        p = os.path.join(folder, f'street{i:02d}.png')
        with open(p, 'wb') as f:
            f.write(rh.make_png(*SIZE, seed=S['job_id'] * 1000 + i))
        paths.append(p)
    S['image_paths'] = paths

    css(drv, '#upload-files').send_keys('\n'.join(paths))
    # The total bar moves while files go up, then reaches 100%.
    total = wait(drv, EC.presence_of_element_located((By.ID, 'upload-total')))
    wait(drv, lambda d: css(d, '#upload-total').get_attribute('aria-valuenow') == '100', timeout=120,
         msg='the total upload progress never reached 100%')
    wait(drv, lambda d: _upload_counts(d).get('done') == IMAGES and 'finished' in _upload_counts(d), timeout=30,
         msg=lambda: f'not all {IMAGES} files were reported uploaded: {_upload_counts(drv)}')
    assert total.get_attribute('aria-valuenow') == '100'
    rows = drv.find_elements(By.CSS_SELECTOR, '#upload-list .upload-row')
    assert rows and all(r.get_attribute('data-status') == 'done' for r in rows)
    # every rendered row's own bar is full
    assert all(r.find_element(By.CSS_SELECTOR, '[role="progressbar"]').get_attribute('aria-valuenow') == '100' for r in rows)
    wait(drv, lambda d: f'({IMAGES})' in css(d, '.tabs a[href$="/images"]').text, msg='image count not refreshed')
    rq_shots(drv, 'upload-done')

    with rq_db.cursor() as c:
        c.execute('SELECT COUNT(*) AS n FROM tasks WHERE job_id = %s', (S['job_id'],))
        assert c.fetchone()['n'] == IMAGES
    S['uploaded'] = True


def test_upload_reports_duplicates_and_refusals(rq_browser, rq_base, rq_shots, rq_downloads):
    need('uploaded')
    drv = rq_browser
    folder = os.path.dirname(S['image_paths'][0])
    dup = os.path.join(folder, 'copy-of-street00.png')
    with open(S['image_paths'][0], 'rb') as src, open(dup, 'wb') as dst:
        dst.write(src.read())
    fake = os.path.join(folder, 'not-really.png')  # .png name, text inside: the server answers 415
    with open(fake, 'w') as f:
        f.write('this is not an image\n' * 20)
    notes = os.path.join(folder, 'notes.txt')  # refused before sending
    with open(notes, 'w') as f:
        f.write('notes\n')
    huge = os.path.join(folder, 'huge.png')  # above the server's upload limit (20 MB): 413
    with open(huge, 'wb') as f:
        f.write(rh.make_png(8, 8, seed=1)[:33])
        f.truncate(26 * 1024 * 1024)

    css(drv, '#upload-files').send_keys('\n'.join([dup, fake, notes, huge]))
    wait(drv, lambda d: _upload_counts(d).get('duplicate') == 1 and _upload_counts(d).get('refused') == 3
         and 'finished' in _upload_counts(d), timeout=60, msg=lambda: f'counts: {_upload_counts(drv)}')
    css(drv, 'input[name="upload-filter"][value="problems"]').click()
    rows = {r.find_element(By.CSS_SELECTOR, '.u-name').text: r
            for r in drv.find_elements(By.CSS_SELECTOR, '#upload-list .upload-row')}
    assert set(rows) == {'copy-of-street00.png', 'not-really.png', 'notes.txt', 'huge.png'}, list(rows)
    assert rows['copy-of-street00.png'].get_attribute('data-status') == 'duplicate'
    assert 'Already in this job' in rows['copy-of-street00.png'].text
    for name in ('not-really.png', 'notes.txt'):
        assert rows[name].get_attribute('data-status') == 'refused'
        assert 'PNG, JPEG or WebP' in rows[name].text, rows[name].text
    assert rows['huge.png'].get_attribute('data-status') == 'refused'
    assert 'Too large' in rows['huge.png'].text, rows['huge.png'].text
    rq_shots(drv, 'upload-problems')
    assert f'({IMAGES})' in css(drv, '.tabs a[href$="/images"]').text


def test_upload_a_folder(rq_browser, rq_base, rq_shots, rq_downloads):
    """A whole folder (with a subfolder) through the folder picker: every file is found and
    reported under its path; they are copies of uploaded images, so all come back duplicates."""
    need('uploaded')
    drv = rq_browser
    _upload_tab(drv, rq_base)
    _clear_upload_list(drv)
    root = os.path.join(rq_downloads, 'batch')
    os.makedirs(os.path.join(root, 'sub'), exist_ok=True)
    copies = {'batch/a.png': 1, 'batch/b.png': 2, 'batch/sub/c.png': 3}
    for rel, i in copies.items():
        with open(S['image_paths'][i], 'rb') as src, open(os.path.join(rq_downloads, rel), 'wb') as dst:
            dst.write(src.read())
    css(drv, '#upload-folder').send_keys(root)
    wait(drv, lambda d: _upload_counts(d).get('duplicate') == len(copies) and 'finished' in _upload_counts(d),
         timeout=60, msg=lambda: f'counts: {_upload_counts(drv)}')
    names = {e.text for e in drv.find_elements(By.CSS_SELECTOR, '#upload-list .u-name')}
    assert names == set(copies), names
    rq_shots(drv, 'upload-folder')
    _clear_upload_list(drv)


def test_edit_draft(rq_browser, rq_base, rq_shots):
    need('uploaded')
    drv = rq_browser
    go(drv, rq_base, f"/jobs/{S['job_id']}")
    wait(drv, EC.element_to_be_clickable((By.XPATH, '//a[normalize-space()="Edit"]'))).click()
    h1_is(drv, 'Edit ' + S['job_name'])
    assert css(drv, '#job-title').get_attribute('value') == 'Mark the cars and people'
    assert [e.text for e in drv.find_elements(By.CSS_SELECTOR, '.tag-input .tag span')] == LABELS
    assert css(drv, '#job-budget').get_attribute('value') == BUDGET
    assert css(drv, '#job-autoApproveAfterHours').get_attribute('value') == AUTO_APPROVE_HOURS
    type_into(drv, '#job-title', 'Mark the cars and people in the street')
    type_into(drv, '#job-autoApproveAfterHours', '36')
    rq_shots(drv, 'job-edit')
    css(drv, 'form.job-form button[type="submit"]').click()
    h1_is(drv, 'Mark the cars and people in the street')
    assert re.search(r'#/jobs/\d+$', drv.current_url), drv.current_url
    wait(drv, lambda d: 'approved automatically after 36 h' in css(d, '.job-head').text)
    assert rh.api_in_browser(drv, f"/jobs/{S['job_id']}")['autoApproveAfterHours'] == 36
    # Back to the hours the later steps count on.
    go(drv, rq_base, f"/jobs/{S['job_id']}/edit")
    h1_is(drv, 'Edit ' + S['job_name'])
    type_into(drv, '#job-autoApproveAfterHours', AUTO_APPROVE_HOURS)
    css(drv, 'form.job-form button[type="submit"]').click()
    wait(drv, lambda d: f'approved automatically after {AUTO_APPROVE_HOURS} h' in css(d, '.job-head').text)


DROP_JS = """
const [n, prefix] = arguments;
const dt = new DataTransfer();
for (let i = 0; i < n; i++) {
  dt.items.add(new File(['not an image ' + i], prefix + String(i).padStart(5, '0') + '.png', {type: 'image/png'}));
}
window.__gaps = []; window.__stopRaf = false;
let last = performance.now();
const tick = (t) => { window.__gaps.push(t - last); last = t; if (!window.__stopRaf) requestAnimationFrame(tick); };
requestAnimationFrame(tick);
document.querySelector('[data-testid="dropzone"]')
  .dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
"""


def _upload_tab(drv, base):
    if not drv.current_url.endswith(f"#/jobs/{S['job_id']}/images"):
        go(drv, base, f"/jobs/{S['job_id']}/images")
    wait(drv, EC.presence_of_element_located((By.CSS_SELECTOR, '[data-testid="dropzone"]')))


def _clear_upload_list(drv):
    """Clears the upload list, after the uploads still running (an earlier test's that
    failed half-way) have finished, so that none of them lands in the next test's counts."""
    if drv.find_elements(By.CSS_SELECTOR, '.upload-summary'):
        wait(drv, lambda d: 'finished' in _upload_counts(d), timeout=120,
             msg=lambda: f'uploads still running: {_upload_counts(drv)}')
    btns = drv.find_elements(By.XPATH, '//button[normalize-space()="Clear list"]')
    if btns:
        btns[0].click()
        wait(drv, lambda d: not d.find_elements(By.CSS_SELECTOR, '.upload-summary'))


def test_thousands_of_files_keep_the_page_responsive(rq_browser, rq_base, rq_shots):
    """2000 dropped files (fakes the server refuses with 415, so nothing is stored):
    the page keeps painting, renders only the visible rows, and reports every file."""
    need('uploaded')
    drv = rq_browser
    n = 2000
    _upload_tab(drv, rq_base)
    _clear_upload_list(drv)
    drv.execute_script(DROP_JS, n, 'bulk')
    wait(drv, lambda d: _upload_counts(d).get('refused') == n and 'finished' in _upload_counts(d), timeout=300,
         msg=lambda: f'not all {n} files were processed: {_upload_counts(drv)}')
    gaps = drv.execute_script('window.__stopRaf = true; return window.__gaps;')
    worst = max(gaps)
    rows = len(drv.find_elements(By.CSS_SELECTOR, '#upload-list li'))
    print(f'{n} files: {len(gaps)} frames, worst gap {worst:.0f} ms, {rows} rows rendered')
    assert rows <= 40, f'{rows} rows rendered for {n} files: the list is not virtualised'
    assert worst < 2000, f'the page froze for {worst:.0f} ms'
    # scrolling the list to the end shows the last files
    drv.execute_script("const l = document.getElementById('upload-list'); l.scrollTop = l.scrollHeight;")
    wait(drv, lambda d: any(f'bulk{n - 1:05d}.png' in e.text for e in d.find_elements(By.CSS_SELECTOR, '#upload-list .u-name')))
    rq_shots(drv, 'upload-2000-refused')
    _clear_upload_list(drv)


def test_uploads_can_be_cancelled(rq_browser, rq_base, rq_shots):
    need('uploaded')
    drv = rq_browser
    n = 600
    _upload_tab(drv, rq_base)
    _clear_upload_list(drv)
    drv.execute_script(DROP_JS, n, 'cancel')
    wait(drv, EC.element_to_be_clickable((By.XPATH, '//button[normalize-space()="Cancel uploads"]'))).click()
    wait(drv, lambda d: 'finished' in _upload_counts(d), timeout=60, msg=lambda: f'still running: {_upload_counts(drv)}')
    counts = _upload_counts(drv)
    assert counts.get('cancelled', 0) > 0, counts
    assert counts.get('cancelled', 0) + counts.get('refused', 0) == n, counts
    retry = drv.find_elements(By.XPATH, '//button[starts-with(normalize-space(), "Retry")]')
    assert retry, 'no Retry button for the cancelled files'
    rq_shots(drv, 'upload-cancelled')
    drv.execute_script('window.__stopRaf = true;')
    _clear_upload_list(drv)


# --- 5. activate -----------------------------------------------------------------------

def test_activate_moves_the_funded_slots_to_escrow(rq_browser, rq_base, rq_shots, rq_db):
    need('uploaded')
    drv = rq_browser
    css(drv, '.tabs a[href$="/%d"]' % S['job_id']).click()
    h1_is(drv, 'Mark the cars and people')
    help_text = css(drv, '#activate-help').text
    assert f'charges {ESCROW}' in help_text and f'{IMAGES * RESULTS_PER_IMAGE} slots' in help_text, help_text
    wait(drv, EC.element_to_be_clickable((By.XPATH, '//button[normalize-space()="Activate"]'))).click()
    wait(drv, lambda d: badge(d) == 'active', msg='job did not become active')
    want = '%.2f' % (float(CREDIT) - float(ESCROW))
    wait(drv, lambda d: balance(d) == want, msg=lambda: f'balance {balance(drv)}, wanted {want}: only the funded slots are charged')
    assert f'{ESCROW} for {IMAGES * RESULTS_PER_IMAGE} slots' in css(drv, '.notice').text
    rq_shots(drv, 'activated')
    with rq_db.cursor() as c:
        c.execute('SELECT state FROM jobs WHERE id = %s', (S['job_id'],))
        assert c.fetchone()['state'] == 'active'
    S['active'] = True


# --- 6. taskers work (JSON API), the gallery shows their boxes --------------------------

def test_gallery_shows_every_taskers_boxes(rq_browser, rq_base, rq_shots):
    need('active')
    drv = rq_browser
    ann, bob = rh.Tasker(rq_base, 'ann' + uuid.uuid4().hex[:4]), rh.Tasker(rq_base, 'bob' + uuid.uuid4().hex[:4])
    a = ann.label_images(S['job_id'], 6, LABELS)
    b = bob.label_images(S['job_id'], 4, LABELS, shift=0.06)
    assert len(a) == 6 and len(b) == 4
    S['trains'] = len(a) + len(b)
    boxes_expected = sum(len(x[1]) for x in a + b)
    S['taskers'] = {ann.user['id']: ann.user['screenName'], bob.user['id']: bob.user['screenName']}

    go(drv, rq_base, f"/jobs/{S['job_id']}/results")
    wait(drv, lambda d: len(d.find_elements(By.CSS_SELECTOR, '.gallery .thumb')) == IMAGES,
         msg='the gallery does not show all images')
    wait(drv, lambda d: len(d.find_elements(By.CSS_SELECTOR, '.gallery rect.box')) == boxes_expected,
         msg=f'expected {boxes_expected} boxes in the gallery')
    # Every tasker's boxes have their own colour; labels are drawn.
    strokes = {}
    for g in drv.find_elements(By.CSS_SELECTOR, '.gallery g.train'):
        tid = int(g.get_attribute('data-tasker'))
        for r in g.find_elements(By.CSS_SELECTOR, 'rect.box'):
            strokes.setdefault(tid, set()).add(r.get_attribute('stroke'))
    assert set(strokes) == set(S['taskers'])
    assert all(len(v) == 1 for v in strokes.values()), strokes
    assert strokes[ann.user['id']] != strokes[bob.user['id']], strokes
    texts = {t.text for t in drv.find_elements(By.CSS_SELECTOR, '.gallery svg text')}
    assert set(LABELS) <= texts
    # the images themselves load (through the API, X-Accel-Redirect)
    loaded = drv.execute_script("""
        const img = document.querySelector('.gallery svg image');
        return fetch(img.getAttribute('href'), {credentials: 'same-origin'}).then(r => r.status + ' ' + r.headers.get('Content-Type'));
    """)
    assert loaded.startswith('200 image/png'), loaded
    rq_shots(drv, 'gallery')

    # Open one image large: the first one both taskers labelled.
    both = [t for t, _ in a if t in {x for x, _ in b}]
    target = both[0] if both else a[0][0]
    css(drv, f'.gallery .thumb[data-task-id="{target}"] .thumb-button').click()
    dialog = wait(drv, EC.visibility_of_element_located((By.CSS_SELECTOR, 'dialog.viewer[open]')))
    want = sum(len(bx) for t, bx in a + b if t == target)
    assert len(dialog.find_elements(By.CSS_SELECTOR, 'rect.box')) == want
    time.sleep(0.5)
    rq_shots(drv, 'image-large')
    if both:  # hiding one tasker hides their boxes
        dialog.find_element(By.CSS_SELECTOR, '.result-list input[type="checkbox"]').click()
        wait(drv, lambda d: len(dialog.find_elements(By.CSS_SELECTOR, 'rect.box')) < want)
    dialog.find_element(By.XPATH, './/button[normalize-space()="Close"]').click()
    wait(drv, lambda d: not d.find_elements(By.CSS_SELECTOR, 'dialog.viewer[open]'))
    S['labelled'] = True


# --- 7. the dashboard --------------------------------------------------------------------

def test_dashboard_progress_chart_and_taskers(rq_browser, rq_base, rq_shots):
    need('labelled')
    drv = rq_browser
    go(drv, rq_base, f"/jobs/{S['job_id']}")
    h1_is(drv, 'Mark the cars and people')
    wanted = IMAGES * RESULTS_PER_IMAGE
    wait(drv, lambda d: f"{S['trains']} of {wanted}" in css(d, '#prog-results-label').text)
    # Every result waits for review: nothing is paid yet, the escrow still holds every bounty.
    wait(drv, lambda d: f'0.00 of {BUDGET}' in css(d, '#prog-budget-label').text)
    assert 'Paid to taskers' in css(drv, '#prog-budget-label').text
    facts = {e.find_element(By.TAG_NAME, 'dt').text: e.find_element(By.TAG_NAME, 'dd').text
             for e in drv.find_elements(By.CSS_SELECTOR, '.facts > div')}
    assert facts.get('Open slots') == str(wanted - S['trains']), facts
    assert facts.get('In escrow') == ESCROW, facts
    assert facts.get('Slots funded') == str(wanted) and facts.get('Unfunded slots') == '0', facts
    assert facts.get('Pending review') == '%d (%.2f)' % (S['trains'], S['trains'] * float(BOUNTY)), facts
    # From GET /api/jobs/{id}/stats: finished images, the chart, the taskers.
    wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, 'table.taskers tbody tr')
         or 'not available' in css(d, '.dashboard').text, msg='the taskers card never loaded')
    assert 'not available from the server' not in css(drv, '.dashboard').text, \
        'GET /api/jobs/{id}/stats is not answered by the server yet'
    rows = drv.find_elements(By.CSS_SELECTOR, 'table.taskers tbody tr')
    names = {r.find_elements(By.TAG_NAME, 'td')[0].text: int(r.find_elements(By.TAG_NAME, 'td')[1].text) for r in rows}
    assert names == {S['taskers'][k]: n for k, n in zip(S['taskers'], (6, 4))}, names
    canvas = wait(drv, EC.presence_of_element_located((By.CSS_SELECTOR, '.chart canvas')))
    assert f"{S['trains']} results" in canvas.get_attribute('aria-label')
    # the chart has drawn something
    wait(drv, lambda d: d.execute_script(
        "const c = document.querySelector('.chart canvas'); const x = c.getContext('2d');"
        "const p = x.getImageData(0, 0, c.width, c.height).data; for (let i = 3; i < p.length; i += 4) if (p[i]) return true; return false;"))
    finished = css(drv, '#prog-images').get_attribute('aria-valuetext')
    assert re.match(r'\d+ of %d' % IMAGES, finished), finished
    time.sleep(0.3)
    rq_shots(drv, 'dashboard')


# --- 8. exports ------------------------------------------------------------------------------

def _wait_download(folder, before, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        new = [f for f in set(os.listdir(folder)) - before
               if not f.endswith(('.crdownload', '.tmp')) and os.path.isfile(os.path.join(folder, f))]
        if new:
            time.sleep(0.3)
            return os.path.join(folder, new[0])
        time.sleep(0.2)
    return None


@pytest.mark.parametrize('only', [False, True], ids=['all', 'finished'])
def test_export_downloads(rq_browser, rq_base, rq_shots, rq_downloads, only):
    need('labelled')
    drv = rq_browser
    go(drv, rq_base, f"/jobs/{S['job_id']}/export")
    wait(drv, EC.presence_of_element_located((By.CSS_SELECTOR, 'a[data-format="coco"]')))
    radios = drv.find_elements(By.CSS_SELECTOR, 'input[name="export-scope"]')
    radios[1 if only else 0].click()
    got = {}
    for fmt in FORMATS:
        link = css(drv, f'a[data-format="{fmt}"]')
        href = link.get_attribute('href')
        assert f'format={fmt}' in href and (('only=finished' in href) == only), href
        before = set(os.listdir(rq_downloads))
        link.click()
        path = _wait_download(rq_downloads, before)
        status = link.find_element(By.XPATH, '../..').text
        assert path, f'{fmt}: nothing was downloaded; the panel says: {status}'
        size = os.path.getsize(path)
        assert size > 0, f'{fmt}: {path} is empty'
        got[fmt] = (os.path.basename(path), size)
        wait(drv, lambda d: 'Saved' in link.find_element(By.XPATH, '../..').text)
    with open(os.path.join(rq_downloads, got['coco'][0]), 'rb') as f:
        head = f.read(2)
    assert head[:1] in (b'{', b'[') or head == b'PK', f'COCO export is neither JSON nor zip: {head!r}'
    rq_shots(drv, 'export-' + ('finished' if only else 'all'))
    print('downloads:', json.dumps(got))


# --- 9. pause, resume, finish --------------------------------------------------------------

def test_pause_resume_finish(rq_browser, rq_base, rq_shots):
    need('active')
    drv = rq_browser
    go(drv, rq_base, f"/jobs/{S['job_id']}")
    h1_is(drv, 'Mark the cars and people')
    click = lambda label: wait(drv, EC.element_to_be_clickable(  # noqa: E731
        (By.XPATH, f'//div[@role="group"]//button[normalize-space()="{label}"] | //div[contains(@class,"confirm")]//button[normalize-space()="{label}"]'))).click()
    click('Pause')
    wait(drv, lambda d: badge(d) == 'paused')
    rq_shots(drv, 'paused')
    click('Resume')
    wait(drv, lambda d: badge(d) == 'active')
    click('Finish…')
    wait(drv, EC.visibility_of_element_located((By.CSS_SELECTOR, '.confirm')))
    rq_shots(drv, 'finish-confirm')
    click('Finish job')
    wait(drv, lambda d: badge(d) == 'finished')
    # What no slot can use returns; the bounties of the pending results stay in escrow:
    # 50.00 - 4.00 + (4.00 - pending) = 50.00 - pending.
    spent = S.get('trains', 0) * float(BOUNTY)
    want = '%.2f' % (float(CREDIT) - spent)
    wait(drv, lambda d: balance(d) == want, msg=lambda: f'balance {balance(drv)} != {want} after finishing')
    rq_shots(drv, 'finished')


# --- 10. sign out and in ---------------------------------------------------------------------

def test_sign_out_and_in(rq_browser, rq_base, rq_shots):
    need('signed_up', 'job_id')
    drv = rq_browser
    wait(drv, EC.element_to_be_clickable((By.XPATH, '//button[normalize-space()="Sign out"]'))).click()
    h1_is(drv, 'Sign in')
    type_into(drv, '#auth-email', S['email'])
    type_into(drv, '#auth-password', 'wrong password')
    css(drv, 'form button[type="submit"]').click()
    wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, '.auth [role="alert"]'))
    rq_shots(drv, 'sign-in-wrong-password')
    type_into(drv, '#auth-password', S['password'])
    # The server may throttle sign-ins after a failure (429 + Retry-After); the button waits it out.
    for _ in range(5):
        wait(drv, EC.element_to_be_clickable((By.CSS_SELECTOR, 'form button[type="submit"]'))).click()
        try:
            wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, '.topbar'), timeout=5)
            break
        except TimeoutException:
            pass
    h1_is(drv, 'Your jobs')
    go(drv, rq_base, '/jobs')
    h1_is(drv, 'Your jobs')
    row = wait(drv, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, 'table.jobs tbody tr') if S['job_name'] in r.text])
    assert 'Finished' in row[0].text or 'FINISHED' in row[0].text.upper()
    rq_shots(drv, 'jobs-list')
