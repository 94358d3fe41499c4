// The image and what lies over it: a shimmer until it has loaded (its space reserved
// with the lease's aspect ratio, so nothing jumps), the box editor, and the messages
// while an answer is sent, waits in the queue, or the next image comes. The decoded
// <img> from useLease is put in place as it is: no second fetch, no decode on screen.
import { useLayoutEffect, useRef } from 'react';
import BoxLayer from '../../../shared/boxes/BoxLayer.jsx';

function StageMessages({ phase, imgError, queue, onRetry, onSkip }) {
  return (
    <>
      {imgError && (
        <div className="stage-msg" role="alert">
          <p>{imgError}</p>
          <button type="button" className="btn" onClick={onRetry}>Try again</button>{' '}
          <button type="button" className="btn" onClick={onSkip}>Skip it</button>
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
    </>
  );
}

export default function LabelStage({
  viewport, zoom, width: W, height: H, img, phase, imgError, queue, editor, onRetry, onSkip,
}) {
  const host = useRef(null);
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    if (img) {
      if (el.firstChild !== img) el.replaceChildren(img);
    } else {
      el.replaceChildren();
    }
  }, [img]);

  return (
    <div
      ref={viewport}
      className={'viewport' + (zoom > 1 ? ' is-zoomed' : '')}
      style={{ aspectRatio: W + ' / ' + H, '--ar': W / H }}
      data-testid="viewport"
    >
      <div className="stage" style={{ width: zoom * 100 + '%', aspectRatio: W + ' / ' + H }}
        data-testid="stage" data-image-width={W} data-image-height={H}>
        <div ref={host} className="img-host" data-testid="img-host" />
        {!img && !imgError && <div className="skeleton" aria-hidden="true" />}
        {img && <BoxLayer width={W} height={H} {...editor} />}
      </div>
      <StageMessages phase={phase} imgError={imgError} queue={queue} onRetry={onRetry} onSkip={onSkip} />
    </div>
  );
}
