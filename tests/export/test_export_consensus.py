"""The consensus exports (`?results=consensus`): one set of boxes per image, read back with
pycocotools, csv, json and zipfile. Three taskers label each image: two objects that all of
them mark (a little apart), and one box that only the third draws, which no consensus
keeps. One image is gold (imported as COCO annotations): its boxes are its known answer,
marked as gold in every export."""
import csv
import io
import json
import uuid
import zipfile

import pytest

import export_helpers as h
from ttstack import need

SIZES = [(200, 160), (180, 120), (240, 200), (160, 160)]
OBJECTS = [  # per image: two objects (x, y, w, h, label) every tasker marks
    [(10, 12, 60, 40, 'car'), (100, 70, 50, 60, 'person')],
    [(20, 10, 70, 50, 'person'), (110, 40, 40, 50, 'car')],
    [(30, 30, 80, 60, 'car'), (140, 100, 60, 70, 'car')],
    [(5, 5, 50, 50, 'person'), (90, 90, 40, 40, 'person')],
]
GOLD = 3  # the index of the gold image (no tasker result is needed for it)


def _boxes(objects, tasker_no):
    """The objects as one tasker draws them: shifted by half a pixel per tasker; the third
    also draws a box nobody else does."""
    boxes = [{'x': x + 0.5 * tasker_no, 'y': y + 0.5 * tasker_no, 'w': w, 'h': h, 'label': label}
             for x, y, w, h, label in objects]
    if tasker_no == 3:
        boxes.append({'x': 1, 'y': 100, 'w': 20, 'h': 20, 'label': 'car'})
    return boxes


@pytest.fixture(scope='module')
def consensus_job(base):
    need(h.admin_command)
    owner = h.register(base, 'requester')
    h.admin_credit(owner.email, '20.00')
    job = owner.call('POST', '/jobs', json={
        'name': f'consensus-{uuid.uuid4().hex[:8]}', 'title': 'Consensus export', 'labels': h.LABELS,
        'bounty': '0.05', 'budget': '10.00', 'resultsPerImage': 3,
        'quality': {'goldRate': {'early': 0, 'later': 0}}})
    tasks = []
    for seed, (width, height) in enumerate(SIZES):
        items = owner.call('POST', f'/jobs/{job["id"]}/images', params={'filename': f'c{seed}.png'},
                           data=h.make_png(width, height, 100 + seed), headers={'Content-Type': 'image/png'})['items']
        tasks.append(items[0]['task'])
    gold_objects = OBJECTS[GOLD]
    coco = {'images': [{'id': 1, 'file_name': f'c{GOLD}.png', 'width': SIZES[GOLD][0], 'height': SIZES[GOLD][1]}],
            'categories': [{'id': 7, 'name': 'person'}, {'id': 8, 'name': 'car'}],
            'annotations': [{'id': n + 1, 'image_id': 1, 'category_id': 7 if label == 'person' else 8,
                             'bbox': [x, y, w, h]} for n, (x, y, w, h, label) in enumerate(gold_objects)]}
    imported = owner.call('POST', f'/jobs/{job["id"]}/gold/coco', data=json.dumps(coco),
                          headers={'Content-Type': 'application/json'})
    assert imported['marked'] == 1 and imported['images'][0]['id'] == tasks[GOLD]['id'], imported
    owner.call('POST', f'/jobs/{job["id"]}/activate')
    by_task = {task['id']: index for index, task in enumerate(tasks)}
    for tasker_no in (1, 2, 3):
        tasker = h.register(base, 'tasker')
        for _ in range(len(SIZES) - 1):
            lease = tasker.call('POST', f'/jobs/{job["id"]}/leases')
            index = by_task[lease['taskId']]
            assert index != GOLD, 'a gold image handed out with the gold rate at 0'
            tasker.call('POST', f'/leases/{lease["id"]}/train',
                        json={'boxes': _boxes(OBJECTS[index], tasker_no), 'nothingToMark': False})
    return {'id': job['id'], 'owner': owner, 'tasks': tasks}


def _download(job, fmt, results='consensus'):
    r = job['owner'].get(f'/jobs/{job["id"]}/export', params={'format': fmt, 'results': results})
    assert r.status_code == 200, r.text[:300]
    return r


def _expected(index):
    """The consensus of an ordinary image: the median of the three taskers' corners."""
    return sorted((x + 1.0, y + 1.0, w, h, label) for x, y, w, h, label in OBJECTS[index])


