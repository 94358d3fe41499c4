import { useState } from 'react';
import { EXPORT_FORMATS, exportUrl, errorFrom, buildUrl } from './api.js';

function filenameFrom(disposition, fallback) {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) { try { return decodeURIComponent(star[1]); } catch { /* fall through */ } }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : fallback;
}

const EXT = { coco: 'json', yolo: 'zip', voc: 'zip', csv: 'csv', jsonl: 'jsonl' };

// Download links for every export format. The links work on their own (right-click, copy);
// a click fetches first so a server error is shown here instead of being saved as a file.
export default function ExportPanel({ job }) {
  const [onlyFinished, setOnlyFinished] = useState(false);
  const [status, setStatus] = useState({}); // format -> {busy, error, done}

  const download = async (e, format, url) => {
    e.preventDefault();
    setStatus((s) => ({ ...s, [format]: { busy: true } }));
    try {
      const res = await fetch(url, { credentials: 'same-origin' });
      if (!res.ok) {
        let body = null;
        try { body = await res.json(); } catch { /* not JSON */ }
        const err = errorFrom(res.status, body);
        throw new Error(res.status === 404 && !body ? 'The export is not available from the server yet.' : err.message);
      }
      const blob = await res.blob();
      const name = filenameFrom(res.headers.get('Content-Disposition'),
        `${job.name}${onlyFinished ? '-finished' : ''}-${format}.${EXT[format] || 'dat'}`);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 60000);
      setStatus((s) => ({ ...s, [format]: { done: `Saved ${name} (${blob.size.toLocaleString()} bytes).` } }));
    } catch (err) {
      setStatus((s) => ({ ...s, [format]: { error: err.message || 'Cannot reach the server.' } }));
    }
  };

  const csvUrl = buildUrl(`/api/jobs/${job.id}/trains`, { format: 'csv' });
  return (
    <div className="export-panel">
      <h2>Download results</h2>
      <p className="muted small">
        Boxes are in original image pixels. An image is finished when it has all {job.resultsPerImage} result{job.resultsPerImage === 1 ? '' : 's'}.
      </p>
      <fieldset className="scope">
        <legend>Images to include</legend>
        <label><input type="radio" name="export-scope" checked={!onlyFinished} onChange={() => setOnlyFinished(false)} /> All images</label>
        <label><input type="radio" name="export-scope" checked={onlyFinished} onChange={() => setOnlyFinished(true)} /> Only finished images</label>
      </fieldset>
      <ul className="export-list">
        {EXPORT_FORMATS.map((f) => {
          const url = exportUrl(job.id, f.id, onlyFinished);
          const st = status[f.id] || {};
          return (
            <li key={f.id} className="card">
              <div>
                <a href={url} download className="button" data-format={f.id} onClick={(e) => download(e, f.id, url)}
                  aria-describedby={`exp-${f.id}-desc`}>
                  {st.busy ? `Preparing ${f.name}…` : `Download ${f.name}`}
                </a>
              </div>
              <p id={`exp-${f.id}-desc`} className="small muted">{f.desc}</p>
              <p className="small" role="status">
                {st.error && <span className="warn">{st.error}</span>}
                {st.done && <span className="ok">{st.done}</span>}
              </p>
            </li>
          );
        })}
      </ul>
      <p className="small">Raw results, one row per box: <a href={csvUrl} download={`${job.name}-results.csv`}>results CSV</a>.</p>
    </div>
  );
}
