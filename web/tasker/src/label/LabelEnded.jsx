// The end of a labeling session: why (no more work, job closed, blocked, time ran out, an error),
// how many images were answered, and the way back or on.
export default function LabelEnded({ ended, count, onExit, onRestart }) {
  return (
    <main id="main" className="label-screen ended" data-testid="label-ended" data-kind={ended.kind}>
      <div className="card center">
        <h1>{ended.title}</h1>
        <p data-testid="ended-message">{ended.text}</p>
        {ended.kind === 'blocked' && <p><a href="#/accuracy" data-testid="ended-accuracy">See your accuracy</a></p>}
        {count > 0 && <p className="muted">You labeled {count} {count === 1 ? 'image' : 'images'} this time.</p>}
        <div className="row gap">
          <button type="button" className="btn primary" onClick={onExit} autoFocus>Back to jobs</button>
          {(ended.retry || ended.kind === 'expired') && (
            <button type="button" className="btn" onClick={onRestart}>
              {ended.kind === 'expired' ? 'Get another image' : 'Try again'}
            </button>
          )}
        </div>
      </div>
    </main>
  );
}
