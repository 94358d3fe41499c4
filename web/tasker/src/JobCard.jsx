// One open job: title, pay, images left, labels, review window, instructions.
import { reviewWindowText } from './format.js';

export default function JobCard({ job: j, onPick }) {
  const left = j.imagesLeftForMe;
  const review = reviewWindowText(j.autoApproveAfterHours);
  return (
    <article className="card job" data-testid="job-card" data-job-id={j.id} data-bounty={j.bounty}>
      <h2>{j.title}</h2>
      <div className="job-facts">
        <span><span className="muted">Pays</span> <strong>{j.bounty}</strong> <span className="muted">per image</span></span>
        <span><strong data-testid="images-left">{left}</strong> <span className="muted">{left === 1 ? 'image' : 'images'} left for you</span></span>
      </div>
      {j.labels && j.labels.length > 0 && (
        <p className="small"><span className="muted">Mark:</span> <span data-testid="job-labels">{j.labels.join(', ')}</span></p>
      )}
      {review && <p className="small muted" data-testid="review-window">{review}</p>}
      {j.instructions && (
        <details>
          <summary>Instructions</summary>
          <p className="instructions">{j.instructions}</p>
        </details>
      )}
      <button type="button" className="btn primary wide" disabled={left === 0}
        onClick={() => onPick(j)} aria-label={'Start labeling: ' + j.title}>
        {left === 0 ? 'Nothing left for you' : 'Start labeling'}
      </button>
    </article>
  );
}
