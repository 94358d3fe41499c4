// The app's four places: open jobs, the tasker's results, earnings, accuracy. A bar at the
// bottom of a phone's screen (in reach of the thumb), tabs in the header on a desktop.
const TABS = [
  ['jobs', 'Jobs', '#/jobs'],
  ['history', 'History', '#/history'],
  ['earnings', 'Earnings', '#/earnings'],
  ['accuracy', 'Accuracy', '#/accuracy'],
];

export default function NavTabs({ view }) {
  return (
    <nav className="main-nav" aria-label="Main">
      {TABS.map(([name, text, href]) => (
        <a key={name} href={href} aria-current={view === name ? 'page' : undefined} data-testid={'nav-' + name}>
          {text}
        </a>
      ))}
    </nav>
  );
}
