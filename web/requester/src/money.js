// Money is handled in integer cents: the API sends decimal strings with two places.

const MONEY_RE = /^\s*(\d{1,9})(?:\.(\d{0,2}))?\s*$/;

// "12.5" -> 1250; returns null when the text is not a non-negative amount with at most two decimals.
export function parseCents(text) {
  if (typeof text === 'number') text = String(text);
  if (typeof text !== 'string') return null;
  const m = MONEY_RE.exec(text);
  if (!m) return null;
  const frac = (m[2] || '').padEnd(2, '0');
  return Number(m[1]) * 100 + Number(frac);
}

// 1250 -> "12.50"
export function formatCents(cents) {
  if (cents === null || cents === undefined || Number.isNaN(cents)) return '–';
  const neg = cents < 0;
  const c = Math.abs(Math.round(cents));
  const s = `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

// For display of an API money string; keeps "–" for missing values.
export function money(text) {
  const c = parseCents(text);
  return c === null ? '–' : formatCents(c);
}

// What a budget buys: cost of one image (resultsPerImage x bounty) and how many images it covers.
export function budgetCoverage(budgetCents, bountyCents, resultsPerImage) {
  if (budgetCents === null || bountyCents === null || !(bountyCents > 0) ||
      !Number.isInteger(resultsPerImage) || resultsPerImage < 1) {
    return null;
  }
  const perImage = bountyCents * resultsPerImage;
  const images = Math.floor(budgetCents / perImage);
  return { perImage, images, results: images * resultsPerImage, leftover: budgetCents - images * perImage };
}

// Cost of labelling `images` images in full.
export function costOf(images, bountyCents, resultsPerImage) {
  return images * bountyCents * resultsPerImage;
}

// What activation (or a top-up) charges: the slots the budget covers, never more than the
// `slotsWanted` the images need. {slots, cents, unfunded}, or null when the inputs are not known.
export function fundedSlots(budgetCents, bountyCents, slotsWanted) {
  if (budgetCents === null || bountyCents === null || !(bountyCents > 0) ||
      !Number.isInteger(slotsWanted) || slotsWanted < 0) {
    return null;
  }
  const slots = Math.min(slotsWanted, Math.floor(budgetCents / bountyCents));
  return { slots, cents: slots * bountyCents, unfunded: slotsWanted - slots };
}
