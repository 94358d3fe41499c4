import { formatCents, fundedSlots, money, parseCents } from './money.js';

// What activating a draft charges: the slots the budget covers for the images uploaded so far,
// min(images x results per image, floor(budget / bounty)) x bounty. {slots, cents, unfunded} or null.
export function activationCharge(job) {
  return fundedSlots(parseCents(job.budget), parseCents(job.bounty), job.imageCount * job.resultsPerImage);
}

// The sentence under a draft's Activate button.
export default function ActivationHelp({ job, balanceCents }) {
  const charge = activationCharge(job);
  const short = charge && balanceCents !== null && charge.cents > balanceCents;
  let text;
  if (!charge) text = 'Activating moves the cost of the slots the budget covers into escrow.';
  else if (short) {
    text = `Activation charges ${formatCents(charge.cents)} for ${charge.slots} slot${charge.slots === 1 ? '' : 's'}, ` +
      `but your balance is ${formatCents(balanceCents)}. Add funds or lower the budget.`;
  } else {
    text = `Activating charges ${formatCents(charge.cents)}: the ${charge.slots} slot${charge.slots === 1 ? '' : 's'} ` +
      `(${money(job.bounty)} each) the budget covers, moved from your balance into escrow; taskers can then start.`;
  }
  return (
    <p id="activate-help" className={`small ${short ? 'warn' : 'muted'}`}>
      {text}
      {job.imageCount === 0 && ' Upload images first: the job has none yet.'}
      {charge && charge.unfunded > 0 &&
        ` The budget (${money(job.budget)}) covers ${charge.slots} of the ${charge.slots + charge.unfunded} slots; the rest stay unfunded until a top-up.`}
    </p>
  );
}
