// Sort open jobs by pay or age, and show only those with one label.
const SORT_TEXT = [
  ['-bounty', 'Highest pay first'],
  ['bounty', 'Lowest pay first'],
  ['newest', 'Newest first'],
];

export default function JobFilters({ sort, label, labels, onChange }) {
  return (
    <div className="job-filters" role="group" aria-label="Sort and filter jobs" data-testid="job-filters">
      <div className="filter">
        <label htmlFor="job-sort">Sort</label>
        <select id="job-sort" value={sort} onChange={(e) => onChange({ sort: e.target.value, label })}>
          {SORT_TEXT.map(([value, text]) => <option key={value} value={value}>{text}</option>)}
        </select>
      </div>
      <div className="filter">
        <label htmlFor="job-label">Label</label>
        <select id="job-label" value={label} onChange={(e) => onChange({ sort, label: e.target.value })}>
          <option value="">All labels</option>
          {labels.map((l) => <option key={l} value={l}>{l}</option>)}
        </select>
      </div>
      {label && (
        <button type="button" className="btn-ghost clear-filter" onClick={() => onChange({ sort, label: '' })}
          aria-label={'Show jobs with any label, not only ' + label}>Clear</button>
      )}
    </div>
  );
}
