#!/usr/bin/python3
"""Does quality control work on a crowd? A simulated crowd labels synthetic images with
known boxes through the real API, on a throwaway stack; the consensus, the blocks and the
money are compared with the truth.

    bench/quality.py [--images 300] [--seed 1] [--port 8431] [--keep]

It builds nothing: it uses .build/release (swift build -c release), or .build/debug when
the release binaries are missing, and says which. It starts a stack of its own in a
throwaway directory (scripts/stack.sh up DIR PORT test BINDIR), torn down at the end
(--keep leaves it running and says how to stop it).

The data (all from --seed): --images PNGs of 320 to 1024 px a side, each with 1 to 5
objects of 3 labels (their true boxes, drawn as filled rectangles); --gold of them are
marked gold through the COCO import with their true boxes. The crowd: --taskers honest
taskers, each with their own care (corner noise, a gaussian of 1 to 6% of the box's size;
a miss rate of 0 to 15%; a wrong label 0 to 5% of the time), and --spammers of three
kinds (random boxes, one box over the whole image, always "nothing to mark"). A tasker's
answer on an image depends only on the seed, the tasker and the image, so the same crowd
gives the same answers on every job.

Two jobs, one after the other, each worked by the whole crowd: fixed redundancy
(resultsPerImage = --rpi) and adaptive (minResultsPerImage = --min-rpi, up to --rpi),
with the same quality settings otherwise. Each tasker is a thread: take a lease, answer,
hand it in with ?next=true, until 403 blocked, or until no work came for --quiet seconds
to anybody (held slots and the slots of rejected results open after the worker's quality
thread has looked at an image).

Reported (a markdown table, printed and written to var/bench/quality-<date>.txt):
consensus (GET /api/jobs/{id}/tasks/{taskId}/consensus, every ordinary image) against the
truth: mean IoU of the matched boxes, precision, recall and F1 at IoU 0.5 (same label);
the same for each honest tasker's own results (the median and the best tasker); blocks
(GET /api/jobs/{id}/taskers) against who the spammers were; money (GET
/api/jobs/{id}/review: approved + pending) per ordinary image.
"""
import argparse
import concurrent.futures
import datetime
import decimal
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
sys.path.insert(0, os.path.join(ROOT, "tests"))

from ttbench import Client, log, register  # noqa: E402
from ttstack import blocks_png  # noqa: E402

LABELS = ["car", "person", "bike"]
BOUNTY = "0.01"
COLOURS = {"car": b"\xd0\x30\x30", "person": b"\x30\x30\xd0", "bike": b"\x30\xa0\x30"}


# ---- the data ---------------------------------------------------------------------

def rng_for(*parts):
    """A random generator drawn from the parts (ints and strings) alone."""
    return random.Random(":".join(str(p) for p in parts))


def iou(a, b):
    sw = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    sh = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    if sw <= 0 or sh <= 0:
        return 0.0
    shared = sw * sh
    return shared / (a["w"] * a["h"] + b["w"] * b["h"] - shared)


def make_images(count, seed):
    """[{name, width, height, boxes}]: objects 6 to 40% of the image's side, with an
    aspect of 1:2 to 2:1; objects of one image overlap at most a little (IoU < 0.2)."""
    images = []
    for i in range(count):
        r = rng_for(seed, "image", i)
        width, height = r.randint(320, 1024), r.randint(320, 1024)
        boxes = []
        for _ in range(r.randint(1, 5)):
            for _attempt in range(50):
                side = r.uniform(0.06, 0.40) * min(width, height)
                aspect = math.exp(r.uniform(-math.log(2), math.log(2)))
                w, h = min(side * math.sqrt(aspect), width * 0.45), min(side / math.sqrt(aspect), height * 0.45)
                w, h = max(12, round(w)), max(12, round(h))
                box = {"x": r.randint(0, width - w), "y": r.randint(0, height - h), "w": w, "h": h,
                       "label": r.choice(LABELS)}
                if all(iou(box, other) < 0.2 for other in boxes):
                    boxes.append(box)
                    break
        images.append({"name": f"q{seed}-{i:05d}.png", "width": width, "height": height, "boxes": boxes})
    return images


def png_of(image, seed, index):
    blocks = [(b["x"], b["y"], b["x"] + b["w"], b["y"] + b["h"], COLOURS[b["label"]]) for b in image["boxes"]]
    return blocks_png(image["width"], image["height"], seed * 1_000_003 + index, (235, 225, 200), 30, blocks)


