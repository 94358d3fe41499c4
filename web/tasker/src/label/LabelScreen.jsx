// Labeling one job: get a lease, show its image, let the tasker draw boxes, submit,
// and go straight on to the next image.
//
// Flow and the one-live-lease rule: the server hands back the SAME live lease while
// one is held, so the next lease can only be asked for once the current train has
// landed. On submit (useSubmit) the train is (1) written to the offline queue, (2) sent
// with ?next=true, (3) the next lease comes in the same answer (or is POSTed for when
// the answer has none for a passing reason); (4) useLease preloads and decodes its
// image off-screen while the current image stays visible (dimmed), then (5) the decoded
// image element is swapped in, in one render. performance.mark/measure 'tt-submit' ->
// 'tt-next-image' brackets this for bench/tasker_next_image.py (useNextImageTiming).
// If the train cannot be sent (offline), it waits in the queue; the screen says so
// and moves on by itself once the queue has delivered it.
//
// What the screen shows is labelReducer.js's state; the hooks do the work and report
// what happened to it; the components below only draw.

import { useCallback, useMemo, useRef } from 'react';
import BoxList from './BoxList.jsx';
import HelpOverlay from './HelpOverlay.jsx';
import LabelActions from './LabelActions.jsx';
import LabelBar from './LabelBar.jsx';
import LabelEnded from './LabelEnded.jsx';
import LabelPicker from './LabelPicker.jsx';
import LabelStage from './LabelStage.jsx';
import ZoomBar from './ZoomBar.jsx';
import { keyCommand } from './labelKeys.js';
import { canEdit as editable, imageSize, labelsFor } from './labelReducer.js';
import useLabelKeys from './useLabelKeys.js';
import useLabelMachine from './useLabelMachine.js';
import useLease from './useLease.js';
import useMounted from './useMounted.js';
import useNextImageTiming from './useNextImageTiming.js';
import useSubmit from './useSubmit.js';
import useZoom from './useZoom.js';

export default function LabelScreen({ user, jobId, job, queue, onExit, onAuthLost }) {
  const [state, dispatch, current] = useLabelMachine();
  const { phase, shown, boxes, selectedId, labelIndex, notice, ended, imgError, count, help } = state;
  const lease = shown && shown.lease;
  const img = shown && shown.img;
  const { width: W, height: H } = imageSize(state);
  const labels = labelsFor(lease, job);
  const title = (job && job.title) || 'Job ' + jobId;

  const mounted = useMounted();
  const timing = useNextImageTiming(img);
  const flow = { jobId, userId: user.id, dispatch, current, mounted, timing, onAuthLost };
  const { loadNext, skip, restart, expired } = useLease(flow);
  const submit = useSubmit({ ...flow, phase, loadNext });
  const viewport = useRef(null);
  const zoom = useZoom(viewport, img);

  // --- box editing ---------------------------------------------------------------
  const select = useCallback((id) => dispatch({ type: 'boxSelected', id }), [dispatch]);
  const change = useCallback((next) => dispatch({ type: 'boxesChanged', boxes: next }), [dispatch]);
  const relabel = useCallback((id, label) => dispatch({ type: 'boxRelabeled', id, label }), [dispatch]);
  const remove = useCallback((id) => dispatch({ type: 'boxDeleted', id }), [dispatch]);
  const chooseLabel = (index) => dispatch({ type: 'labelChosen', index, labels });
  const canEdit = editable(state);
  const editor = useMemo(() => ({
    boxes, selectedId, labels, labelIndex, disabled: !canEdit,
    onSelect: select, onChange: change, onPinch: zoom.onPinch,
  }), [boxes, selectedId, labels, labelIndex, canEdit, select, change, zoom.onPinch]);

  // --- keyboard ------------------------------------------------------------------
  useLabelKeys((e) => {
    const s = current();
    const command = keyCommand(e, { help: s.help, ready: s.phase === 'ready', selected: s.selectedId });
    if (!command) return;
    if (command.prevent) e.preventDefault();
    switch (command.type) {
      case 'help': dispatch({ type: 'helpOpened' }); break;
      case 'submit': submit(command.nothing); break;
      case 'skip': skip(); break;
      case 'delete': remove(s.selectedId); break;
      case 'label': chooseLabel(command.index); break;
      case 'deselect': select(null); break;
      case 'zoomIn': zoom.zoomIn(); break;
      case 'zoomOut': zoom.zoomOut(); break;
      case 'zoomFit': zoom.fit(); break;
      case 'nudge': dispatch({ type: 'boxNudged', dx: command.dx, dy: command.dy }); break;
      default: break;
    }
  });

  // --- render --------------------------------------------------------------------
  if (phase === 'ended' && ended) {
    return <LabelEnded ended={ended} count={count} onExit={onExit} onRestart={restart} />;
  }

  const selIndex = boxes.findIndex((b) => b.id === selectedId);
  const checked = selIndex >= 0 ? labels.indexOf(boxes[selIndex].label) : labelIndex;
  return (
    <main id="main" className="label-screen" data-testid="label-screen" data-phase={phase}
      data-lease-id={lease ? lease.id : ''}>
      <LabelBar title={title} queue={queue} deadline={lease && phase !== 'waiting' ? shown.deadline : null}
        onExpire={expired} onExit={onExit} onHelp={() => dispatch({ type: 'helpOpened' })} />

      <div className="label-main">
        <div className="stage-col">
          <LabelStage viewport={viewport} zoom={zoom.zoom} width={W} height={H} img={img} phase={phase}
            imgError={imgError} queue={queue} editor={editor} onRetry={restart} onSkip={skip} />
          <ZoomBar zoom={zoom.zoom} onZoomIn={zoom.zoomIn} onZoomOut={zoom.zoomOut} onFit={zoom.fit} />
        </div>

        <aside className="side">
          {notice && <div className={'msg ' + notice.kind} role={notice.kind === 'error' ? 'alert' : 'status'}
            data-testid="label-notice">{notice.text}</div>}
          <LabelPicker labels={labels} checked={checked} selIndex={selIndex} disabled={phase !== 'ready'}
            onChoose={chooseLabel} />
          <LabelActions canEdit={canEdit} canSkip={phase === 'ready' && !!lease} boxCount={boxes.length}
            onSkip={skip} onSubmit={submit} />
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
      {help && <HelpOverlay onClose={() => dispatch({ type: 'helpClosed' })} />}
    </main>
  );
}
