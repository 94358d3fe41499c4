"""Review and settlement in the Requester web app: real Chromium through nginx, against the
real stack, at a phone's viewport (390x844, touch) and a desktop's (1366x900).

Every test sets up its own job through the JSON API: a requester with money, an active job,
and two scripted taskers who take leases and submit boxes (so their results are pending).
The requester then signs in through the app and reviews: the results by state and by
tasker with the boxes drawn over each image, a confirmation that shows the count and the
money (from the server's preview) before anything is carried out, approving one result,
rejecting one (a reason is required), approving everything pending of one tasker, the
keyboard shortcuts, and the top-up of a job the budget does not fully fund. The money is
checked through the API afterwards: the taskers' earnings and the job.
"""
import uuid
from decimal import Decimal

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

import requester_helpers as rh
from requester_helpers import badge, balance, click, css, go, h1_is, sign_in, type_into, wait

BOUNTY = '0.10'
LABELS = ['car', 'person']
HOURS = 48
ANN_RESULTS, BOB_RESULTS = 4, 3
PENDING = ANN_RESULTS + BOB_RESULTS


def money(cents):
    return '%.2f' % (Decimal(cents) / 100)


class World:
    """One requester's active job (5 images, 2 results each, all funded) with 4 pending
    results of ann and 3 of bob, and a browser signed in as the requester."""

    def __init__(self, base, drv):
        self.base, self.drv = base, drv
        self.req = rh.Requester(base, 'rev' + uuid.uuid4().hex[:6], credit='20.00')
        self.job = self.req.create_job(images=5, bounty=BOUNTY, results_per_image=2, budget='5.00',
                                       labels=LABELS, auto_approve_hours=HOURS)
        assert self.job['slotsFunded'] == 10 and self.job['unfundedSlots'] == 0, self.job
        assert self.job['budgetLeft'] == '1.00', self.job
        self.ann = rh.Tasker(base, 'ann' + uuid.uuid4().hex[:4])
        self.bob = rh.Tasker(base, 'bob' + uuid.uuid4().hex[:4])
        assert len(self.ann.label_images(self.job['id'], ANN_RESULTS, LABELS)) == ANN_RESULTS
        assert len(self.bob.label_images(self.job['id'], BOB_RESULTS, LABELS, shift=0.06)) == BOB_RESULTS
        assert all(t['state'] == 'pending' for t in self.ann.trains + self.bob.trains)
        self.taskers = {self.ann.user['id']: self.ann, self.bob.user['id']: self.bob}
        self.trains = {t['id']: t for t in self.ann.trains + self.bob.trains}
        sign_in(drv, base, self.req.email, self.req.password)

    def job_now(self):
        return self.req.get(f"/jobs/{self.job['id']}")

    def review(self, query=''):
        """Opens the review tab and waits for its results."""
        go(self.drv, self.base, f"/jobs/{self.job['id']}/review{query}")
        wait(self.drv, lambda d: d.find_elements(By.CSS_SELECTOR, '.review-states')
             and not d.find_elements(By.CSS_SELECTOR, '.review-main.stale'),
             msg=lambda: f'the review screen did not load: {css(self.drv, "main").text[:500]}')


@pytest.fixture
def world(rq_base, rq_admin, rq_device):
    return World(rq_base, rq_device)


# --- reading the review screen -------------------------------------------------------

def card_ids(drv):
    return drv.execute_script(
        "return Array.from(document.querySelectorAll('.review-grid .review-card')).map(e => Number(e.dataset.trainId));")


def card(drv, train_id):
    return css(drv, f'.review-card[data-train-id="{train_id}"]')


def state_counts(drv):
    """{'pending': 7, 'approved': 0, 'rejected': 0} from the state tabs."""
    pairs = drv.execute_script(
        "return Array.from(document.querySelectorAll('.review-states a')).map(a => [a.dataset.state, a.querySelector('.count').dataset.count]);")
    return {state: int(n) for state, n in pairs if n != ''}


