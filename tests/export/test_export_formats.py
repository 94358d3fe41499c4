"""Every export format, downloaded from the stack and read back with tools that know
nothing of the Swift writers: pycocotools (COCO), zipfile + PyYAML (YOLO), zipfile +
xml.etree.ElementTree (VOC), csv, json (JSON Lines)."""
import csv
import io
import json
import math
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
import yaml

import export_helpers as h

NAME = re.compile(r'^(\d+)_([0-9a-f]{12})\.png$')


def _zip(response):
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None, 'a CRC in the archive is wrong'
    return archive


def _expected_task_ids(job, only):
    return sorted(job.finished if only == 'finished' else job.images)


# ---- COCO --------------------------------------------------------------------------

@pytest.mark.parametrize('only', [None, 'finished'])
def test_coco_reads_back_with_pycocotools(job, download, COCO, tmp_path, only):
    r = download('coco', only)
    assert r.headers['Content-Type'].startswith('application/json')
    path = tmp_path / 'coco.json'
    path.write_bytes(r.content)
    coco = COCO(str(path))

    expected = _expected_task_ids(job, only)
    assert sorted(coco.getImgIds()) == expected
    assert coco.getCatIds() == [1, 2]
    assert [c['name'] for c in coco.loadCats(coco.getCatIds())] == h.LABELS
    assert {c['supercategory'] for c in coco.loadCats(coco.getCatIds())} == {'object'}
    category_of = {name: index + 1 for index, name in enumerate(h.LABELS)}

    for image in coco.loadImgs(expected):
        task = job.images[image['id']]
        match = NAME.match(image['file_name'])
        assert match and int(match.group(1)) == image['id'] and match.group(2) == task['sha256'][:12]
        assert (image['width'], image['height']) == (task['width'], task['height'])
        assert image['original_filename'] == task['filename']

        annotations = sorted(coco.loadAnns(coco.getAnnIds(imgIds=[image['id']])), key=lambda a: a['id'])
        submitted = job.boxes_of(image['id'])
        assert len(annotations) == len(submitted)
        for annotation, (train, box) in zip(annotations, submitted):
            # exactly the numbers that were submitted
            assert annotation['bbox'] == [box['x'], box['y'], box['w'], box['h']]
            assert annotation['area'] == box['w'] * box['h']
            assert annotation['category_id'] == category_of[box['label']]
            assert annotation['iscrowd'] == 0
            assert annotation['attributes'] == {'tasker_id': train.tasker_id, 'train_id': train.train_id}
    assert len(coco.getAnnIds()) == sum(len(job.boxes_of(task)) for task in expected)


# ---- YOLO --------------------------------------------------------------------------

@pytest.mark.parametrize('only', [None, 'finished'])
def test_yolo_zip_denormalises_to_the_submitted_boxes(job, download, only):
    r = download('yolo', only)
    assert r.headers['Content-Type'] == 'application/zip'
    archive = _zip(r)
    names = set(archive.namelist())

    data = yaml.safe_load(archive.read('data.yaml'))
    assert data['nc'] == 2 and data['names'] == h.LABELS
    assert data['train'] == 'images' and data['val'] == 'images' and 'path' in data
    assert archive.read('classes.txt').decode().splitlines() == h.LABELS

    expected = _expected_task_ids(job, only)
    images = sorted(n for n in names if n.startswith('images/'))
    assert [h.task_id_of(n) for n in images] == expected
    assert sorted(n for n in names if n.startswith('labels/')) == \
        sorted(f'labels/{h.stem(t, job)}.txt' for t in expected)
    assert names == set(images) | {f'labels/{h.stem(t, job)}.txt' for t in expected} | {'data.yaml', 'classes.txt'}

    for name in images:
        task_id = h.task_id_of(name)
        task = job.images[task_id]
        assert name == f'images/{h.image_name(task_id, job)}'
        assert archive.read(name) == task['bytes'], 'the image file is the uploaded one'
        assert archive.getinfo(name).compress_type == zipfile.ZIP_STORED
        label_name = f'labels/{h.stem(task_id, job)}.txt'
        assert archive.getinfo(label_name).compress_type == zipfile.ZIP_DEFLATED
        width, height = h.png_size(archive.read(name))
        lines = archive.read(label_name).decode().splitlines()
        submitted = job.boxes_of(task_id)
        assert len(lines) == len(submitted), f'{label_name}: {lines}'
        for line, (_, box) in zip(lines, submitted):
            fields = line.split()
            assert len(fields) == 5
            assert all(len(f.split('.')[1]) >= 6 for f in fields[1:]), line
            cls = int(fields[0])
            cx, cy, w, h_ = (float(f) for f in fields[1:])
            assert data['names'][cls] == box['label']
            w, h_ = w * width, h_ * height
            x, y = cx * width - w / 2, cy * height - h_ / 2
            for got, want in ((x, box['x']), (y, box['y']), (w, box['w']), (h_, box['h'])):
                assert math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9), (line, box)


