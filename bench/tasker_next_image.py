#!/usr/bin/python3
"""Benchmark: time from "submit" to the next image painted in the Tasker web app.

The app brackets that span itself with the browser's performance API:
performance.mark('tt-submit') when the tasker submits, performance.mark
('tt-next-image') just after the frame that shows the next decoded image, and
performance.measure('tt-submit-to-next-image') between them. This script drives
real Chromium through N submits (a box each) and prints the distribution of those
measures. It asserts nothing.

Needs the real stack, like tests/web_tasker: TT_BASE_URL, TT_ADMIN (to credit the
requester that owns the benchmark job).

    /usr/bin/python3 bench/tasker_next_image.py [--submits 30] [--viewport phone|desktop]
        [--latency-ms 0] [--cpu-slowdown 1] [--size 1600x1200]
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'web_tasker'))
import tt_helpers as h  # noqa: E402


def pct(values, p):
    s = sorted(values)
    if not s:
        return float('nan')
    k = (len(s) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--submits', type=int, default=30)
    ap.add_argument('--viewport', choices=['phone', 'desktop'], default='phone')
    ap.add_argument('--latency-ms', type=int, default=0, help='extra round-trip latency (CDP network emulation)')
    ap.add_argument('--cpu-slowdown', type=float, default=1, help='CPU throttling rate, e.g. 4 for a slow phone')
    ap.add_argument('--size', default='1600x1200', help='image size WxH')
    ap.add_argument('-v', '--verbose', action='store_true', help='print every measure')
    a = ap.parse_args()

    try:
        base = h.base_url()
    except h.StackMissing as e:
        sys.exit(f'bench: {e}')
    w, hgt = (int(x) for x in a.size.lower().split('x'))
    print(f'setting up a job with {a.submits + 1} images of {w}x{hgt} on {base} ...', flush=True)
    req, job, tasks = h.create_job(base, [(w, hgt)] * (a.submits + 1), bounty='0.01')

    drv = h.make_driver(h.PHONE if a.viewport == 'phone' else h.DESKTOP)
    try:
        if a.latency_ms:
            drv.execute_cdp_cmd('Network.enable', {})
            drv.execute_cdp_cmd('Network.emulateNetworkConditions', {
                'offline': False, 'latency': a.latency_ms, 'downloadThroughput': -1, 'uploadThroughput': -1})
        if a.cpu_slowdown > 1:
            drv.execute_cdp_cmd('Emulation.setCPUThrottlingRate', {'rate': a.cpu_slowdown})
        h.ui_signup(drv, base)
        lease = h.start_job(drv, job['id'])
        wall = []
        for i in range(a.submits):
            h.draw_box(drv, 0.2, 0.2, 0.6, 0.6)
            h.wait_for(lambda: h.label_state(drv)['boxes'] == 1, what='a box')
            t0 = time.perf_counter()
            h.click(drv, '[data-testid=submit]')
            nxt = h.wait_ready(drv, other_than=lease, timeout=60)
            wall.append((time.perf_counter() - t0) * 1000)
            lease = nxt
        ms = drv.execute_script(
            "return performance.getEntriesByName('tt-submit-to-next-image').map(e => e.duration)")
    finally:
        drv.quit()

    print(f'viewport={a.viewport} image={w}x{hgt} latency={a.latency_ms}ms cpu-slowdown={a.cpu_slowdown}x')
    print(f'submit -> next image painted (performance.measure, n={len(ms)}):')
    if ms:
        print(f'  median {statistics.median(ms):7.1f} ms   p95 {pct(ms, 95):7.1f} ms   '
              f'min {min(ms):7.1f} ms   max {max(ms):7.1f} ms')
    print(f'  (as seen by WebDriver, incl. its polling: median {statistics.median(wall):.0f} ms, '
          f'p95 {pct(wall, 95):.0f} ms, max {max(wall):.0f} ms)')
    if a.verbose:
        print('  each (ms):', ' '.join(f'{v:.0f}' for v in ms))


if __name__ == '__main__':
    main()