def tasker_rows(drv):
    """{taskerId: {'name', 'pending', 'approved', 'rejected', 'pendingAmount'}} from the tasker table."""
    rows = drv.execute_script("""
        return Array.from(document.querySelectorAll('table.review-taskers tbody tr')).map(r => {
          const cell = (c) => r.querySelector(`[data-col="${c}"]`).textContent.trim();
          return [Number(r.dataset.taskerId), r.querySelector('th').textContent.trim(),
                  cell('pending'), cell('approved'), cell('rejected'), cell('pendingAmount')];
        });""")
    return {r[0]: {'name': r[1], 'pending': int(r[2]), 'approved': int(r[3]), 'rejected': int(r[4]), 'pendingAmount': r[5]}
            for r in rows}


def wait_counts(drv, **want):
    wait(drv, lambda d: all(state_counts(d).get(k) == v for k, v in want.items()),
         msg=lambda: f'state counts {state_counts(drv)}, wanted {want}')


def settle_dialog(drv):
    return wait(drv, EC.visibility_of_element_located((By.CSS_SELECTOR, 'dialog.settle[open]')))


def preview(drv):
    """(count, amount, text) of the confirmation, once the server's preview has come."""
    wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, 'dialog.settle[open][data-phase="confirm"] .settle-preview'),
         msg=lambda: f'no preview: {css(drv, "dialog.settle").text}')
    p = css(drv, 'dialog.settle .settle-preview')
    return int(p.get_attribute('data-count')), p.get_attribute('data-amount'), p.text


def confirm(drv, label):
    """Clicks the dialog's confirm button (its text starts with `label`) and waits for the outcome."""
    button = css(drv, 'dialog.settle .actions button:first-child')
    assert button.text.startswith(label), button.text
    button.click()
    wait(drv, lambda d: not d.find_elements(By.CSS_SELECTOR, 'dialog.settle'), msg='the dialog did not close')
    return wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, '.review .outcome'), msg='no outcome shown')[0].text


def cancel(drv):
    css(drv, 'dialog.settle').find_element(By.XPATH, './/button[normalize-space()="Cancel"]').click()
    wait(drv, lambda d: not d.find_elements(By.CSS_SELECTOR, 'dialog.settle'))


def press(drv, *keys):
    ActionChains(drv).send_keys(*keys).perform()


def focused_id(drv):
    """The id of the result in focus, or None unless exactly one card is."""
    ids = drv.execute_script(
        "return Array.from(document.querySelectorAll('.review-card[aria-current=\"true\"]')).map(e => Number(e.dataset.trainId));")
    return ids[0] if len(ids) == 1 else None


def selected_ids(drv):
    return drv.execute_script(
        "return Array.from(document.querySelectorAll('.review-card input[type=checkbox]:checked'))"
        ".map(e => Number(e.closest('.review-card').dataset.trainId));")


def no_sideways_scroll(drv):
    width = drv.execute_script('return [document.documentElement.scrollWidth, window.innerWidth];')
    assert width[0] <= width[1], f'the page is wider than the screen: {width}'


def earnings(tasker):
    return tasker.get('/me/earnings')


# --- the tests ---------------------------------------------------------------------------

