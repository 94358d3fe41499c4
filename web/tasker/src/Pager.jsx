// Newer / older pages of a list that is newest first.
export default function Pager({ page, perPage, total, onPage }) {
  const last = Math.max(1, Math.ceil(total / perPage));
  if (last <= 1 && page <= 1) return null;
  return (
    <nav className="pager" aria-label="Pages" data-testid="pager">
      <button type="button" className="btn" disabled={page <= 1} onClick={() => onPage(page - 1)}
        aria-label="Newer results" data-testid="newer-page">← Newer</button>
      <span className="pager-info" data-testid="page-info" aria-live="polite">Page {page} of {last}</span>
      <button type="button" className="btn" disabled={page >= last} onClick={() => onPage(page + 1)}
        aria-label="Older results" data-testid="older-page">Older →</button>
    </nav>
  );
}
