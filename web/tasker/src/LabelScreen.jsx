// Labeling one job: get a lease, show its image, let the tasker draw boxes, submit,
// and go straight on to the next image.
//
// Flow and the one-live-lease rule: the server hands back the SAME live lease while
// one is held, so the next lease can only be asked for once the current train has
// landed. On submit we therefore (1) write the train to the offline queue, (2) send
// it with ?next=true, (3) get the next lease in the same answer (or POST for it when
// the answer has none for a passing reason), (4) preload and decode its image off-screen
// while the current image stays visible (dimmed), then (5) swap the decoded image
// element in, in one render. performance.mark/measure 'tt-submit' ->
// 'tt-next-image' brackets this for bench/tasker_next_image.py.
// If the train cannot be sent (offline), it waits in the queue; the screen says so
// and moves on by itself once the queue has delivered it.

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { api } from './api.js';
import * as trainQueue from './trainQueue.js';
import BoxLayer from './BoxLayer.jsx';
import BoxList from './BoxList.jsx';
import Countdown from './Countdown.jsx';
import HelpOverlay from './HelpOverlay.jsx';
import { clamp, colorFor, moved, toImageBoxes } from './geometry.js';

const MAX_ZOOM = 8;

function preload(url) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.alt = 'Image to label';
    img.draggable = false;
    img.className = 'stage-img';
    img.onload = () => {
      const done = () => resolve(img);
      if (img.decode) img.decode().then(done, done); else done();
    };
    img.onerror = () => reject(new Error('The image could not be loaded.'));
    img.src = url;
  });
}

function mark(name) {
  try { performance.mark(name); } catch (e) { /* old browser */ }
}