def make_crowd(honest, spammers, seed):
    """The taskers' behaviours: honest ones with their care, then the spammers, their kinds
    in turn."""
    crowd = []
    for k in range(honest):
        r = rng_for(seed, "tasker", k)
        crowd.append({"index": k, "kind": "honest", "noise": r.uniform(0.01, 0.06), "miss": r.uniform(0, 0.15),
                      "wrong_label": r.uniform(0, 0.05), "think": r.uniform(0.5, 1.5)})
    kinds = ["random", "whole", "nothing"]
    for k in range(spammers):
        crowd.append({"index": honest + k, "kind": kinds[k % len(kinds)], "think": 0.3})
    return crowd


def clamp(box, width, height):
    """The box inside the image (the server refuses boxes outside it), at least 2 px."""
    x0, y0 = max(0.0, min(box["x"], width - 2)), max(0.0, min(box["y"], height - 2))
    x1, y1 = min(float(width), max(box["x"] + box["w"], x0 + 2)), min(float(height), max(box["y"] + box["h"], y0 + 2))
    return {"x": round(x0, 1), "y": round(y0, 1), "w": round(x1 - x0, 1), "h": round(y1 - y0, 1), "label": box["label"]}


def answer(tasker, image, seed, image_index):
    """What the tasker hands in for the image: (boxes, nothingToMark)."""
    r = rng_for(seed, "answer", tasker["index"], image_index)
    width, height = image["width"], image["height"]
    kind = tasker["kind"]
    if kind == "nothing":
        return [], True
    if kind == "whole":
        return [{"x": 0, "y": 0, "w": width, "h": height, "label": r.choice(LABELS)}], False
    if kind == "random":
        boxes = []
        for _ in range(r.randint(1, 4)):
            w, h = r.uniform(0.05, 0.5) * width, r.uniform(0.05, 0.5) * height
            boxes.append(clamp({"x": r.uniform(0, width - w), "y": r.uniform(0, height - h), "w": w, "h": h,
                                "label": r.choice(LABELS)}, width, height))
        return boxes, False
    boxes = []
    for truth in image["boxes"]:
        if r.random() < tasker["miss"]:
            continue
        sx, sy = tasker["noise"] * truth["w"], tasker["noise"] * truth["h"]
        x0, y0 = truth["x"] + r.gauss(0, sx), truth["y"] + r.gauss(0, sy)
        x1, y1 = truth["x"] + truth["w"] + r.gauss(0, sx), truth["y"] + truth["h"] + r.gauss(0, sy)
        label = truth["label"]
        if r.random() < tasker["wrong_label"]:
            label = r.choice([lb for lb in LABELS if lb != label])
        boxes.append(clamp({"x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0, "label": label}, width, height))
    if not boxes:
        return [], True
    r.shuffle(boxes)
    return boxes, False


# ---- scoring against the truth ----------------------------------------------------

def match(truth, found, threshold=0.5):
    """Greedy one-to-one pairing, best IoU first, same label, IoU >= threshold:
    (true positives, false positives, false negatives, [IoU of each pair])."""
    candidates = sorted(((iou(t, f), i, j) for i, t in enumerate(truth) for j, f in enumerate(found)
                         if t["label"] == f["label"]), reverse=True)
    used_t, used_f, ious = set(), set(), []
    for value, i, j in candidates:
        if value < threshold or i in used_t or j in used_f:
            continue
        used_t.add(i)
        used_f.add(j)
        ious.append(value)
    return len(ious), len(found) - len(ious), len(truth) - len(ious), ious


class Score:
    def __init__(self):
        self.tp = self.fp = self.fn = 0
        self.ious = []
        self.images = 0

    def add(self, truth, found):
        tp, fp, fn, ious = match(truth, found)
        self.tp += tp
        self.fp += fp
        self.fn += fn
        self.ious += ious
        self.images += 1
        return tp, fp, fn

    @property
    def precision(self):
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self):
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self):
        wrong = self.fp + self.fn
        return 2 * self.tp / (2 * self.tp + wrong) if self.tp + wrong else 1.0

    @property
    def mean_iou(self):
        return statistics.fmean(self.ious) if self.ious else 0.0


# ---- the stack and the API --------------------------------------------------------

def binaries():
    for kind in ("release", "debug"):
        path = os.path.join(ROOT, ".build", kind)
        if all(os.access(os.path.join(path, b), os.X_OK) for b in ("tasker-fcgi", "tasker-admin")):
            return kind, path
    sys.exit("error: no binaries in .build/release or .build/debug: run `swift build -c release` first")


def error_code(raw):
    try:
        return json.loads(raw)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return raw[:200].decode(errors="replace")


def paged(client, path):
    items, page = [], 1
    while True:
        sep = "&" if "?" in path else "?"
        body = client.json("GET", f"{path}{sep}page={page}&perPage=500")
        items += body["items"]
        if len(items) >= body["total"] or not body["items"]:
            return items
        page += 1


def quality_settings(args, adaptive):
    return {"iouThreshold": 0.5, "minResultsPerImage": args.min_rpi if adaptive else None,
            "agreementThreshold": args.agreement, "autoReview": args.auto_review,
            "goldRate": {"early": args.gold_early, "earlyImages": args.gold_early_images, "later": args.gold_later},
            "goldAnswersPerImage": args.gold_answers, "accuracyThreshold": args.accuracy,
            "minGoldAnswers": args.min_gold}


def create_job(requester, args, name, adaptive, images, pngs, gold_indices):
    """A draft job, its images uploaded, the gold ones marked by COCO import, activated:
    returns (job id, {taskId: image index})."""
    ordinary = len(images) - len(gold_indices)
    slots = ordinary * args.rpi + len(gold_indices) * args.gold_answers
    budget = f"{decimal.Decimal(BOUNTY) * slots:.2f}"
    job = requester.json("POST", "/api/jobs", {
        "name": name, "title": f"Quality bench {name}", "description": "bench/quality.py",
        "instructions": "Draw a box around every car, person and bike.", "labels": LABELS, "bounty": BOUNTY,
        "budget": budget, "resultsPerImage": args.rpi, "quality": quality_settings(args, adaptive)})
    job_id = job["id"]
    by_task = {}
    for index, (image, data) in enumerate(zip(images, pngs)):
        status, raw = requester.request("POST", f"/api/jobs/{job_id}/images?filename={image['name']}", data,
                                        content_type="image/png")
        if status != 201:
            raise RuntimeError(f"upload of {image['name']}: HTTP {status} {raw[:200]!r}")
        item = json.loads(raw)["items"][0]
        by_task[item["task"]["id"]] = index
    coco = {"images": [], "annotations": [], "categories": [{"id": i + 1, "name": lb} for i, lb in enumerate(LABELS)]}
    for n, index in enumerate(sorted(gold_indices)):
        image = images[index]
        coco["images"].append({"id": n + 1, "file_name": image["name"], "width": image["width"],
                               "height": image["height"]})
        for b in image["boxes"]:
            coco["annotations"].append({"id": len(coco["annotations"]) + 1, "image_id": n + 1,
                                        "category_id": LABELS.index(b["label"]) + 1,
                                        "bbox": [b["x"], b["y"], b["w"], b["h"]]})
    marked = requester.json("POST", f"/api/jobs/{job_id}/gold/coco", coco)
    if marked["marked"] != len(gold_indices):
        raise RuntimeError(f"the COCO import marked {marked['marked']} gold images, not {len(gold_indices)}")
    activated = requester.json("POST", f"/api/jobs/{job_id}/activate")
    if activated.get("goldImageCount") != len(gold_indices):
        raise RuntimeError(f"the job shows {activated.get('goldImageCount')} gold images")
    return job_id, by_task


class Crowd:
    """The taskers of one job, each on a thread of their own."""

    def __init__(self, base, job_id, by_task, images, crowd, tokens, seed, quiet, think_ms):
        self.base, self.job_id, self.by_task, self.images = base, job_id, by_task, images
        self.crowd, self.tokens, self.seed = crowd, tokens, seed
        self.quiet, self.think = quiet, think_ms / 1000
        self.lock = threading.Lock()
        self.last_progress = time.monotonic()
        self.submitted = []   # (tasker index, task id, train id, boxes, nothingToMark)
        self.ended = {}       # tasker index -> why
        self.counts = {"busy": 0, "no_work": 0, "errors": 0}

    def run(self):
        t0 = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(self.crowd)) as pool:
            for future in [pool.submit(self.work, t) for t in self.crowd]:
                future.result()
        return time.monotonic() - t0

    def note(self, key):
        with self.lock:
            self.counts[key] += 1

    def take(self, client):
        """The next lease, or the reason to stop ("blocked", "quiet", "job_not_open")."""
        while True:
            status, raw = client.request("POST", f"/api/jobs/{self.job_id}/leases")
            if status in (200, 201):
                return json.loads(raw)
            code = error_code(raw)
            if status == 403 and code == "blocked":
                return "blocked"
            if code == "no_work":
                self.note("no_work")
                if time.monotonic() - self.last_progress > self.quiet:
                    return "quiet"
                time.sleep(0.5)
            elif code == "busy":
                self.note("busy")
                time.sleep(0.05)
            elif code == "job_not_open":
                return "job_not_open"
            else:
                self.note("errors")
                time.sleep(0.2)

    def work(self, tasker):
        client = Client(self.base, self.tokens[tasker["index"]])
        r = rng_for(self.seed, "think", tasker["index"])
        lease = self.take(client)
        while isinstance(lease, dict):
            task_id = lease["taskId"]
            index = self.by_task[task_id]
            boxes, nothing = answer(tasker, self.images[index], self.seed, index)
            if self.think:
                time.sleep(self.think * tasker["think"] * r.uniform(0.5, 1.5))
            status, raw = client.request("POST", f"/api/leases/{lease['id']}/train?next=true",
                                         {"boxes": boxes, "nothingToMark": nothing})
            if status in (200, 201):
                body = json.loads(raw)
                with self.lock:
                    self.submitted.append((tasker["index"], task_id, body["train"]["id"], boxes, nothing))
                    self.last_progress = time.monotonic()
                if body.get("next"):
                    lease = body["next"]
                    continue
                code = (body.get("nextError") or {}).get("code")
                lease = "blocked" if code == "blocked" else self.take(client)
            else:
                # A block ends the tasker's live lease: the next take says so.
                if error_code(raw) not in ("lease_not_live", "lease_expired"):
                    self.note("errors")
                    log(f"  tasker {tasker['index']}: hand-in HTTP {status} {raw[:200]!r}")
                lease = self.take(client)
        with self.lock:
            self.ended[tasker["index"]] = lease