def test_review_lists_results_with_boxes(world, rq_shots):
    drv = world.drv
    go(drv, world.base, f"/jobs/{world.job['id']}")
    h1_is(drv, world.job['title'])
    review_tab = wait(drv, EC.element_to_be_clickable((By.CSS_SELECTOR, '.tabs a[href$="/review"]')))
    assert f'({PENDING})' in review_tab.text, review_tab.text
    click(drv, review_tab)
    wait(drv, lambda d: len(card_ids(d)) == PENDING, msg=lambda: f'cards: {card_ids(drv)}')

    assert f'approved automatically {HOURS} hours after submission' in css(drv, '.auto-approve').text
    assert state_counts(drv) == {'pending': PENDING, 'approved': 0, 'rejected': 0}
    # Oldest first: ann's results, then bob's.
    assert card_ids(drv) == [t['id'] for t in world.ann.trains + world.bob.trains]

    # Every result shows its image with its tasker's boxes, each tasker in one colour.
    strokes = {}
    for train_id, train in world.trains.items():
        c = card(drv, train_id)
        assert c.get_attribute('data-state') == 'pending'
        assert int(c.get_attribute('data-tasker')) == train['taskerId']
        assert world.taskers[train['taskerId']].user['screenName'] in c.text
        boxes = c.find_elements(By.CSS_SELECTOR, 'svg rect.box')
        assert len(boxes) == len(train['boxes']), f"result {train_id}: {len(boxes)} boxes drawn, {len(train['boxes'])} sent"
        assert sorted(b.get_attribute('data-label') for b in boxes) == sorted(b['label'] for b in train['boxes'])
        strokes.setdefault(train['taskerId'], set()).update(b.get_attribute('stroke') for b in boxes)
        image = c.find_element(By.CSS_SELECTOR, 'svg image').get_attribute('href')
        assert image == f"/api/tasks/{train['taskId']}/image", image
    assert all(len(s) == 1 for s in strokes.values()) and len(set.union(*strokes.values())) == 2, strokes
    loaded = drv.execute_script("""
        const img = document.querySelector('.review-card svg image');
        return fetch(img.getAttribute('href'), {credentials: 'same-origin'}).then(r => r.status + ' ' + r.headers.get('Content-Type'));
    """)
    assert loaded.startswith('200 image/png'), loaded

    # The per-tasker table: counts and pending money.
    rows = tasker_rows(drv)
    assert rows[world.ann.user['id']] == {'name': world.ann.user['screenName'], 'pending': ANN_RESULTS, 'approved': 0,
                                          'rejected': 0, 'pendingAmount': money(ANN_RESULTS * 10)}, rows
    assert rows[world.bob.user['id']]['pending'] == BOB_RESULTS
    assert rows[world.bob.user['id']]['pendingAmount'] == money(BOB_RESULTS * 10)
    assert f'{PENDING} results' in css(drv, '[data-testid="everything-count"]').text

    no_sideways_scroll(drv)
    drv.execute_script('window.scrollTo(0, 0)')
    rq_shots(drv, f'review-{drv.device}-top')
    drv.execute_script("arguments[0].scrollIntoView({block: 'start'});", card(drv, world.bob.trains[0]['id']))
    rq_shots(drv, f'review-{drv.device}-results')

    # An image opens large with every result of that image.
    click(drv, card(drv, world.ann.trains[0]['id']).find_element(By.CSS_SELECTOR, '.thumb-button'))
    viewer = wait(drv, EC.visibility_of_element_located((By.CSS_SELECTOR, 'dialog.viewer[open]')))
    task = world.ann.trains[0]['taskId']
    want = sum(len(t['boxes']) for t in world.trains.values() if t['taskId'] == task)
    wait(drv, lambda d: len(viewer.find_elements(By.CSS_SELECTOR, 'rect.box')) == want,
         msg=f'the large image should show the {want} boxes of every result of task {task}')
    rq_shots(drv, f'review-{drv.device}-image-large')
    viewer.find_element(By.XPATH, './/button[normalize-space()="Close"]').click()
    wait(drv, lambda d: not d.find_elements(By.CSS_SELECTOR, 'dialog.viewer[open]'))


def test_tasker_table_filters_the_results(world, rq_shots):
    drv = world.drv
    world.review()
    bob = world.bob.user
    click(drv, css(drv, f'table.review-taskers tr[data-tasker-id="{bob["id"]}"] th a'))
    wait(drv, lambda d: f'tasker={bob["id"]}' in d.current_url)
    wait(drv, lambda d: card_ids(d) == [t['id'] for t in world.bob.trains], msg=lambda: f'cards: {card_ids(drv)}')
    assert css(drv, f'table.review-taskers tr[data-tasker-id="{bob["id"]}"]').get_attribute('class') == 'current'
    assert state_counts(drv) == {'pending': BOB_RESULTS, 'approved': 0, 'rejected': 0}
    assert f'of {bob["screenName"]}' in css(drv, '.bar-row.everything').text
    assert f'{BOB_RESULTS} results' in css(drv, '[data-testid="everything-count"]').text
    rq_shots(drv, f'review-{drv.device}-one-tasker')
    # The approved tab of that tasker is empty; "show every tasker" lifts the filter.
    click(drv, css(drv, '.review-states a[data-state="approved"]'))
    wait(drv, lambda d: 'state=approved' in d.current_url and d.find_elements(By.CSS_SELECTOR, '.empty-results'))
    assert f'No approved results of {bob["screenName"]}' in css(drv, '.empty-results').text
    click(drv, drv.find_element(By.XPATH, '//a[normalize-space()="show every tasker"]'))
    wait(drv, lambda d: 'tasker=' not in d.current_url)
    click(drv, css(drv, '.review-states a[data-state="pending"]'))
    wait(drv, lambda d: len(card_ids(d)) == PENDING)