export default function LabelScreen({ user, jobId, job, queue, onExit, onAuthLost }) {
  // phase: loading | ready | sending | next | waiting | ended
  const [phase, setPhaseState] = useState('loading');
  const phaseRef = useRef('loading');
  const setPhase = (p) => { phaseRef.current = p; setPhaseState(p); };
  const [shown, setShownState] = useState(null); // {lease, img, deadline}
  const shownRef = useRef(null);
  const setShown = (s) => { shownRef.current = s; setShownState(s); };
  const [boxes, setBoxes] = useState([]);
  const [selectedId, setSelectedId] = useState(null);
  const [labelIndex, setLabelIndex] = useState(0);
  const [zoom, setZoomState] = useState(1);
  const zoomRef = useRef(1);
  const [notice, setNotice] = useState(null); // {kind, text}
  const [ended, setEnded] = useState(null); // {kind, title, text, retry}
  const [help, setHelp] = useState(false);
  const [imgError, setImgError] = useState(null);
  const [count, setCount] = useState(0); // images done in this sitting
  const alive = useRef(true);
  const measuring = useRef(false);
  const waitingFor = useRef(null);
  const viewport = useRef(null);
  const imgHost = useRef(null);
  const pendingScroll = useRef(null);

  const lease = shown && shown.lease;
  const W = lease ? lease.image.width : 4;
  const H = lease ? lease.image.height : 3;
  const labels = (lease && lease.labels && lease.labels.length ? lease.labels : (job && job.labels)) || [];
  const title = (job && job.title) || 'Job ' + jobId;

  useEffect(() => () => { alive.current = false; }, []);

  const end = useCallback((kind, heading, text, retry) => {
    measuring.current = false;
    setEnded({ kind, title: heading, text, retry });
    setPhase('ended');
  }, []);

  const fail = useCallback((e) => {
    if (e.status === 401) { onAuthLost(); return; }
    if (e.code === 'no_work') {
      end('no_work', 'No more work here',
        'You have done every image this job has for you right now. Thank you! Pick another job from the list.');
    } else if (e.code === 'job_not_open' || e.status === 409 || e.status === 403) {
      end('closed', 'This job is closed', e.message);
    } else {
      end('error', 'Could not get an image', e.message, true);
    }
  }, [end, onAuthLost]);

  // handed: the `next` of a train sent with takeNext ({ lease, error }), if any.
  const loadNext = useCallback(async (handed) => {
    setImgError(null);
    if (phaseRef.current !== 'sending') setPhase(shownRef.current ? 'next' : 'loading');
    else setPhase('next');
    const refusal = handed && handed.error;
    if (refusal && (refusal.code === 'no_work' || refusal.code === 'job_not_open')) {
      fail({ ...refusal, status: refusal.code === 'no_work' ? 404 : 409 });
      return;
    }
    let l = handed && handed.lease;
    if (!l) {
      let got;
      try {
        got = await api.takeLease(jobId);
      } catch (e) {
        if (alive.current) fail(e);
        return;
      }
      if (!alive.current) return;
      l = got.lease;
    }
    if (trainQueue.pending(user.id).some((i) => i.leaseId === l.id)) {
      // We still hold this lease because our answer for it has not reached the
      // server yet: wait for the queue instead of labeling the same image twice.
      waitingFor.current = l.id;
      setPhase('waiting');
      return;
    }
    const deadline = Date.now() + Math.max(0, Number(l.secondsLeft) || 0) * 1000;
    if (!shownRef.current) setShown({ lease: l, img: null, deadline }); // reserve the space now
    let img;
    try {
      img = await preload(l.image.url);
    } catch (e) {
      if (!alive.current) return;
      setShown({ lease: l, img: null, deadline });
      setBoxes([]);
      setSelectedId(null);
      setImgError(e.message);
      setPhase('ready');
      return;
    }
    if (!alive.current) return;
    setShown({ lease: l, img, deadline });
    setBoxes([]);
    setSelectedId(null);
    zoomRef.current = 1;
    setZoomState(1);
    setPhase('ready');
  }, [jobId, user.id, fail]);

  // First image (once; loadNext's identity may change with its callbacks).
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    loadNext();
  }, [loadNext]);

  // Put the decoded image element in place (no second fetch, no decode on screen).
  useLayoutEffect(() => {
    const host = imgHost.current;
    if (!host) return;
    const img = shown && shown.img;
    if (img) {
      if (host.firstChild !== img) host.replaceChildren(img);
    } else {
      host.replaceChildren();
    }
  }, [shown]);

  // Submit -> next image painted.
  useEffect(() => {
    if (!shown || !shown.img || !measuring.current) return;
    measuring.current = false;
    requestAnimationFrame(() => setTimeout(() => {
      mark('tt-next-image');
      try { performance.measure('tt-submit-to-next-image', 'tt-submit', 'tt-next-image'); } catch (e) { /* no start mark */ }
    }, 0));
  }, [shown]);

  // While an answer waits in the queue, move on as soon as it lands.
  useEffect(() => {
    if (phase !== 'waiting') return undefined;
    let settled = false; // queue events may still arrive before this effect is cleaned up
    const check = (ev) => {
      if (settled || phaseRef.current !== 'waiting') return;
      const id = waitingFor.current;
      if (ev && ev.type === 'rejected' && ev.item.leaseId === id) {
        settled = true;
        const e = ev.error;
        if (e.code === 'lease_expired' || e.code === 'lease_not_live') {
          setCount((c) => Math.max(0, c - 1));
          end('expired', 'Time ran out', 'Your answer reached the server after the time for this image was up, so it was not counted.');
        } else {
          setCount((c) => Math.max(0, c - 1));
          end('error', 'Your answer was refused', e.message);
        }
        return;
      }
      if (!trainQueue.pending(user.id).some((i) => i.leaseId === id)) {
        settled = true;
        loadNext();
      }
    };
    const off = trainQueue.subscribe(check);
    check(null);
    return off;
  }, [phase, user.id, loadNext, end]);

  const submit = useCallback(async (nothing) => {
    if (phaseRef.current !== 'ready' || !shownRef.current || !shownRef.current.img) return;
    const l = shownRef.current.lease;
    if (!nothing && boxes.length === 0) {
      setNotice({ kind: 'info', text: 'Draw at least one box, or choose "Nothing to mark".' });
      return;
    }
    const body = nothing
      ? { boxes: [], nothingToMark: true }
      : { boxes: toImageBoxes(boxes, l.image.width, l.image.height), nothingToMark: false };
    mark('tt-submit');
    measuring.current = true;
    setNotice(null);
    setPhase('sending');
    trainQueue.enqueue({ userId: user.id, jobId, leaseId: l.id, body, takeNext: true });
    const outcomes = await trainQueue.flush(user.id);
    if (!alive.current) return;
    const out = outcomes.get(l.id) ||
      (trainQueue.pending(user.id).some((i) => i.leaseId === l.id) ? { state: 'queued', error: {} } : { state: 'sent' });
    if (out.state === 'sent') {
      setCount((c) => c + 1);
      loadNext(out.next);
    } else if (out.state === 'queued') {
      if (out.error.status === 401) { onAuthLost(); return; }
      waitingFor.current = l.id;
      setCount((c) => c + 1);
      setPhase('waiting');
    } else {
      measuring.current = false;
      const e = out.error;
      if (e.code === 'lease_expired' || e.code === 'lease_not_live') {
        end('expired', 'Time ran out', e.message);
      } else {
        setNotice({ kind: 'error', text: e.message });
        setPhase('ready');
      }
    }
  }, [boxes, jobId, user.id, loadNext, end, onAuthLost]);

  const skip = useCallback(async () => {
    const s = shownRef.current;
    if (!s || (phaseRef.current !== 'ready')) return;
    setNotice(null);
    setPhase('next');
    try {
      await api.releaseLease(s.lease.id);
    } catch (e) {
      if (!alive.current) return;
      if (e.status === 401) { onAuthLost(); return; }
      if (e.transient) { setNotice({ kind: 'error', text: e.message }); setPhase('ready'); return; }
      // 404/409: the lease is already gone; just move on.
    }
    if (alive.current) loadNext();
  }, [loadNext, onAuthLost]);

  const onExpire = useCallback(() => {
    if (phaseRef.current === 'ready' || phaseRef.current === 'loading') {
      end('expired', 'Time ran out',
        'Each image is held for you for a limited time, and the time for this one is up. It went back to the pool and your boxes on it were not sent.');
    }
  }, [end]);

  // --- zoom -------------------------------------------------------------------
  const zoomTo = useCallback((z, cx, cy, panX = 0, panY = 0) => {
    const vp = viewport.current;
    if (!vp) return;
    const cur = zoomRef.current;
    z = clamp(z, 1, MAX_ZOOM);
    const r = vp.getBoundingClientRect();
    const vw = vp.clientWidth || r.width, vh = vp.clientHeight || r.height;
    const ox = (cx == null ? vw / 2 : cx - r.left);
    const oy = (cy == null ? vh / 2 : cy - r.top);
    const fx = (vp.scrollLeft + ox) / (vw * cur);
    const fy = (vp.scrollTop + oy) / (vh * cur);
    const target = { left: fx * vw * z - ox - panX, top: fy * vh * z - oy - panY };
    if (z === cur) { vp.scrollLeft = target.left; vp.scrollTop = target.top; return; }
    pendingScroll.current = target;
    zoomRef.current = z;
    setZoomState(z);
  }, []);
  useLayoutEffect(() => {
    const vp = viewport.current, p = pendingScroll.current;
    if (vp && p) { vp.scrollLeft = p.left; vp.scrollTop = p.top; pendingScroll.current = null; }
  }, [zoom]);
  const onPinch = useCallback((scale, mid, prev) => {
    zoomTo(zoomRef.current * scale, mid.x, mid.y, mid.x - prev.x, mid.y - prev.y);
  }, [zoomTo]);
  useEffect(() => {
    const vp = viewport.current;
    if (!vp) return undefined;
    const onWheel = (e) => {
      if (!e.ctrlKey) return; // plain wheel scrolls the zoomed image
      e.preventDefault();
      zoomTo(zoomRef.current * Math.exp(-e.deltaY * 0.01), e.clientX, e.clientY);
    };
    vp.addEventListener('wheel', onWheel, { passive: false });
    return () => vp.removeEventListener('wheel', onWheel);
  }, [zoomTo, lease && lease.id]);

  // --- box editing ------------------------------------------------------------
  const chooseLabel = (i) => {
    if (i < 0 || i >= labels.length) return;
    // With a box selected the picker relabels it; otherwise it sets the label for new boxes.
    if (selectedId && boxes.some((b) => b.id === selectedId)) {
      setBoxes((bs) => bs.map((b) => (b.id === selectedId ? { ...b, label: labels[i] } : b)));
    } else {
      setLabelIndex(i);
    }
  };
  const relabel = (id, label) => setBoxes((bs) => bs.map((b) => (b.id === id ? { ...b, label } : b)));
  const remove = (id) => {
    setBoxes((bs) => bs.filter((b) => b.id !== id));
    if (id === selectedId) setSelectedId(null);
  };
  const select = (id) => setSelectedId(id);

  // --- keyboard ---------------------------------------------------------------
  useEffect(() => {
    const onKey = (e) => {
      if (help || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target;
      const tag = t && t.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable)) return;
      const k = e.key;
      if (k === '?') { e.preventDefault(); setHelp(true); return; }
      if (phaseRef.current !== 'ready') return;
      if (k === 'Enter') {
        if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY') return; // let the focused control act
        e.preventDefault(); submit(false);
      } else if (k === 's' || k === 'S') { e.preventDefault(); skip(); }
      else if (k === 'n' || k === 'N') { e.preventDefault(); submit(true); }
      else if ((k === 'Delete' || k === 'Backspace') && selectedId) { e.preventDefault(); remove(selectedId); }
      else if (/^[1-9]$/.test(k)) { e.preventDefault(); chooseLabel(Number(k) - 1); }
      else if (k === 'Escape') setSelectedId(null);
      else if (k === '+' || k === '=') zoomTo(zoomRef.current * 1.5);
      else if (k === '-' || k === '_') zoomTo(zoomRef.current / 1.5);
      else if (k === '0') zoomTo(1);
      else if (k.startsWith('Arrow') && selectedId) {
        e.preventDefault();
        const step = e.shiftKey ? 10 : 1;
        const dx = k === 'ArrowLeft' ? -step : k === 'ArrowRight' ? step : 0;
        const dy = k === 'ArrowUp' ? -step : k === 'ArrowDown' ? step : 0;
        setBoxes((bs) => bs.map((b) => (b.id === selectedId ? moved(b, dx, dy, W, H) : b)));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  // --- render -----------------------------------------------------------------
  if (phase === 'ended' && ended) {
    return (
      <main id="main" className="label-screen ended" data-testid="label-ended" data-kind={ended.kind}>
        <div className="card center">
          <h1>{ended.title}</h1>
          <p data-testid="ended-message">{ended.text}</p>
          {count > 0 && <p className="muted">You labeled {count} {count === 1 ? 'image' : 'images'} this time.</p>}
          <div className="row gap">
            <button type="button" className="btn primary" onClick={onExit} autoFocus>Back to jobs</button>
            {(ended.retry || ended.kind === 'expired') && (
              <button type="button" className="btn" onClick={() => { setEnded(null); setShown(null); loadNext(); }}>
                {ended.kind === 'expired' ? 'Get another image' : 'Try again'}
              </button>
            )}
          </div>
        </div>
      </main>
    );
  }

  const busy = phase !== 'ready';
  const selIndex = boxes.findIndex((b) => b.id === selectedId);
  const checked = selIndex >= 0 ? labels.indexOf(boxes[selIndex].label) : labelIndex;
  const canEdit = phase === 'ready' && !!(shown && shown.img);
  return (
    <main id="main" className="label-screen" data-testid="label-screen" data-phase={phase}
      data-lease-id={lease ? lease.id : ''}>
      <div className="label-bar">
        <button type="button" className="btn-ghost back" onClick={onExit} aria-label="Back to jobs">← Jobs</button>
        <h1 className="job-title" title={title}>{title}</h1>
        {queue.pending > 0 && (
          <button type="button" className="unsent" onClick={queue.retry} disabled={queue.flushing}
            data-testid="queue-badge" data-count={queue.pending}
            aria-label={queue.pending + (queue.pending === 1 ? ' answer' : ' answers') + ' not sent yet. Send now'}>
            {queue.flushing ? 'Sending…' : queue.pending + ' unsent'}
          </button>
        )}
        {lease && phase !== 'waiting' && <Countdown deadline={shown.deadline} onExpire={onExpire} />}
        <button type="button" className="btn-ghost icon" onClick={() => setHelp(true)}
          aria-label="Help and keyboard shortcuts" aria-keyshortcuts="?">?</button>
      </div>

      <div className="label-main">
        <div className="stage-col">
          <div
            ref={viewport}
            className={'viewport' + (zoom > 1 ? ' is-zoomed' : '')}
            style={{ aspectRatio: W + ' / ' + H, '--ar': W / H }}
            data-testid="viewport"
          >
            <div className="stage" style={{ width: zoom * 100 + '%', aspectRatio: W + ' / ' + H }}
              data-testid="stage" data-image-width={W} data-image-height={H}>
              <div ref={imgHost} className="img-host" data-testid="img-host" />
              {!(shown && shown.img) && !imgError && <div className="skeleton" aria-hidden="true" />}
              {shown && shown.img && (
                <BoxLayer width={W} height={H} boxes={boxes} selectedId={selectedId}
                  labels={labels} labelIndex={labelIndex} onSelect={select} onChange={setBoxes}
                  onPinch={onPinch} disabled={!canEdit} />
              )}
            </div>
            {imgError && (
              <div className="stage-msg" role="alert">
                <p>{imgError}</p>
                <button type="button" className="btn" onClick={() => { setShown(null); loadNext(); }}>Try again</button>{' '}
                <button type="button" className="btn" onClick={skip}>Skip it</button>
              </div>
            )}
            {phase === 'waiting' && (
              <div className="stage-wait" role="status" data-testid="waiting-message">
                <p><strong>Your answer is saved on this device.</strong></p>
                <p>{queue.online ? 'The server cannot be reached right now.' : 'You seem to be offline.'}{' '}
                  It will be sent by itself when the connection is back, and the next image follows.</p>
                <button type="button" className="btn" onClick={queue.retry} disabled={queue.flushing}>
                  {queue.flushing ? 'Sending…' : 'Try to send now'}
                </button>
              </div>
            )}
            {(phase === 'sending' || phase === 'next' || phase === 'loading') && (
              <div className="stage-busy" role="status">
                <span className="spinner" aria-hidden="true" />
                {phase === 'sending' ? 'Sending…' : 'Loading the next image…'}
              </div>
            )}
          </div>
          <div className="zoom-bar" aria-label="Zoom">
            <button type="button" className="btn-ghost icon" onClick={() => zoomTo(zoomRef.current / 1.5)}
              disabled={zoom <= 1} aria-label="Zoom out">−</button>
            <span className="zoom-val" aria-live="polite">{Math.round(zoom * 100)}%</span>
            <button type="button" className="btn-ghost icon" onClick={() => zoomTo(zoomRef.current * 1.5)}
              disabled={zoom >= MAX_ZOOM} aria-label="Zoom in">+</button>
            <button type="button" className="btn-ghost" onClick={() => zoomTo(1)} disabled={zoom === 1}>Fit</button>
          </div>
        </div>

        <aside className="side">
          {notice && <div className={'msg ' + notice.kind} role={notice.kind === 'error' ? 'alert' : 'status'}
            data-testid="label-notice">{notice.text}</div>}

          <fieldset className="labels" disabled={busy}>
            <legend data-testid="label-legend">{selIndex >= 0
              ? 'Label of box ' + (selIndex + 1) + ' (tap the image to deselect)' : 'Label for new boxes'}</legend>
            <div className="chips" role="radiogroup" aria-label="Label">
              {labels.map((l, i) => {
                const [color] = colorFor(i);
                return (
                  <button key={l} type="button" role="radio" aria-checked={i === checked}
                    className={'chip' + (i === checked ? ' is-on' : '')} onClick={() => chooseLabel(i)}
                    aria-keyshortcuts={i < 9 ? String(i + 1) : undefined} data-label={l}>
                    <span className="swatch" style={{ background: color }} aria-hidden="true" />
                    {i < 9 && <span className="key" aria-hidden="true">{i + 1}</span>}{l}
                  </button>
                );
              })}
            </div>
          </fieldset>

          <div className="actions">
            <button type="button" className="btn" onClick={skip} disabled={busy || !lease}
              aria-keyshortcuts="S" data-testid="skip">Skip</button>
            <button type="button" className="btn" onClick={() => submit(true)} disabled={!canEdit}
              aria-keyshortcuts="N" data-testid="nothing">Nothing to mark</button>
            <button type="button" className="btn primary" onClick={() => submit(false)}
              disabled={!canEdit || boxes.length === 0} aria-keyshortcuts="Enter" data-testid="submit">
              Submit{boxes.length ? ' ' + boxes.length : ''}
            </button>
          </div>

          <BoxList boxes={boxes} labels={labels} selectedId={selectedId} onSelect={select}
            onRelabel={relabel} onDelete={remove} />

          {job && job.instructions && (
            <details className="instructions-box">
              <summary>Instructions</summary>
              <p className="instructions">{job.instructions}</p>
            </details>
          )}
          <p className="muted small">
            {lease ? 'Pays ' + lease.bounty + ' per image once approved. ' : ''}
            {count > 0 ? count + ' done this time. ' : ''}
            Press ? for shortcuts.
          </p>
        </aside>
      </div>
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </main>
  );
}
