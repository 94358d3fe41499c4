import { money } from './money.js';

// Instructions as taskers read them: paragraphs, and "- " / "* " lines as bullet lists. Plain text only.
export function InstructionsText({ text }) {
  const blocks = [];
  let list = null;
  text.split('\n').forEach((line, i) => {
    const m = /^\s*[-*]\s+(.*)$/.exec(line);
    if (m) {
      if (!list) { list = []; blocks.push({ list, key: i }); }
      list.push(m[1]);
    } else {
      list = null;
      if (line.trim()) blocks.push({ text: line, key: i });
    }
  });
  return blocks.map((b) => (b.list
    ? <ul key={b.key}>{b.list.map((t, j) => <li key={j}>{t}</li>)}</ul>
    : <p key={b.key}>{b.text}</p>));
}

// A mock-up of the tasker's screen for this job.
export default function TaskerPreview({ title, description, instructions, labels, bounty }) {
  return (
    <section className="tasker-preview" aria-labelledby="preview-title">
      <h2 id="preview-title">What taskers will see</h2>
      <div className="preview-frame">
        <div className="preview-head">
          <strong>{title.trim() || 'Your title'}</strong>
          <span className="bounty">{money(bounty)} per image</span>
        </div>
        {description.trim() && <p className="muted small">{description}</p>}
        <div className="instructions">
          {instructions.trim() ? <InstructionsText text={instructions} /> : <p className="muted">Your instructions appear here.</p>}
        </div>
        <div className="preview-canvas" aria-hidden="true">
          <div className="fake-box c0"><span>{labels[0] || 'label'}</span></div>
        </div>
        <div className="preview-labels">
          {labels.length
            ? labels.map((l, i) => <span key={l} className={`tag c${i % 10}`}>{l}</span>)
            : <span className="muted small">Labels to choose from appear here.</span>}
        </div>
        <div className="preview-actions" aria-hidden="true">
          <span className="fake-button">Nothing to mark</span><span className="fake-button primary">Submit</span>
        </div>
      </div>
    </section>
  );
}