def test_approve_one_result(world, rq_shots):
    drv = world.drv
    world.review()
    wait(drv, lambda d: len(card_ids(d)) == PENDING)
    train = world.bob.trains[0]
    click(drv, card(drv, train['id']).find_element(By.XPATH, './/button[normalize-space()="Approve"]'))
    settle_dialog(drv)
    count, amount, text = preview(drv)
    assert (count, amount) == (1, BOUNTY), text
    assert f"{BOUNTY} moves from the job's escrow to the taskers" in text
    assert f"result #{train['id']}" in css(drv, '#settle-title').text
    rq_shots(drv, f'review-{drv.device}-approve-one-confirm')
    # The preview changed nothing.
    assert world.job_now()['pendingCount'] == PENDING

    outcome = confirm(drv, 'Approve 1 result')
    assert f'Approved 1 result: {BOUNTY} paid to the taskers.' in outcome, outcome
    wait_counts(drv, pending=PENDING - 1, approved=1, rejected=0)
    wait(drv, lambda d: train['id'] not in card_ids(d))
    rq_shots(drv, f'review-{drv.device}-approved-one')

    job = world.job_now()
    assert (job['pendingCount'], job['approvedCount'], job['rejectedCount']) == (PENDING - 1, 1, 0), job
    assert job['budgetLeft'] == '0.90', job  # 1.00 in escrow, 0.10 of it paid out
    bob = earnings(world.bob)
    assert (bob['available'], bob['approved'], bob['approvedCount']) == (BOUNTY, BOUNTY, 1), bob
    assert (bob['pending'], bob['pendingCount']) == (money((BOB_RESULTS - 1) * 10), BOB_RESULTS - 1), bob
    assert world.bob.get('/me')['balance'] == BOUNTY
    ann = earnings(world.ann)
    assert (ann['available'], ann['pendingCount']) == ('0.00', ANN_RESULTS), ann
    approved = world.req.get(f"/jobs/{world.job['id']}/trains?state=approved")['items']
    assert [t['id'] for t in approved] == [train['id']] and approved[0]['settledAt'], approved
    # It is listed under "approved".
    click(drv, css(drv, '.review-states a[data-state="approved"]'))
    wait(drv, lambda d: card_ids(d) == [train['id']])
    assert card(drv, train['id']).get_attribute('data-state') == 'approved'
    assert not card(drv, train['id']).find_elements(By.CSS_SELECTOR, 'input[type="checkbox"]')


def test_reject_one_result_needs_a_reason(world, rq_shots):
    drv = world.drv
    world.review()
    wait(drv, lambda d: len(card_ids(d)) == PENDING)
    before = world.job_now()
    train = world.ann.trains[1]
    click(drv, card(drv, train['id']).find_element(By.XPATH, './/button[normalize-space()="Reject…"]'))
    dialog = settle_dialog(drv)
    assert dialog.get_attribute('data-phase') == 'reason'
    assert drv.switch_to.active_element.get_attribute('id') == 'reject-reason'
    # Without a reason it goes no further.
    dialog.find_element(By.XPATH, './/button[normalize-space()="Continue"]').click()
    wait(drv, lambda d: d.find_elements(By.ID, 'reject-reason-error'))
    assert 'reason' in css(drv, '#reject-reason-error').text.lower()
    assert dialog.get_attribute('data-phase') == 'reason'
    assert not drv.find_elements(By.CSS_SELECTOR, '.settle-preview')
    type_into(drv, '#reject-reason', '   ')
    dialog.find_element(By.XPATH, './/button[normalize-space()="Continue"]').click()
    assert dialog.get_attribute('data-phase') == 'reason'
    rq_shots(drv, f'review-{drv.device}-reject-needs-reason')

    reason = 'The person on the left has no box.'
    type_into(drv, '#reject-reason', reason)
    dialog.find_element(By.XPATH, './/button[normalize-space()="Continue"]').click()
    count, amount, text = preview(drv)
    assert (count, amount) == (1, '0.00'), text
    assert 'offered to another tasker' in text
    assert reason in css(drv, 'dialog.settle blockquote').text
    rq_shots(drv, f'review-{drv.device}-reject-confirm')
    outcome = confirm(drv, 'Reject 1 result')
    assert 'Rejected 1 result' in outcome, outcome
    wait_counts(drv, pending=PENDING - 1, approved=0, rejected=1)

    click(drv, css(drv, '.review-states a[data-state="rejected"]'))
    wait(drv, lambda d: card_ids(d) == [train['id']])
    assert f'Reason: {reason}' in card(drv, train['id']).text
    rq_shots(drv, f'review-{drv.device}-rejected')

    job = world.job_now()
    assert (job['pendingCount'], job['approvedCount'], job['rejectedCount']) == (PENDING - 1, 0, 1), job
    assert job['openSlots'] == before['openSlots'] + 1, (before['openSlots'], job['openSlots'])  # the slot is offered again
    assert job['budgetLeft'] == before['budgetLeft'] == '1.00', job  # a running job keeps the bounty in escrow
    ann = earnings(world.ann)
    assert (ann['available'], ann['rejectedCount'], ann['pendingCount']) == ('0.00', 1, ANN_RESULTS - 1), ann
    rejected = world.ann.get('/me/results?state=rejected')['items']
    assert [(r['id'], r['rejectReason']) for r in rejected] == [(train['id'], reason)], rejected


