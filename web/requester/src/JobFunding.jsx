import { money, parseCents, formatCents } from './money.js';
import TopUpForm from './TopUpForm.jsx';

// The job's money: what the escrow holds, the slots paid for and not, the results by review
// state, and (while the job runs) the top-up.
export default function JobFunding({ job, onToppedUp }) {
  const bountyCents = parseCents(job.bounty);
  const worth = (n) => (bountyCents === null ? '–' : formatCents(n * bountyCents));
  const running = job.state === 'active' || job.state === 'paused';
  const facts = [
    ['budget', 'Budget', money(job.budget)],
    ['budgetLeft', 'In escrow', job.state === 'draft' ? 'nothing yet' : money(job.budgetLeft)],
    ['slotsFunded', 'Slots funded', job.slotsFunded ?? '–'],
    ['unfundedSlots', 'Unfunded slots', job.unfundedSlots ?? '–'],
    ['topUpCost', 'Top-up cost', money(job.topUpCost)],
    ['pendingCount', 'Pending review', `${job.pendingCount ?? '–'} (${worth(job.pendingCount ?? 0)})`],
    ['approvedCount', 'Approved', `${job.approvedCount ?? '–'} (${worth(job.approvedCount ?? 0)})`],
    ['rejectedCount', 'Rejected', job.rejectedCount ?? '–'],
  ];
  return (
    <div className="card funding">
      <h2>Money</h2>
      <dl className="facts">
        {facts.map(([key, name, value]) => (
          <div key={key} data-fact={key}><dt>{name}</dt><dd>{value}</dd></div>
        ))}
      </dl>
      <p className="small muted">
        The budget is the most this job spends on bounties. Activation charges only the slots the budget
        covers ({money(job.bounty)} each); images added later are paid for from your balance as far as the
        budget allows, and the rest stay unfunded until a top-up. A bounty stays in escrow until its result is
        approved.
      </p>
      {running && <TopUpForm job={job} onToppedUp={onToppedUp} />}
    </div>
  );
}