# ---- Pascal VOC --------------------------------------------------------------------

@pytest.mark.parametrize('only', [None, 'finished'])
def test_voc_zip_reads_back_with_elementtree(job, download, only):
    r = download('voc', only)
    assert r.headers['Content-Type'] == 'application/zip'
    archive = _zip(r)
    names = set(archive.namelist())
    expected = _expected_task_ids(job, only)
    stems = [h.stem(t, job) for t in expected]
    assert names == ({f'Annotations/{s}.xml' for s in stems} | {f'JPEGImages/{s}.png' for s in stems}
                     | {'ImageSets/Main/default.txt'})
    assert archive.read('ImageSets/Main/default.txt').decode().splitlines() == stems

    for task_id in expected:
        task = job.images[task_id]
        name = h.image_name(task_id, job)
        assert archive.read(f'JPEGImages/{name}') == task['bytes']
        root = ET.fromstring(archive.read(f'Annotations/{h.stem(task_id, job)}.xml'))
        assert root.tag == 'annotation'
        assert root.findtext('filename') == name
        assert root.findtext('folder') == 'JPEGImages'
        size = root.find('size')
        assert (int(size.findtext('width')), int(size.findtext('height')), int(size.findtext('depth'))) == \
            (task['width'], task['height'], 3)
        objects = root.findall('object')
        submitted = job.boxes_of(task_id)
        assert len(objects) == len(submitted)
        for obj, (_, box) in zip(objects, submitted):
            assert obj.findtext('name') == box['label']
            assert obj.findtext('pose') == 'Unspecified'
            assert obj.findtext('truncated') == '0' and obj.findtext('difficult') == '0'
            bb = obj.find('bndbox')
            # The export's choice: 0-based pixel edges exactly as stored (see VOCExport.swift).
            assert float(bb.findtext('xmin')) == box['x']
            assert float(bb.findtext('ymin')) == box['y']
            assert float(bb.findtext('xmax')) == box['x'] + box['w']
            assert float(bb.findtext('ymax')) == box['y'] + box['h']


# ---- CSV and JSON Lines --------------------------------------------------------------

@pytest.mark.parametrize('only', [None, 'finished'])
def test_csv_has_a_row_per_box(job, download, only):
    r = download('csv', only)
    assert r.headers['Content-Type'].startswith('text/csv')
    rows = list(csv.DictReader(io.StringIO(r.content.decode('utf-8'))))
    expected_tasks = set(_expected_task_ids(job, only))
    expected = []
    for train in job.trains:
        if train.task_id not in expected_tasks:
            continue
        for box in train.boxes or [None]:
            expected.append((train.train_id, train.task_id, train.tasker_id, '1' if train.nothing_to_mark else '0',
                             box and box['label'], box and (box['x'], box['y'], box['w'], box['h'])))
    got = [(int(row['train_id']), int(row['task_id']), int(row['tasker_id']), row['nothing_to_mark'],
            row['label'] or None, (float(row['x']), float(row['y']), float(row['w']), float(row['h'])) if row['x'] else None)
           for row in rows]
    assert got == expected
    for row in rows:
        task = job.images[int(row['task_id'])]
        assert row['filename'] == task['filename']
        assert (int(row['image_width']), int(row['image_height'])) == (task['width'], task['height'])


def test_csv_export_matches_the_trains_csv(job, download):
    """The same code makes both: the export of every train equals the trains list as CSV."""
    listed = job.owner.get(f'/jobs/{job.id}/trains', params={'format': 'csv', 'perPage': 500})
    assert listed.status_code == 200
    assert download('csv').content == listed.content


@pytest.mark.parametrize('only', [None, 'finished'])
def test_jsonl_has_a_train_per_line(job, download, only):
    r = download('jsonl', only)
    assert r.headers['Content-Type'].startswith('application/x-ndjson')
    lines = h.load_json_lines(r.content.decode('utf-8'))
    expected_tasks = set(_expected_task_ids(job, only))
    expected = [t for t in job.trains if t.task_id in expected_tasks]
    assert [line['id'] for line in lines] == [t.train_id for t in expected]
    for line, train in zip(lines, expected):
        assert line['jobId'] == job.id and line['taskId'] == train.task_id and line['taskerId'] == train.tasker_id
        assert line['nothingToMark'] == train.nothing_to_mark
        assert line['boxes'] == train.boxes
        assert line['bounty'] == h.BOUNTY
        assert line['image']['fileName'] == h.image_name(train.task_id, job)
        assert (line['image']['width'], line['image']['height']) == \
            (job.images[train.task_id]['width'], job.images[train.task_id]['height'])


def test_coco_is_one_json_document(download):
    """Written piece by piece, still one valid document with the COCO sections."""
    document = json.loads(download('coco').content)
    assert set(document) == {'info', 'licenses', 'categories', 'images', 'annotations'}
    assert document['licenses'] == []