def test_approve_everything_pending_of_a_tasker(world, rq_shots):
    drv = world.drv
    world.review()
    ann = world.ann.user
    click(drv, css(drv, f'table.review-taskers tr[data-tasker-id="{ann["id"]}"] th a'))
    wait(drv, lambda d: card_ids(d) == [t['id'] for t in world.ann.trains])
    bar = css(drv, '.bar-row.everything')
    assert f'Everything pending of {ann["screenName"]}: {ANN_RESULTS} results' in bar.text, bar.text
    click(drv, bar.find_element(By.XPATH, './/button[normalize-space()="Approve all"]'))
    settle_dialog(drv)
    count, amount, text = preview(drv)
    assert (count, amount) == (ANN_RESULTS, money(ANN_RESULTS * 10)), text
    assert f'everything pending of {ann["screenName"]}' in css(drv, '#settle-title').text
    rq_shots(drv, f'review-{drv.device}-tasker-confirm')
    outcome = confirm(drv, f'Approve {ANN_RESULTS} results')
    assert f'Approved {ANN_RESULTS} results: {money(ANN_RESULTS * 10)} paid' in outcome, outcome
    wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, '.empty-results'))
    wait(drv, lambda d: tasker_rows(d)[ann['id']]['approved'] == ANN_RESULTS)
    rows = tasker_rows(drv)
    assert (rows[ann['id']]['pending'], rows[ann['id']]['pendingAmount']) == (0, '0.00'), rows
    assert rows[world.bob.user['id']]['pending'] == BOB_RESULTS, rows
    rq_shots(drv, f'review-{drv.device}-tasker-approved')

    e = earnings(world.ann)
    assert (e['available'], e['approvedCount'], e['pendingCount'], e['pending']) == (money(ANN_RESULTS * 10), ANN_RESULTS, 0, '0.00'), e
    e = earnings(world.bob)
    assert (e['available'], e['pendingCount']) == ('0.00', BOB_RESULTS), e
    job = world.job_now()
    assert (job['pendingCount'], job['approvedCount']) == (BOB_RESULTS, ANN_RESULTS), job
    assert job['budgetLeft'] == money(100 - ANN_RESULTS * 10), job