def test_coco_consensus_reads_back_with_pycocotools(consensus_job, COCO, tmp_path):
    r = _download(consensus_job, 'coco')
    assert 'job-%d-coco-consensus.json' % consensus_job['id'] in r.headers['Content-Disposition']
    path = tmp_path / 'consensus.json'
    path.write_bytes(r.content)
    coco = COCO(str(path))
    category = {c['id']: c['name'] for c in coco.loadCats(coco.getCatIds())}
    for index, task in enumerate(consensus_job['tasks']):
        image = coco.loadImgs([task['id']])[0]
        annotations = coco.loadAnns(coco.getAnnIds(imgIds=[task['id']]))
        got = sorted((round(a['bbox'][0], 6), round(a['bbox'][1], 6), a['bbox'][2], a['bbox'][3],
                      category[a['category_id']]) for a in annotations)
        if index == GOLD:
            assert image.get('gold') is True, image
            assert got == sorted((float(x), float(y), w, h, label) for x, y, w, h, label in OBJECTS[GOLD])
            assert all(a['score'] == 1 for a in annotations)
            continue
        assert 'gold' not in image and image['result_count'] == 3, image
        assert 0.9 < image['agreement'] < 1, image
        assert got == _expected(index), (index, got)
        for a in annotations:
            assert a['attributes']['share'] == 1 and 0.95 < a['attributes']['mean_iou'] <= 1, a
            assert a['score'] == pytest.approx(a['attributes']['share'] * a['attributes']['mean_iou'])
            assert a['area'] == pytest.approx(a['bbox'][2] * a['bbox'][3])
    # The annotations are detections with a score: pycocotools takes them as results too.
    detections = coco.loadRes([dict(a) for a in coco.loadAnns(coco.getAnnIds())])
    assert len(detections.getAnnIds()) == len(coco.getAnnIds()) == 2 * len(SIZES)


def test_raw_coco_marks_the_gold_image(consensus_job, COCO, tmp_path):
    path = tmp_path / 'raw.json'
    path.write_bytes(_download(consensus_job, 'coco', results='raw').content)
    coco = COCO(str(path))
    gold = consensus_job['tasks'][GOLD]['id']
    assert [i['id'] for i in coco.loadImgs(coco.getImgIds()) if i.get('gold')] == [gold]
    # every tasker's box, the third's extra included
    assert len(coco.getAnnIds()) == (len(SIZES) - 1) * (2 + 2 + 3)


def test_csv_and_json_lines_consensus(consensus_job):
    rows = list(csv.DictReader(io.StringIO(_download(consensus_job, 'csv').text)))
    assert list(rows[0])[:8] == ['task_id', 'image', 'filename', 'width', 'height', 'gold', 'result_count', 'agreement']
    by_task = {}
    for row in rows:
        by_task.setdefault(int(row['task_id']), []).append(row)
    for index, task in enumerate(consensus_job['tasks']):
        got = by_task[task['id']]
        assert len(got) == 2 and {r['gold'] for r in got} == {'1' if index == GOLD else '0'}
        if index != GOLD:
            assert sorted((float(r['x']), float(r['y']), float(r['w']), float(r['h']), r['label']) for r in got) \
                == _expected(index)
            assert all(0 < float(r['score']) <= 1 and r['result_count'] == '3' for r in got)
    lines = h.load_json_lines(_download(consensus_job, 'jsonl').text)
    assert [line['taskId'] for line in lines] == [t['id'] for t in consensus_job['tasks']]
    for index, line in enumerate(lines):
        assert line['gold'] is (index == GOLD) and len(line['boxes']) == 2
        assert (line.get('agreement') is None) if index == GOLD else (0.9 < line['agreement'] < 1)


def test_yolo_consensus_has_one_set_of_boxes_per_image(consensus_job):
    archive = zipfile.ZipFile(io.BytesIO(_download(consensus_job, 'yolo').content))
    for task in consensus_job['tasks']:
        name = [n for n in archive.namelist() if n.startswith(f'labels/{task["id"]}_')][0]
        assert len(archive.read(name).decode().splitlines()) == 2, name


def test_unknown_results_is_refused(consensus_job):
    r = consensus_job['owner'].get(f'/jobs/{consensus_job["id"]}/export', params={'format': 'coco', 'results': 'best'})
    assert r.status_code == 422 and r.json()['error']['code'] == 'unknown_results', r.text