def wait_for_assessments(requester, job_id, first, timeout=30):
    """Until the worker's quality thread has assessed the images: every ordinary image with
    at least its `first` results has an agreement (polled)."""
    deadline = time.monotonic() + timeout
    while True:
        tasks = paged(requester, f"/api/jobs/{job_id}/tasks")
        behind = [t for t in tasks if not t.get("gold") and t["trainCount"] >= first and t.get("agreement") is None]
        if not behind or time.monotonic() > deadline:
            return tasks, len(behind)
        time.sleep(1)


def run_job(base, requester, args, name, adaptive, images, pngs, gold_indices, crowd, tokens):
    log(f"{name}: creating the job ({len(images)} images, {len(gold_indices)} gold), uploading")
    job_id, by_task = create_job(requester, args, name, adaptive, images, pngs, gold_indices)
    log(f"{name}: job {job_id}: {len(crowd)} taskers at work")
    c = Crowd(base, job_id, by_task, images, crowd, tokens, args.seed, args.quiet, args.think_ms)
    seconds = c.run()
    log(f"{name}: {len(c.submitted)} results in {seconds:.1f}s; waiting for the quality thread")
    time.sleep(2)
    tasks, behind = wait_for_assessments(requester, job_id, args.min_rpi if adaptive else args.rpi)
    index_of = {t["id"]: by_task[t["id"]] for t in tasks}
    consensus = {}
    for t in tasks:
        if not t.get("gold"):
            consensus[t["id"]] = requester.json("GET", f"/api/jobs/{job_id}/tasks/{t['id']}/consensus")
    return {"name": name, "job": job_id, "adaptive": adaptive, "seconds": seconds, "tasks": tasks,
            "index_of": index_of, "consensus": consensus, "submitted": c.submitted, "ended": c.ended,
            "counts": c.counts, "behind": behind,
            "taskers": requester.json("GET", f"/api/jobs/{job_id}/taskers")["items"],
            "review": requester.json("GET", f"/api/jobs/{job_id}/review"),
            "stats": requester.json("GET", f"/api/jobs/{job_id}/stats"),
            "trains": paged(requester, f"/api/jobs/{job_id}/trains")}