def test_selection_previews_before_anything_changes(world, rq_shots):
    drv = world.drv
    world.review()
    wait(drv, lambda d: len(card_ids(d)) == PENDING)
    ids = card_ids(drv)
    box = lambda i: card(drv, ids[i]).find_element(By.CSS_SELECTOR, 'input[type="checkbox"]')  # noqa: E731
    click(drv, box(1))
    if drv.device == 'desktop':  # shift-click selects the range from the last click
        drv.execute_script("arguments[0].scrollIntoView({block: 'center'});", box(4))
        ActionChains(drv).key_down(Keys.SHIFT).click(box(4)).key_up(Keys.SHIFT).perform()
        want = ids[1:5]
    else:
        click(drv, box(4))
        want = [ids[1], ids[4]]
    wait(drv, lambda d: sorted(selected_ids(d)) == sorted(want), msg=lambda: f'selected {selected_ids(drv)}, wanted {want}')
    assert css(drv, '[data-testid="selected-count"]').text == f'{len(want)} selected'
    rq_shots(drv, f'review-{drv.device}-selection')

    click(drv, drv.find_element(By.XPATH, '//button[normalize-space()="Approve selected"]'))
    settle_dialog(drv)
    count, amount, text = preview(drv)
    assert (count, amount) == (len(want), money(len(want) * 10)), text
    assert f'{len(want)} selected results' in css(drv, '#settle-title').text
    cancel(drv)
    assert sorted(selected_ids(drv)) == sorted(want), 'cancelling keeps the selection'

    click(drv, drv.find_element(By.XPATH, '//button[normalize-space()="Reject selected…"]'))
    assert settle_dialog(drv).get_attribute('data-phase') == 'reason'
    cancel(drv)

    click(drv, drv.find_element(By.XPATH, '//div[contains(@class,"everything")]//button[normalize-space()="Approve all"]'))
    settle_dialog(drv)
    count, amount, text = preview(drv)
    assert (count, amount) == (PENDING, money(PENDING * 10)), text
    assert 'everything pending in the job' in css(drv, '#settle-title').text
    rq_shots(drv, f'review-{drv.device}-everything-confirm')
    cancel(drv)

    job = world.job_now()
    assert (job['pendingCount'], job['approvedCount'], job['rejectedCount'], job['budgetLeft']) == (PENDING, 0, 0, '1.00'), job
    assert earnings(world.ann)['available'] == '0.00'


@pytest.mark.parametrize('rq_device', ['desktop'], indirect=True)  # a phone has no keyboard
def test_keyboard_shortcuts(world, rq_shots):
    drv = world.drv
    world.review()
    wait(drv, lambda d: len(card_ids(d)) == PENDING)
    ids = card_ids(drv)
    assert focused_id(drv) == ids[0]

    press(drv, '?')
    help_box = wait(drv, EC.visibility_of_element_located((By.CSS_SELECTOR, 'dialog.shortcut-help[open]')))
    assert 'Approve' in help_box.text and 'Reject' in help_box.text
    rq_shots(drv, 'review-desktop-shortcuts')
    press(drv, Keys.ESCAPE)
    wait(drv, lambda d: not d.find_elements(By.CSS_SELECTOR, 'dialog.shortcut-help'))

    press(drv, 'j')
    wait(drv, lambda d: focused_id(d) == ids[1])
    press(drv, 'k')
    wait(drv, lambda d: focused_id(d) == ids[0])
    press(drv, Keys.ARROW_DOWN)
    wait(drv, lambda d: focused_id(d) == ids[1])
    press(drv, 'x')
    press(drv, Keys.ARROW_DOWN)
    wait(drv, lambda d: focused_id(d) == ids[2])
    press(drv, 'x')
    wait(drv, lambda d: sorted(selected_ids(d)) == [ids[1], ids[2]])
    press(drv, Keys.ARROW_UP)
    wait(drv, lambda d: focused_id(d) == ids[1])
    rq_shots(drv, 'review-desktop-keyboard-selection')

    # a approves the selection: the confirmation counts both.
    press(drv, 'a')
    settle_dialog(drv)
    count, amount, _ = preview(drv)
    assert (count, amount) == (2, money(20))
    press(drv, Keys.ESCAPE)
    wait(drv, lambda d: not d.find_elements(By.CSS_SELECTOR, 'dialog.settle'))

    # r rejects it: the reason box opens, and keys typed there are text, not shortcuts.
    press(drv, 'r')
    assert settle_dialog(drv).get_attribute('data-phase') == 'reason'
    wait(drv, lambda d: d.switch_to.active_element.get_attribute('id') == 'reject-reason')
    reason = 'Boxes are too loose: j k x a r ?'
    press(drv, reason)
    assert css(drv, '#reject-reason').get_attribute('value') == reason
    assert css(drv, 'dialog.settle').get_attribute('data-phase') == 'reason'
    assert sorted(selected_ids(drv)) == [ids[1], ids[2]] and focused_id(drv) == ids[1]
    css(drv, 'dialog.settle').find_element(By.XPATH, './/button[normalize-space()="Continue"]').click()
    count, amount, _ = preview(drv)
    assert (count, amount) == (2, '0.00')
    assert 'Rejected 2 results' in confirm(drv, 'Reject 2 results')
    wait_counts(drv, pending=PENDING - 2, rejected=2)

    # With nothing selected, a approves the result in focus.
    wait(drv, lambda d: not selected_ids(d) and card_ids(d) == [ids[0]] + ids[3:])
    wait(drv, lambda d: focused_id(d) == ids[3])  # the focus stays at its place in the list
    press(drv, 'j')
    wait(drv, lambda d: focused_id(d) == ids[4])
    target = ids[4]
    press(drv, 'a')
    settle_dialog(drv)
    assert f'result #{target}' in css(drv, '#settle-title').text
    assert preview(drv)[:2] == (1, BOUNTY)
    assert 'Approved 1 result' in confirm(drv, 'Approve 1 result')
    wait_counts(drv, pending=PENDING - 3, approved=1, rejected=2)

    job = world.job_now()
    assert (job['pendingCount'], job['approvedCount'], job['rejectedCount']) == (PENDING - 3, 1, 2), job
    rejected = {t['id']: t['rejectReason'] for t in world.req.get(f"/jobs/{world.job['id']}/trains?state=rejected")['items']}
    assert rejected == {ids[1]: reason, ids[2]: reason}, rejected
    owner = world.taskers[world.trains[target]['taskerId']]
    assert earnings(owner)['approvedCount'] == 1


