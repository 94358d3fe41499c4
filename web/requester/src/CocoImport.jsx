import { useRef, useState } from 'react';
import { Api } from './api.js';
import { cocoImported } from './goldDraft.js';

// Gold answers from a COCO annotation file: the file as it is to POST .../gold/coco; the
// count marked, or the server's reason (an unknown image or category, a box outside).
export default function CocoImport({ job, onImported }) {
  const input = useRef(null);
  const [file, setFile] = useState(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null); // {ok, text}

  const send = async (e) => {
    e.preventDefault();
    if (!file) { setResult({ ok: false, text: 'Choose a COCO annotation file (JSON) first.' }); return; }
    setBusy(true); setResult(null);
    try {
      const answer = await Api.importCoco(job.id, file);
      setResult({ ok: true, text: cocoImported(answer) });
      setFile(null);
      if (input.current) input.current.value = '';
      onImported(answer);
    } catch (err) {
      setResult({ ok: false, text: err.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card coco-import" onSubmit={send} aria-labelledby="coco-title">
      <h2 id="coco-title">Import gold answers (COCO)</h2>
      <p className="muted small">
        A COCO file whose images are named as you uploaded them (or as the export names them) and whose
        categories are this job&apos;s labels. An image listed without annotations has nothing to mark.
        All or nothing: a file that does not match the job changes nothing.
      </p>
      <div className="coco-row">
        <input ref={input} type="file" id="coco-file" accept=".json,application/json" aria-label="COCO annotation file"
          onChange={(e) => { setFile(e.target.files[0] || null); setResult(null); }} />
        <button type="submit" disabled={busy}>{busy ? 'Importing…' : 'Import'}</button>
      </div>
      {result && (
        <p className={result.ok ? 'ok' : 'error-box'} role={result.ok ? 'status' : 'alert'} data-testid="coco-result">
          {result.text}
        </p>
      )}
    </form>
  );
}