# ---- analysis ---------------------------------------------------------------------

def analyse(run, images, gold_indices, crowd, tasker_ids):
    ordinary = [t for t in run["tasks"] if not t.get("gold")]
    cons = Score()
    diag = {"missed_no_cluster": 0, "missed_poor_fit": 0, "missed_label": 0, "extra_spam": 0, "extra_honest": 0,
            "images_wrong": 0}
    state_of = {tr["id"]: tr["state"] for tr in run["trains"]}
    kind_of_train = {train_id: crowd[k]["kind"] for k, _, train_id, _, _ in run["submitted"]}
    counted = {}
    for k, task_id, train_id, boxes, _ in run["submitted"]:
        if state_of.get(train_id) != "rejected":
            counted.setdefault(task_id, []).append(boxes)
    support = {}
    for t in ordinary:
        truth = images[run["index_of"][t["id"]]]["boxes"]
        found = run["consensus"][t["id"]]["boxes"]
        tp, fp, fn = cons.add(truth, found)
        if fp or fn:
            diag["images_wrong"] += 1
            # Why: a missed object with a box of the same label that overlaps it (poor fit),
            # or of another label (label), or none at all (not enough support).
            _, _, _, _ = match(truth, found)
            for tb in truth:
                if any(fb["label"] == tb["label"] and iou(tb, fb) >= 0.5 for fb in found):
                    continue
                if any(fb["label"] == tb["label"] and iou(tb, fb) > 0.1 for fb in found):
                    diag["missed_poor_fit"] += 1
                elif any(fb["label"] != tb["label"] and iou(tb, fb) >= 0.5 for fb in found):
                    diag["missed_label"] += 1
                else:
                    diag["missed_no_cluster"] += 1
                # How many of the image's counted results marked it: with its label, with any.
                results = counted.get(t["id"], [])
                same = sum(1 for bs in results if any(b["label"] == tb["label"] and iou(tb, b) >= 0.5 for b in bs))
                anyl = sum(1 for bs in results if any(iou(tb, b) >= 0.5 for b in bs))
                key = f"{same}/{len(results)}" + (f" ({anyl} with any label)" if anyl != same else "")
                support[key] = support.get(key, 0) + 1
            for fb in found:
                if any(fb["label"] == tb["label"] and iou(tb, fb) >= 0.5 for tb in truth):
                    continue
                kinds = {kind_of_train.get(i) for i in fb.get("trainIds", [])}
                diag["extra_spam" if kinds - {"honest"} else "extra_honest"] += 1
    per_tasker = {}
    for k, task_id, train_id, boxes, nothing in run["submitted"]:
        index = run["index_of"][task_id]
        if index in gold_indices:
            continue
        per_tasker.setdefault(k, Score()).add(images[index]["boxes"], boxes)
    honest = [(k, s) for k, s in per_tasker.items() if crowd[k]["kind"] == "honest"]
    honest.sort(key=lambda ks: (ks[1].f1, ks[1].mean_iou))
    # Each measure's median and best over the honest taskers (the tasker with the median
    # F1 is not the one with the median IoU).
    median = best = None
    if honest:
        median = {"f1": statistics.median(s.f1 for _, s in honest),
                  "iou": statistics.median(s.mean_iou for _, s in honest)}
        best = {"f1": max(s.f1 for _, s in honest), "iou": max(s.mean_iou for _, s in honest)}

    blocked = {t["taskerId"] for t in run["taskers"] if t.get("blocked")}
    spam_ids = {tasker_ids[c["index"]] for c in crowd if c["kind"] != "honest"}
    honest_ids = {tasker_ids[c["index"]] for c in crowd if c["kind"] == "honest"}
    spam_results = [(k, train_id) for k, _, train_id, _, _ in run["submitted"] if crowd[k]["kind"] != "honest"]
    spam_counted = sum(1 for _, i in spam_results if state_of.get(i) != "rejected")

    review = run["review"]
    paid = decimal.Decimal(review["approved"]["amount"]) + decimal.Decimal(review["pending"]["amount"])
    counted_on_ordinary = sum(1 for tr in run["trains"]
                              if tr["state"] != "rejected" and run["index_of"][tr["taskId"]] not in gold_indices)
    counted_on_gold = sum(1 for tr in run["trains"]
                          if tr["state"] != "rejected" and run["index_of"][tr["taskId"]] in gold_indices)
    gold_answers = sum(1 for tr in run["trains"] if run["index_of"][tr["taskId"]] in gold_indices)
    agreements = [float(t["agreement"]) for t in ordinary if t.get("agreement") is not None]
    return {
        "consensus": cons, "diag": diag, "support": support, "median": median, "best": best, "honest_scores": honest,
        "blocked_spam": len(blocked & spam_ids), "spam": len(spam_ids), "blocked_honest": len(blocked & honest_ids),
        "honest": len(honest_ids), "blocked": len(blocked),
        "spam_results": len(spam_results), "spam_counted": spam_counted,
        "paid": paid, "ordinary": len(ordinary), "per_image": paid / len(ordinary) if ordinary else None,
        "results_per_image": counted_on_ordinary / len(ordinary) if ordinary else None,
        "counted_on_gold": counted_on_gold, "gold_answers": gold_answers,
        "handed_in": len(run["submitted"]), "rejected": review["rejected"]["count"],
        "pending": review["pending"]["count"], "approved": review["approved"]["count"],
        "not_done": sum(1 for t in ordinary if not t.get("qualityDone")),
        "mean_agreement": statistics.fmean(agreements) if agreements else None,
        "held_left": sum(t.get("heldSlots", 0) for t in ordinary),
        "accuracy": {t["taskerId"]: t.get("accuracy") for t in run["taskers"]},
        "gold_per_tasker": {t["taskerId"]: t.get("goldAnswers") for t in run["taskers"]},
    }


