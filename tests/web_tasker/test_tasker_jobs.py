"""The open-job list sorted by pay or age and filtered by label, in real Chromium against
the real stack, at a phone's and at a desktop's size. Other tests' jobs are open too:
the checks read the whole list's order, and our own jobs share a label no other job has."""
import uuid

import tt_helpers as h
from tt_helpers import click, q, qs, wait_for

SMALL = [(320, 240)]


def list_ready(drv):
    return q(drv, '[data-testid=job-list]').get_attribute('data-state') == 'ready'


def cards(drv):
    """(job id, bounty) of every card, top to bottom."""
    return [(int(c.get_attribute('data-job-id')), float(c.get_attribute('data-bounty')))
            for c in qs(drv, '[data-testid=job-card]')]


def shown(drv):
    return [job_id for job_id, _ in cards(drv)]


def wait_jobs(drv, ids, what):
    wait_for(lambda: list_ready(drv) and shown(drv) == ids, what=what)


def label_option(drv, name):
    """The value of the label filter's option for `name` (labels compare without case)."""
    values = [o.get_attribute('value') for o in qs(drv, '#job-label option')]
    return next(v for v in values if v.lower() == name.lower())


def test_job_list_sort_and_label_filter(browser, base, admin_ready, shot):
    drv = browser
    tag = 'zebra' + uuid.uuid4().hex[:6]       # all three of our jobs, and no other
    only = 'okapi' + uuid.uuid4().hex[:6]      # one of them
    req, low, _ = h.create_job(base, SMALL, labels=(tag, 'car'), bounty='0.03', title='Low pay ' + tag)
    _, high, _ = h.create_job(base, SMALL, labels=(tag, only), bounty='0.90', title='High pay ' + tag, requester=req)
    # The label in capitals: the filter compares without case.
    _, mid, _ = h.create_job(base, SMALL, labels=(tag.upper(), 'person'), bounty='0.50',
                             title='Middle pay ' + tag, requester=req)
    h.ui_signup(drv, base)
    wait_for(lambda: list_ready(drv) and cards(drv), what='the open jobs')

    # Highest pay first by default, over the whole list.
    bounties = [b for _, b in cards(drv)]
    assert bounties == sorted(bounties, reverse=True), bounties
    assert q(drv, '#job-sort').get_attribute('value') == '-bounty'
    ours = [j for j in shown(drv) if j in (low['id'], mid['id'], high['id'])]
    assert ours == [high['id'], mid['id'], low['id']]

    h.choose(drv, '#job-label', label_option(drv, tag))
    wait_jobs(drv, [high['id'], mid['id'], low['id']], f'only the jobs labeled {tag}, highest pay first')
    assert 'label=' in drv.current_url
    shot(drv, 'label-highest-first')

    h.choose(drv, '#job-sort', 'bounty')
    wait_jobs(drv, [low['id'], mid['id'], high['id']], 'lowest pay first')
    h.choose(drv, '#job-sort', 'newest')
    wait_jobs(drv, [mid['id'], high['id'], low['id']], 'newest first')
    shot(drv, 'label-newest-first')

    # Sort and filter live in the address: a reload keeps them.
    drv.refresh()
    wait_jobs(drv, [mid['id'], high['id'], low['id']], 'the same list after a reload')
    assert q(drv, '#job-sort').get_attribute('value') == 'newest'
    assert q(drv, '#job-label').get_attribute('value').lower() == tag.lower()

    h.choose(drv, '#job-label', label_option(drv, only))
    wait_jobs(drv, [high['id']], f'only the job labeled {only}')

    click(drv, '.clear-filter')
    wait_for(lambda: list_ready(drv) and len(shown(drv)) >= 3 and q(drv, '#job-label').get_attribute('value') == '',
             what='every job again')
    h.choose(drv, '#job-sort', 'bounty')

    def lowest_first():
        bounties = [b for _, b in cards(drv)]
        return list_ready(drv) and bounties == sorted(bounties) and bounties[0] < bounties[-1]
    wait_for(lowest_first, what='every job, lowest pay first')
    assert {low['id'], mid['id'], high['id']} <= set(shown(drv))
