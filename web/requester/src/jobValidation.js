// Pure checks for the job form (no DOM): used as the requester types, and by the unit tests.
import { parseCents, budgetCoverage, formatCents } from './money.js';
import { qualityToForm, validateQuality, qualityPayload } from './qualityForm.js';

export const LIMITS = {
  name: 64, title: 120, description: 4000, instructions: 4000,
  label: 40, labels: 50, resultsPerImage: 100, bountyMaxCents: 100000, autoApproveAfterHours: 8760,
};

export const DEFAULT_AUTO_APPROVE_HOURS = 72;

export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function emptyJob() {
  return {
    name: '', title: '', description: '', instructions: '', labels: [],
    bounty: '0.05', resultsPerImage: '3', budget: '', startTime: '', endTime: '',
    autoApproveAfterHours: String(DEFAULT_AUTO_APPROVE_HOURS),
    ...qualityToForm(null),
  };
}

// "2026-11-26T16:00" (local, from <input type=datetime-local>) -> "2026-11-26T15:00:00Z"
export function localToIso(local) {
  if (!local) return null;
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return undefined;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// "2026-11-26T15:00:00Z" -> "2026-11-26T16:00" in the browser's zone.
export function isoToLocal(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function jobToForm(job) {
  return {
    name: job.name || '', title: job.title || '', description: job.description || '',
    instructions: job.instructions || '', labels: [...(job.labels || [])],
    bounty: job.bounty || '', resultsPerImage: String(job.resultsPerImage ?? ''), budget: job.budget || '',
    startTime: isoToLocal(job.startTime), endTime: isoToLocal(job.endTime),
    autoApproveAfterHours: String(job.autoApproveAfterHours ?? DEFAULT_AUTO_APPROVE_HOURS),
    ...qualityToForm(job.quality),
  };
}

// A label the tag input may add; returns an error sentence or null.
export function labelError(label, existing) {
  const t = label.trim();
  if (!t) return 'A label cannot be empty.';
  if (t.length > LIMITS.label) return `A label has at most ${LIMITS.label} characters.`;
  if (t.includes(',')) return 'A label cannot contain a comma.';
  if (existing.some((l) => l.toLowerCase() === t.toLowerCase())) return `"${t}" is already a label.`;
  if (existing.length >= LIMITS.labels) return `At most ${LIMITS.labels} labels.`;
  return null;
}

// Returns {errors: {field: sentence}, warnings: {field: sentence}, coverage, bountyCents, budgetCents, rpi}.
// A warning does not stop saving: a budget above the balance is allowed, since activation
// charges only the slots the budget covers for the images uploaded by then.
// `opts.balanceCents` (number|null): the requester's balance; `opts.imageCount`: images already uploaded;
// `opts.locked`: fields that cannot change any more (job no longer a draft); `opts.now`: Date for tests.
export function validateJob(v, opts = {}) {
  const errors = {};
  const warnings = {};
  const locked = opts.locked || false;
  const now = opts.now || new Date();

  const name = v.name.trim();
  if (!name) errors.name = 'Give the job a short name.';
  else if (name.length > LIMITS.name) errors.name = `At most ${LIMITS.name} characters.`;
  else if (!NAME_RE.test(name)) errors.name = 'Use letters, digits, dots, dashes and underscores, starting with a letter or digit.';

  const title = v.title.trim();
  if (!title) errors.title = 'Taskers see the title first; it cannot be empty.';
  else if (title.length > LIMITS.title) errors.title = `At most ${LIMITS.title} characters.`;

  if (v.description.length > LIMITS.description) errors.description = `At most ${LIMITS.description} characters.`;

  const instr = v.instructions.trim();
  if (!instr) errors.instructions = 'Tell taskers what to mark.';
  else if (instr.length > LIMITS.instructions) errors.instructions = `At most ${LIMITS.instructions} characters.`;

  if (!v.labels.length) errors.labels = 'Add at least one label (type it and press Enter).';

  const bountyCents = parseCents(v.bounty);
  if (String(v.bounty).trim() === '') errors.bounty = 'Enter the bounty paid per result.';
  else if (bountyCents === null) errors.bounty = 'Enter an amount like 0.05 (at most two decimals).';
  else if (bountyCents <= 0) errors.bounty = 'The bounty must be more than 0.00.';
  else if (bountyCents > LIMITS.bountyMaxCents) errors.bounty = 'That bounty is implausibly high.';

  const rpiText = String(v.resultsPerImage).trim();
  const rpi = /^\d+$/.test(rpiText) ? Number(rpiText) : NaN;
  if (!rpiText) errors.resultsPerImage = 'How many taskers should label each image?';
  else if (!Number.isInteger(rpi) || rpi < 1 || rpi > LIMITS.resultsPerImage) {
    errors.resultsPerImage = `A whole number from 1 to ${LIMITS.resultsPerImage}.`;
  }

  const budgetCents = parseCents(v.budget);
  const coverage = budgetCoverage(budgetCents, bountyCents, Number.isInteger(rpi) ? rpi : null);
  if (String(v.budget).trim() === '') errors.budget = 'Enter the budget for the whole job.';
  else if (budgetCents === null) errors.budget = 'Enter an amount like 50.00 (at most two decimals).';
  else if (budgetCents <= 0) errors.budget = 'The budget must be more than 0.00.';
  else if (coverage && coverage.images < 1) {
    errors.budget = `The budget must cover at least one image (${formatCents(coverage.perImage)}).`;
  } else if (!locked && opts.balanceCents !== null && opts.balanceCents !== undefined && budgetCents > opts.balanceCents) {
    warnings.budget = `Your balance is ${formatCents(opts.balanceCents)}. Activation charges only the slots the budget ` +
      'covers for the images you upload; add funds before activating if they cost more than your balance.';
  }

  const hoursText = String(v.autoApproveAfterHours ?? '').trim();
  const hours = /^\d+$/.test(hoursText) ? Number(hoursText) : NaN;
  if (!hoursText) errors.autoApproveAfterHours = 'How many hours after submission should a result be approved automatically?';
  else if (!Number.isInteger(hours) || hours > LIMITS.autoApproveAfterHours) {
    errors.autoApproveAfterHours = `A whole number of hours from 0 to ${LIMITS.autoApproveAfterHours} (a year).`;
  }

  const start = v.startTime ? new Date(v.startTime) : null;
  const end = v.endTime ? new Date(v.endTime) : null;
  if (start && Number.isNaN(start.getTime())) errors.startTime = 'Not a valid date and time.';
  if (end && Number.isNaN(end.getTime())) errors.endTime = 'Not a valid date and time.';
  else if (end && end <= now) errors.endTime = 'The end must be in the future.';
  else if (start && end && end <= start) errors.endTime = 'The end must be after the start.';

  Object.assign(errors, validateQuality(v, { rpi }));

  return { errors, warnings, coverage, bountyCents, budgetCents, rpi };
}

// The POST/PATCH body. For a non-draft job only the fields the API lets change are sent.
export function toPayload(v, { locked = false } = {}) {
  const body = {
    name: v.name.trim(),
    title: v.title.trim(),
    description: v.description.trim(),
    instructions: v.instructions.trim(),
    startTime: localToIso(v.startTime) ?? null,
    endTime: localToIso(v.endTime) ?? null,
    quality: qualityPayload(v, { locked }),
  };
  if (!locked) {
    body.labels = v.labels.map((l) => l.trim());
    body.bounty = formatCents(parseCents(v.bounty));
    body.budget = formatCents(parseCents(v.budget));
    body.resultsPerImage = Number(String(v.resultsPerImage).trim());
    body.autoApproveAfterHours = Number(String(v.autoApproveAfterHours).trim());
    body.type = 'ImageRegion';
  }
  return body;
}