def test_settling_after_finish(world, rq_shots):
    """A finished job keeps the bounties of its pending results in escrow: rejecting one
    refunds its bounty to the requester, approving the rest pays the taskers."""
    drv = world.drv
    job = world.req.call('POST', f"/jobs/{world.job['id']}/finish").json()
    assert job['state'] == 'finished' and job['budgetLeft'] == money(PENDING * 10), job
    # 20.00 credited, 1.00 into escrow, back what no slot can use: 1.00 - 0.70.
    start = Decimal('20.00') - Decimal('1.00') + (Decimal('1.00') - PENDING * Decimal(BOUNTY))
    assert world.req.get('/me')['balance'] == str(start)
    world.review()
    drv.refresh()  # the balance changed behind the app's back (the finish went through the API)
    wait(drv, lambda d: balance(d) == str(start), msg=lambda: f'balance {balance(drv)}, wanted {start}')
    wait(drv, lambda d: len(card_ids(d)) == PENDING)
    train = world.bob.trains[-1]
    click(drv, card(drv, train['id']).find_element(By.XPATH, './/button[normalize-space()="Reject…"]'))
    settle_dialog(drv)
    type_into(drv, '#reject-reason', 'Only half of the car is inside the box.')
    css(drv, 'dialog.settle').find_element(By.XPATH, './/button[normalize-space()="Continue"]').click()
    count, amount, text = preview(drv)
    assert (count, amount) == (1, BOUNTY), text
    assert f"{BOUNTY} returns from the job's escrow to your balance" in text
    rq_shots(drv, f'review-{drv.device}-finished-reject-confirm')
    assert f'{BOUNTY} returned to your balance' in confirm(drv, 'Reject 1 result')
    wait(drv, lambda d: balance(d) == str(start + Decimal(BOUNTY)),
         msg=lambda: f'balance {balance(drv)}, wanted {start + Decimal(BOUNTY)} after the refund')

    click(drv, drv.find_element(By.XPATH, '//div[contains(@class,"everything")]//button[normalize-space()="Approve all"]'))
    settle_dialog(drv)
    count, amount, _ = preview(drv)
    assert (count, amount) == (PENDING - 1, money((PENDING - 1) * 10))
    assert f'Approved {PENDING - 1} results' in confirm(drv, f'Approve {PENDING - 1} results')
    wait_counts(drv, pending=0, approved=PENDING - 1, rejected=1)

    job = world.job_now()
    assert (job['budgetLeft'], job['pendingCount'], job['approvedCount'], job['rejectedCount']) == \
        ('0.00', 0, PENDING - 1, 1), job
    assert world.req.get('/me')['balance'] == str(start + Decimal(BOUNTY))
    assert earnings(world.ann)['available'] == money(ANN_RESULTS * 10)
    e = earnings(world.bob)
    assert (e['available'], e['rejectedCount']) == (money((BOB_RESULTS - 1) * 10), 1), e


