// Previous / next links for paged lists; `to(page)` builds each link's href.
export default function Pager({ page, perPage, total, to, label = 'Pages' }) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label={label}>
      {page > 1 ? <a href={to(page - 1)} rel="prev">← Previous</a> : <span aria-hidden="true" className="disabled">← Previous</span>}
      <span aria-current="page">Page {page} of {pages}</span>
      {page < pages ? <a href={to(page + 1)} rel="next">Next →</a> : <span aria-hidden="true" className="disabled">Next →</span>}
    </nav>
  );
}
