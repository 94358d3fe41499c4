// The job form's "Quality" section, pure (no DOM): the job's `quality` object as form
// values, their checks, and the object sent back. Shares (thresholds) are typed as whole
// percentages and sent in hundredths (70 -> 0.7); a gold rate of N means "one image in N",
// 0 none.

export const AUTO_REVIEW = [
  { id: 'off', name: 'Off', desc: 'You approve and reject every result yourself.' },
  { id: 'hold', name: 'Approve agreeing results, hold the others',
    desc: 'Results that agree with the other taskers are approved; the others wait for you.' },
  { id: 'reject', name: 'Approve agreeing results, reject the others',
    desc: 'Results that agree are approved; the others are rejected with a reason.' },
];

export const QUALITY_DEFAULTS = {
  iouThreshold: 0.5, minResultsPerImage: null, agreementThreshold: 0.7, autoReview: 'off',
  goldRate: { early: 10, earlyImages: 20, later: 20 }, goldAnswersPerImage: 30, accuracyThreshold: 0.7, minGoldAnswers: 3,
};

// The form's quality fields, their ids in the form (job-<field>), in the order shown.
export const QUALITY_FIELDS = ['qAgreement', 'qIou', 'qMinResults', 'qGoldEarly', 'qGoldEarlyImages', 'qGoldLater',
  'qGoldAnswers', 'qAccuracy', 'qMinGold'];

// Fields the API lets change only while the job is a draft.
export const DRAFT_ONLY = ['qAdaptive', 'qMinResults', 'qGoldAnswers'];

const percent = (share) => String(Math.round(Number(share) * 100));

// The job's `quality` (or the defaults) as form values.
export function qualityToForm(quality) {
  const q = { ...QUALITY_DEFAULTS, ...(quality || {}) };
  const rate = { ...QUALITY_DEFAULTS.goldRate, ...(q.goldRate || {}) };
  return {
    qAgreement: percent(q.agreementThreshold),
    qIou: percent(q.iouThreshold),
    qAutoReview: q.autoReview,
    qAdaptive: q.minResultsPerImage !== null && q.minResultsPerImage !== undefined,
    qMinResults: String(q.minResultsPerImage ?? 1),
    qGoldEarly: String(rate.early),
    qGoldEarlyImages: String(rate.earlyImages),
    qGoldLater: String(rate.later),
    qGoldAnswers: String(q.goldAnswersPerImage),
    qAccuracy: percent(q.accuracyThreshold),
    qMinGold: String(q.minGoldAnswers),
  };
}

function whole(text) {
  const t = String(text ?? '').trim();
  return /^\d+$/.test(t) ? Number(t) : NaN;
}

// {field: sentence} for the quality fields; `rpi` is the results per image typed (a number
// or NaN), the most adaptive redundancy may offer an image to.
export function validateQuality(v, { rpi } = {}) {
  const errors = {};
  const inRange = (field, lo, hi, what) => {
    const n = whole(v[field]);
    if (!Number.isInteger(n) || n < lo || n > hi) errors[field] = `${what} from ${lo} to ${hi}.`;
    return n;
  };
  inRange('qAgreement', 0, 100, 'A whole percentage');
  inRange('qIou', 1, 100, 'A whole percentage');
  inRange('qAccuracy', 0, 100, 'A whole percentage');
  if (v.qAdaptive) {
    const most = Number.isInteger(rpi) && rpi >= 1 ? rpi : 100;
    inRange('qMinResults', 1, most, 'A whole number (at most the results per image)');
  }
  inRange('qGoldEarly', 0, 1000, 'A whole number');
  inRange('qGoldEarlyImages', 0, 100000, 'A whole number');
  inRange('qGoldLater', 0, 1000, 'A whole number');
  inRange('qGoldAnswers', 1, 10000, 'A whole number');
  inRange('qMinGold', 1, 1000, 'A whole number');
  if (!AUTO_REVIEW.some((a) => a.id === v.qAutoReview)) errors.qAutoReview = 'Choose what automatic review does.';
  return errors;
}

// The `quality` object of a POST/PATCH body. For a job no longer a draft, the fields that
// change only in draft are left out (the job keeps them).
export function qualityPayload(v, { locked = false } = {}) {
  const share = (text) => whole(text) / 100;
  const body = {
    iouThreshold: share(v.qIou),
    agreementThreshold: share(v.qAgreement),
    autoReview: v.qAutoReview,
    goldRate: { early: whole(v.qGoldEarly), earlyImages: whole(v.qGoldEarlyImages), later: whole(v.qGoldLater) },
    accuracyThreshold: share(v.qAccuracy),
    minGoldAnswers: whole(v.qMinGold),
  };
  if (!locked) {
    body.minResultsPerImage = v.qAdaptive ? whole(v.qMinResults) : null;
    body.goldAnswersPerImage = whole(v.qGoldAnswers);
  }
  return body;
}

// "1 in 10 of a tasker's first 20 images, then 1 in 20", or why there are none.
export function goldRateText(v) {
  const early = whole(v.qGoldEarly);
  const first = whole(v.qGoldEarlyImages);
  const later = whole(v.qGoldLater);
  if (![early, first, later].every(Number.isInteger)) return '';
  const one = (n) => (n === 0 ? 'no gold image' : n === 1 ? 'every image a gold image' : `1 gold image in ${n}`);
  if (first === 0 || early === later) return `Each tasker gets ${one(later)}.`;
  return `Each tasker gets ${one(early)} of their first ${first} images, then ${one(later)}.`;
}