def pct(x, digits=1):
    return "n/a" if x is None else f"{100 * x:.{digits}f}%"


def num(x, digits=3):
    return "n/a" if x is None else f"{x:.{digits}f}"


def report(args, bin_kind, runs, analyses, crowd, tasker_ids, started, images, gold_indices):
    fixed, adaptive = analyses
    lines = []
    w = lines.append
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "?"
    if subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                      text=True).stdout.strip():
        commit += " (working tree has changes)"
    q = quality_settings(args, True)
    n_objects = sum(len(images[i]["boxes"]) for i in range(len(images)) if i not in gold_indices)
    w(f"# Quality control on a simulated crowd (bench/quality.py)")
    w("")
    w(f"- date {started:%Y-%m-%d %H:%M} UTC, commit {commit}, {bin_kind} build, seed {args.seed}")
    w(f"- {len(images)} images ({len(images) - len(gold_indices)} ordinary with {n_objects} objects, "
      f"{len(gold_indices)} gold by COCO import), 1-5 objects each, labels {', '.join(LABELS)}")
    w(f"- crowd: {args.taskers} honest taskers (corner noise 1-6% of box size, miss 0-15%, wrong label 0-5%), "
      f"{args.spammers} spammers (random boxes / one whole-image box / nothing to mark, in turn)")
    w(f"- quality: agreementThreshold {q['agreementThreshold']}, autoReview {q['autoReview']}, gold rate 1 in "
      f"{q['goldRate']['early']} of the first {q['goldRate']['earlyImages']} then 1 in {q['goldRate']['later']}, "
      f"accuracyThreshold {q['accuracyThreshold']}, minGoldAnswers {q['minGoldAnswers']}, goldAnswersPerImage "
      f"{q['goldAnswersPerImage']}; bounty {BOUNTY}")
    w(f"- jobs: fixed resultsPerImage {args.rpi} (job {runs[0]['job']}), adaptive {args.min_rpi} to {args.rpi} "
      f"(job {runs[1]['job']})")
    w("")
    w("| measure | fixed " + str(args.rpi) + " | adaptive " + f"{args.min_rpi}-{args.rpi}" + " | target |")
    w("| --- | --- | --- | --- |")

    def row(name, f, a, target=""):
        w(f"| {name} | {f} | {a} | {target} |")

    row("consensus F1 @ IoU 0.5", num(fixed["consensus"].f1), num(adaptive["consensus"].f1), ">= 0.95")
    row("consensus mean IoU", num(fixed["consensus"].mean_iou), num(adaptive["consensus"].mean_iou), ">= 0.90")
    row("consensus precision / recall",
        f"{num(fixed['consensus'].precision)} / {num(fixed['consensus'].recall)}",
        f"{num(adaptive['consensus'].precision)} / {num(adaptive['consensus'].recall)}")
    for key, title, target in (("median", "median honest tasker", "below the consensus"),
                               ("best", "best honest tasker", "")):
        cells = ["n/a" if a[key] is None else f"F1 {num(a[key]['f1'])}, IoU {num(a[key]['iou'])}" for a in analyses]
        row(f"{title} (own results; each measure's {key})", cells[0], cells[1], target)
    row("images whose consensus is not exactly right", f"{fixed['diag']['images_wrong']} of {fixed['ordinary']}",
        f"{adaptive['diag']['images_wrong']} of {adaptive['ordinary']}")
    row("spammers blocked (recall)", f"{fixed['blocked_spam']} of {fixed['spam']} ({pct(fixed['blocked_spam'] / max(1, fixed['spam']))})",
        f"{adaptive['blocked_spam']} of {adaptive['spam']} ({pct(adaptive['blocked_spam'] / max(1, adaptive['spam']))})",
        ">= 95%")
    row("blocking precision", pct(fixed["blocked_spam"] / fixed["blocked"]) if fixed["blocked"] else "n/a",
        pct(adaptive["blocked_spam"] / adaptive["blocked"]) if adaptive["blocked"] else "n/a")
    row("honest taskers blocked", f"{fixed['blocked_honest']} of {fixed['honest']} ({pct(fixed['blocked_honest'] / max(1, fixed['honest']))})",
        f"{adaptive['blocked_honest']} of {adaptive['honest']} ({pct(adaptive['blocked_honest'] / max(1, adaptive['honest']))})",
        "<= 2%")
    row("spammers' results handed in / still counted", f"{fixed['spam_results']} / {fixed['spam_counted']}",
        f"{adaptive['spam_results']} / {adaptive['spam_counted']}")
    row("results handed in (approved / pending / rejected)",
        f"{fixed['handed_in']} ({fixed['approved']} / {fixed['pending']} / {fixed['rejected']})",
        f"{adaptive['handed_in']} ({adaptive['approved']} / {adaptive['pending']} / {adaptive['rejected']})")
    row("counted results per ordinary image", num(fixed["results_per_image"], 2), num(adaptive["results_per_image"], 2))
    row("gold answers (paid)", f"{fixed['gold_answers']} ({fixed['counted_on_gold']})",
        f"{adaptive['gold_answers']} ({adaptive['counted_on_gold']})")
    row("money: approved + pending", f"{fixed['paid']}", f"{adaptive['paid']}")
    saving = 1 - adaptive["per_image"] / fixed["per_image"] if fixed["per_image"] else None
    row("money per ordinary image (gold answers included)", f"{fixed['per_image']:.4f}",
        f"{adaptive['per_image']:.4f} ({pct(saving)} cheaper)", ">= 25% cheaper at equal F1")
    row("images not done (quality) / held slots unused", f"{fixed['not_done']} / {fixed['held_left']}",
        f"{adaptive['not_done']} / {adaptive['held_left']}")
    row("crowd time", f"{runs[0]['seconds']:.0f} s", f"{runs[1]['seconds']:.0f} s")
    w("")
    f1_gap = adaptive["consensus"].f1 - fixed["consensus"].f1
    checks = [
        ("consensus F1 >= 0.95 (both jobs)", min(a["consensus"].f1 for a in analyses) >= 0.95),
        ("consensus mean IoU >= 0.90 (both jobs)", min(a["consensus"].mean_iou for a in analyses) >= 0.90),
        ("consensus better than the median honest tasker (F1 and IoU, both jobs)",
         all(a["median"] and a["consensus"].f1 > a["median"]["f1"] and a["consensus"].mean_iou > a["median"]["iou"]
             for a in analyses)),
        (">= 95% of spammers blocked (both jobs)", all(a["blocked_spam"] >= 0.95 * a["spam"] for a in analyses)),
        ("<= 2% of honest taskers blocked (both jobs)", all(a["blocked_honest"] <= 0.02 * a["honest"] for a in analyses)),
        (f"adaptive >= 25% cheaper per image at equal F1 (within 0.005; adaptive's F1 {f1_gap:+.3f})",
         saving is not None and saving >= 0.25 and f1_gap >= -0.005),
    ]
    w("Targets:")
    w("")
    for text, ok in checks:
        w(f"- {'met' if ok else 'MISSED'}: {text}")
    w("")
    w("Where the consensus differs from the truth (objects):")
    w("")
    for a, run in zip(analyses, runs):
        d = a["diag"]
        w(f"- {run['name']}: {a['consensus'].fn} missed ({d['missed_no_cluster']} without a consensus box near them, "
          f"{d['missed_poor_fit']} with a box of IoU < 0.5, {d['missed_label']} under another label); "
          f"{a['consensus'].fp} extra ({d['extra_spam']} with a spammer's box among theirs, {d['extra_honest']} "
          f"of honest taskers alone); mean image agreement {num(a['mean_agreement'])}")
        if a["support"]:
            w("  missed objects by how many of the image's counted results marked them (same label): "
              + ", ".join(f"{k} x{v}" for k, v in sorted(a["support"].items())))
    w("")
    w("Honest taskers' own results (F1 / mean IoU), worst to best, fixed job:")
    w("")
    w("  " + ", ".join(f"{s.f1:.2f}/{s.mean_iou:.2f}" for _, s in analyses[0]["honest_scores"]))
    w("")
    w("Accuracy on gold (gold answers) per tasker, fixed | adaptive; * = blocked:")
    w("")
    blocked = [{t["taskerId"] for t in run["taskers"] if t.get("blocked")} for run in runs]
    for c in crowd:
        tid = tasker_ids[c["index"]]
        cells = []
        for a, b in zip(analyses, blocked):
            acc = a["accuracy"].get(tid)
            cells.append(f"{'n/a' if acc is None else f'{acc:.2f}'} ({a['gold_per_tasker'].get(tid, 0)})"
                         f"{'*' if tid in b else ''}")
        desc = (f"noise {c['noise']:.3f} miss {c['miss']:.2f} label {c['wrong_label']:.2f}" if c["kind"] == "honest"
                else f"spammer ({c['kind']})")
        w(f"  {c['index']:2d} {desc:<36} {cells[0]:>12} | {cells[1]:>12}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=300, help="images of each job, gold ones included")
    parser.add_argument("--gold", type=int, help="gold images among them (default a tenth)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8431)
    parser.add_argument("--keep", action="store_true", help="leave the stack running")
    parser.add_argument("--taskers", type=int, default=30, help="honest taskers")
    parser.add_argument("--spammers", type=int, default=8)
    parser.add_argument("--rpi", type=int, default=5, help="results per image (the fixed job's, the adaptive maximum)")
    parser.add_argument("--min-rpi", type=int, default=3, help="the adaptive job's minResultsPerImage")
    parser.add_argument("--agreement", type=float, default=0.7, help="agreementThreshold")
    parser.add_argument("--accuracy", type=float, default=0.5, help="accuracyThreshold")
    parser.add_argument("--min-gold", type=int, default=3, help="minGoldAnswers")
    parser.add_argument("--gold-early", type=int, default=5, help="goldRate.early")
    parser.add_argument("--gold-early-images", type=int, default=15, help="goldRate.earlyImages")
    parser.add_argument("--gold-later", type=int, default=20, help="goldRate.later")
    parser.add_argument("--gold-answers", type=int, default=30, help="goldAnswersPerImage")
    parser.add_argument("--auto-review", default="hold", choices=["off", "hold", "reject"])
    parser.add_argument("--think-ms", type=float, default=40,
                        help="an honest tasker's mean pause before a hand-in (a spammer's is 0.3 of it)")
    parser.add_argument("--quiet", type=float, default=6,
                        help="seconds without a hand-in by anybody after which a tasker without work stops")
    parser.add_argument("--jobs", default="fixed,adaptive", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.gold is None:
        args.gold = max(1, args.images // 10)
    started = datetime.datetime.now(datetime.timezone.utc)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    bin_kind, bindir = binaries()
    log(f"using the {bin_kind} build ({os.path.relpath(bindir, ROOT)})")
    if bin_kind != "release":
        log("  (no release binaries: `swift build -c release` for the ones the benchmark is meant for)")

    log(f"generating {args.images} images (seed {args.seed})")
    images = make_images(args.images, args.seed)
    pngs = [png_of(image, args.seed, i) for i, image in enumerate(images)]
    gold_indices = set(rng_for(args.seed, "gold").sample(range(args.images), args.gold))
    crowd = make_crowd(args.taskers, args.spammers, args.seed)

    inst = tempfile.mkdtemp(prefix="ttquality.")
    base = f"http://127.0.0.1:{args.port}"
    stack = os.path.join(ROOT, "scripts", "stack.sh")
    log(f"starting a throwaway stack in {inst} on 127.0.0.1:{args.port}")
    up = subprocess.run([stack, "up", inst, str(args.port), "test", bindir], capture_output=True, text=True)
    if up.returncode != 0:
        sys.stderr.write(up.stdout + up.stderr)
        subprocess.run([stack, "down", inst], capture_output=True)
        sys.exit("error: the stack did not start")
    try:
        nonce = f"{int(time.time())}"
        email = f"quality-requester-{nonce}@example.com"
        _, token = register(base, email, "requester", "qualityreq")
        run = subprocess.run([os.path.join(bindir, "tasker-admin"), "--config", os.path.join(inst, "config.json"),
                              "credit", email, "100000.00", "--memo", "bench"], capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f"tasker-admin credit failed: {run.stdout} {run.stderr}")
        requester = Client(base, token)
        log(f"registering {len(crowd)} taskers (4 at a time)")
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            users = list(pool.map(lambda c: register(base, f"quality-tasker-{c['index']:02d}-{nonce}@example.com",
                                                     "tasker", f"qt{c['index']:02d}"), crowd))
        tasker_ids = [u[0] for u in users]
        tokens = [u[1] for u in users]
        runs = []
        for name in args.jobs.split(","):
            runs.append(run_job(base, requester, args, f"{name}-{nonce}", name == "adaptive", images, pngs,
                                gold_indices, crowd, tokens))
            runs[-1]["name"] = name
        analyses = [analyse(r, images, gold_indices, crowd, tasker_ids) for r in runs]
        if len(runs) != 2:
            for r, a in zip(runs, analyses):
                print(f"{r['name']}: consensus F1 {a['consensus'].f1:.4f} IoU {a['consensus'].mean_iou:.4f} "
                      f"(missed {a['consensus'].fn}, extra {a['consensus'].fp}); per image {a['per_image']:.4f}, "
                      f"results per image {a['results_per_image']:.2f}; spammers blocked {a['blocked_spam']}, "
                      f"honest blocked {a['blocked_honest']}")
            return
        text = report(args, bin_kind, runs, analyses, crowd, tasker_ids, started, images, gold_indices)
        out_dir = os.path.join(ROOT, "var", "bench")
        os.makedirs(out_dir, exist_ok=True)
        out = os.path.join(out_dir, f"quality-{stamp}.txt")
        with open(out, "w") as f:
            f.write(text)
        with open(os.path.join(out_dir, f"quality-{stamp}.json"), "w") as f:
            json.dump([{k: v for k, v in r.items() if k != "index_of"} for r in runs], f, default=str)
        sys.stdout.write("\n" + text)
        log(f"written to {os.path.relpath(out, ROOT)}")
    finally:
        if args.keep:
            log(f"the stack keeps running: {base} (stop it with scripts/stack.sh down {inst})")
        else:
            subprocess.run([stack, "down", inst], capture_output=True)
            subprocess.run(["rm", "-rf", inst])


if __name__ == "__main__":
    main()