# --- the job page's money and the top-up ---------------------------------------------------

def facts(drv):
    return drv.execute_script(
        "return Object.fromEntries(Array.from(document.querySelectorAll('.funding [data-fact]')).map(e => [e.dataset.fact, e.querySelector('dd').textContent.trim()]));")


def test_activation_charges_the_funded_slots_and_top_up_opens_the_rest(rq_base, rq_admin, rq_device, rq_shots):
    drv = rq_device
    req = rh.Requester(rq_base, 'top' + uuid.uuid4().hex[:6], credit='5.00')
    # 4 images x 1 result at 0.10; a budget of 0.30 covers 3 of the 4 slots.
    job = req.create_job(images=4, bounty=BOUNTY, results_per_image=1, budget='0.30', labels=LABELS, activate=False)
    sign_in(drv, rq_base, req.email, req.password)
    go(drv, rq_base, f"/jobs/{job['id']}")
    h1_is(drv, job['title'])
    wait(drv, lambda d: balance(d) == '5.00')
    help_text = css(drv, '#activate-help').text
    assert 'charges 0.30' in help_text and '3 slots' in help_text and '3 of the 4 slots' in help_text, help_text
    click(drv, wait(drv, EC.element_to_be_clickable((By.XPATH, '//button[normalize-space()="Activate"]'))))
    wait(drv, lambda d: badge(d) == 'active')
    wait(drv, lambda d: balance(d) == '4.70', msg=lambda: f'balance {balance(drv)} after activating, wanted 4.70')
    wait(drv, lambda d: facts(d).get('unfundedSlots') == '1', msg=lambda: f'facts: {facts(drv)}')
    f = facts(drv)
    assert (f['slotsFunded'], f['unfundedSlots'], f['topUpCost'], f['budgetLeft']) == ('3', '1', BOUNTY, '0.30'), f
    assert f['pendingCount'].startswith('0') and f['approvedCount'].startswith('0'), f
    assert 'Activation charges only the slots the budget' in css(drv, '.funding').text
    assert f'costs {BOUNTY}' in css(drv, '.top-up').text

    # A bad amount is refused before anything is sent.
    type_into(drv, '#top-up-amount', 'ten')
    click(drv, css(drv, '.top-up button[type="submit"]'))
    wait(drv, lambda d: 'two decimals' in css(d, '#top-up-amount-error').text)
    type_into(drv, '#top-up-amount', BOUNTY)
    rq_shots(drv, f'top-up-{drv.device}-before')
    click(drv, css(drv, '.top-up button[type="submit"]'))
    done = wait(drv, EC.visibility_of_element_located((By.CSS_SELECTOR, '#top-up-result [data-slots-opened]')))
    assert (done.get_attribute('data-slots-opened'), done.get_attribute('data-charged')) == ('1', BOUNTY), done.text
    assert f'Opened 1 slot; charged {BOUNTY}' in done.text
    wait(drv, lambda d: facts(d).get('unfundedSlots') == '0', msg=lambda: f'facts: {facts(drv)}')
    f = facts(drv)
    assert (f['slotsFunded'], f['topUpCost'], f['budget'], f['budgetLeft']) == ('4', '0.00', '0.40', '0.40'), f
    wait(drv, lambda d: balance(d) == '4.60', msg=lambda: f'balance {balance(drv)} after the top-up, wanted 4.60')
    no_sideways_scroll(drv)
    rq_shots(drv, f'top-up-{drv.device}-done')

    job = req.get(f"/jobs/{job['id']}")
    assert (job['slotsFunded'], job['unfundedSlots'], job['topUpCost'], job['budget'], job['budgetLeft']) == \
        (4, 0, '0.00', '0.40', '0.40'), job
    assert req.get('/me')['balance'] == '4.60'
    assert job['openSlots'] == 4, job
