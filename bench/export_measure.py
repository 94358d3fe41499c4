#!/usr/bin/python3
"""Downloads exports of the job that bench/export_seed.py made and reports, per format:
time to first body byte, total time, size, throughput and the worker's resident memory
(VmRSS of tasker-fcgi sampled every 20 ms: before the request and at its peak during
the download). Then checks the download (COCO: JSON with every image and annotation;
zip: the central directory lists every entry and the CRCs match; csv, jsonl: a row per
box, a line per train). Reports; asserts nothing beyond a broken download.

  export_measure.py --job JOB.json --pid-file INST/run/tasker.pid --out DIR [--formats coco,yolo] [--runs 2]
Environment: TT_BASE_URL.
"""
import argparse
import json
import os
import sys
import threading
import time
import zipfile

import requests


def rss_kb(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


class Sampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_kb(self.pid))
            time.sleep(0.02)


def check(fmt, path, job):
    if fmt == 'coco':
        with open(path, 'rb') as f:
            document = json.load(f)
        images, annotations = len(document['images']), len(document['annotations'])
        assert images == job['tasks'] and annotations == job['boxes'], (images, annotations)
        return f'{images} images, {annotations} annotations'
    if fmt in ('csv', 'jsonl'):
        with open(path, 'rb') as f:
            lines = sum(1 for _ in f)
        rows = lines - 1 if fmt == 'csv' else lines
        assert rows == (job['boxes'] if fmt == 'csv' else job['trains']), rows
        return f'{rows} {"rows" if fmt == "csv" else "lines"}'
    with zipfile.ZipFile(path) as archive:
        entries = len(archive.infolist())
        bad = archive.testzip()
        assert bad is None, f'bad CRC in {bad}'
    return f'{entries} zip entries, CRCs ok'


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--job', required=True)
    parser.add_argument('--pid-file', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--formats', default='coco,yolo')
    parser.add_argument('--runs', type=int, default=2)
    parser.add_argument('--gzip', action='store_true', help='also COCO with Accept-Encoding: gzip (nginx compresses)')
    args = parser.parse_args()
    with open(args.job) as f:
        job = json.load(f)
    with open(args.pid_file) as f:
        pid = int(f.read().strip())
    base = os.environ['TT_BASE_URL'].rstrip('/')
    os.makedirs(args.out, exist_ok=True)

    cases = [(fmt, 'identity') for fmt in args.formats.split(',')]
    if args.gzip:
        cases.append(('coco', 'gzip'))
    results = []
    print(f'job {job["jobId"]}: {job["tasks"]} tasks, {job["trains"]} trains, {job["boxes"]} boxes; '
          f'worker pid {pid}, VmRSS {rss_kb(pid) / 1024:.1f} MiB at start')
    print(f'{"format":<12}{"run":>4}{"TTFB s":>9}{"total s":>9}{"MiB":>9}{"MiB/s":>8}'
          f'{"RSS before":>12}{"RSS peak":>10}  check')
    for fmt, encoding in cases:
        for run in range(1, args.runs + 1):
            path = os.path.join(args.out, f'export-{fmt}-{encoding}-{run}')
            before = rss_kb(pid)
            sampler = Sampler(pid)
            sampler.start()
            started = time.monotonic()
            first = None
            size = 0
            with requests.get(f'{base}/api/jobs/{job["jobId"]}/export', params={'format': fmt}, stream=True,
                              timeout=900, headers={'Authorization': f'Bearer {job["token"]}',
                                                    'Accept-Encoding': encoding}) as r:
                if r.status_code != 200:
                    sys.exit(f'{fmt}: HTTP {r.status_code}: {r.text[:300]}')
                chunked = r.headers.get('Transfer-Encoding') == 'chunked' and 'Content-Length' not in r.headers
                with open(path, 'wb') as out:
                    for chunk in r.raw.stream(65536, decode_content=True):
                        if first is None:
                            first = time.monotonic()
                        out.write(chunk)
                        size += len(chunk)
            total = time.monotonic() - started
            sampler.stop.set()
            sampler.join()
            verdict = check(fmt, path, job) + ('' if chunked else '; NOT chunked')
            row = {'format': fmt, 'encoding': encoding, 'run': run, 'ttfb_s': round(first - started, 3),
                   'total_s': round(total, 2), 'bytes': size, 'rss_before_kib': before,
                   'rss_peak_kib': sampler.peak, 'check': verdict}
            results.append(row)
            label = fmt if encoding == 'identity' else f'{fmt}+gzip'
            print(f'{label:<12}{run:>4}{row["ttfb_s"]:>9.3f}{total:>9.2f}{size / 2**20:>9.1f}'
                  f'{size / 2**20 / total:>8.1f}{before / 1024:>11.1f}M{sampler.peak / 1024:>9.1f}M  {verdict}',
                  flush=True)
            os.remove(path)
    with open(os.path.join(args.out, 'results.json'), 'w') as f:
        json.dump({'job': {k: v for k, v in job.items() if k != 'token'}, 'results': results}, f, indent=2)


if __name__ == '__main__':
    main()
