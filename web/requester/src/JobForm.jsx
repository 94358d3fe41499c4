import { useEffect, useRef, useState } from 'react';
import { Api } from './api.js';
import { useSession } from './session.js';
import { href } from './router.js';
import { formatCents, parseCents, costOf } from './money.js';
import { emptyJob, jobToForm, validateJob, toPayload, LIMITS } from './jobValidation.js';
import Field from '../../shared/Field.jsx';
import TagInput from './TagInput.jsx';
import TaskerPreview from './TaskerPreview.jsx';
import QualityFields from './QualityFields.jsx';
import { QUALITY_FIELDS } from './qualityForm.js';

const ORDER = ['name', 'title', 'description', 'instructions', 'labels', 'bounty', 'resultsPerImage', 'budget',
  'autoApproveAfterHours', ...QUALITY_FIELDS, 'startTime', 'endTime'];

export default function JobForm({ job = null, onSaved }) {
  const { me, refreshMe } = useSession();
  const [v, setV] = useState(() => (job ? jobToForm(job) : emptyJob()));
  const [touched, setTouched] = useState({});
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState('');
  const formRef = useRef(null);
  const locked = Boolean(job && job.state !== 'draft');

  useEffect(() => { refreshMe(); }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const balanceCents = parseCents(me?.balance);
  const { errors, warnings, coverage, bountyCents, budgetCents, rpi } = validateJob(v, { balanceCents, locked });
  const shown = (f) => (touched[f] ? errors[f] : undefined);
  const set = (f) => (e) => { setV((old) => ({ ...old, [f]: e.target.value })); setTouched((t) => ({ ...t, [f]: true })); };
  const touch = (f) => () => setTouched((t) => ({ ...t, [f]: true }));

  const submit = async (e) => {
    e.preventDefault();
    setTouched(Object.fromEntries(ORDER.map((f) => [f, true])));
    const first = ORDER.find((f) => errors[f]);
    if (first) {
      formRef.current?.querySelector(`#job-${first}`)?.focus();
      return;
    }
    setBusy(true); setServerError('');
    try {
      const body = toPayload(v, { locked });
      const saved = job ? await Api.updateJob(job.id, body) : await Api.createJob(body);
      onSaved(saved);
    } catch (err) {
      setServerError(err.message);
      setBusy(false);
    }
  };

  const imageCount = job ? job.imageCount : 0;
  let coverageText = 'Enter the bounty, results per image and budget to see what the budget buys.';
  if (coverage) {
    coverageText = `Each image costs ${rpi} × ${formatCents(bountyCents)} = ${formatCents(coverage.perImage)}. ` +
      `This budget covers ${coverage.images.toLocaleString()} image${coverage.images === 1 ? '' : 's'} ` +
      `(${coverage.results.toLocaleString()} results)` +
      (coverage.leftover ? `; ${formatCents(coverage.leftover)} would stay unused.` : '.');
  }
  const shortfall = coverage && imageCount > coverage.images
    ? `This job already has ${imageCount} images; labelling all of them needs ${formatCents(costOf(imageCount, bountyCents, rpi))}.`
    : '';

  return (
    <div>
      <div className="page-head">
        <h1>{job ? `Edit ${job.name}` : 'New job'}</h1>
        <a href={href(job ? `/jobs/${job.id}` : '/jobs')}>Cancel</a>
      </div>
      <div className="form-layout">
        <form ref={formRef} onSubmit={submit} noValidate className="card job-form" aria-describedby="job-form-intro">
          <p id="job-form-intro" className="muted small">
            The job is saved as a draft. Upload images, then activate it: activation moves the cost of the
            slots the budget covers from your balance into escrow, and taskers start working.
          </p>
          <fieldset>
            <legend>About the job</legend>
            <Field id="job-name" label="Name" hint="A short identifier, used in export file names (e.g. cars-2026)." error={shown('name')}>
              <input type="text" value={v.name} onChange={set('name')} onBlur={touch('name')} maxLength={LIMITS.name + 10} autoComplete="off" />
            </Field>
            <Field id="job-title" label="Title" hint="What taskers see first in their list of jobs." error={shown('title')}>
              <input type="text" value={v.title} onChange={set('title')} onBlur={touch('title')} />
            </Field>
            <Field id="job-description" label="Description (optional)" hint="A sentence or two about the images." error={shown('description')}>
              <textarea rows={2} value={v.description} onChange={set('description')} onBlur={touch('description')} />
            </Field>
            <Field id="job-instructions" label="Instructions" hint='What to mark and how. Lines starting with "- " become a list.' error={shown('instructions')}>
              <textarea rows={5} value={v.instructions} onChange={set('instructions')} onBlur={touch('instructions')} />
            </Field>
            <Field id="job-labels" label="Labels" hint={locked ? 'Labels cannot change once the job is active.' : 'Type a label and press Enter. Taskers pick one for every box.'} error={shown('labels')}>
              <TagInput value={v.labels} disabled={locked}
                onChange={(labels) => { setV((old) => ({ ...old, labels })); setTouched((t) => ({ ...t, labels: true })); }}
                onTouched={touch('labels')} />
            </Field>
          </fieldset>
          <fieldset>
            <legend>Pay and budget</legend>
            <div className="row3">
              <Field id="job-bounty" label="Bounty per result" hint="Paid for each approved result." error={shown('bounty')}>
                <input type="text" inputMode="decimal" value={v.bounty} onChange={set('bounty')} onBlur={touch('bounty')} disabled={locked} />
              </Field>
              <Field id="job-resultsPerImage" label="Results per image" hint="Taskers per image (1–100)." error={shown('resultsPerImage')}>
                <input type="number" min="1" max={LIMITS.resultsPerImage} step="1" value={v.resultsPerImage}
                  onChange={set('resultsPerImage')} onBlur={touch('resultsPerImage')} disabled={locked} />
              </Field>
              <Field id="job-budget" label="Budget" error={shown('budget')}
                hint={warnings.budget ? <span className="warn">{warnings.budget}</span> : `The most the job spends on bounties. Your balance: ${me ? formatCents(balanceCents) : '…'}`}>
                <input type="text" inputMode="decimal" value={v.budget} onChange={set('budget')} onBlur={touch('budget')} disabled={locked} />
              </Field>
            </div>
            <p className={`coverage ${coverage && coverage.images > 0 && !errors.budget ? 'ok' : ''}`} id="job-coverage" aria-live="polite">
              {coverageText} {shortfall && <strong className="warn">{shortfall}</strong>}
            </p>
          </fieldset>
          <fieldset>
            <legend>Review</legend>
            <Field id="job-autoApproveAfterHours" label="Approve automatically after (hours)" error={shown('autoApproveAfterHours')}
              className="short-field"
              hint={locked
                ? 'This cannot change once the job is active.'
                : `Results you have not approved or rejected by then are approved and paid (0 to ${LIMITS.autoApproveAfterHours}; 0 approves each result at once, by the next sweep).`}>
              <input type="number" min="0" max={LIMITS.autoApproveAfterHours} step="1" value={v.autoApproveAfterHours}
                onChange={set('autoApproveAfterHours')} onBlur={touch('autoApproveAfterHours')} disabled={locked} />
            </Field>
          </fieldset>
          <QualityFields v={v} set={set} touch={touch} shown={shown} locked={locked} rpi={rpi}
            onAdaptive={(on) => setV((old) => ({ ...old, qAdaptive: on }))} />
          <fieldset>
            <legend>Schedule (optional)</legend>
            <div className="row2">
              <Field id="job-startTime" label="Start" hint="Empty: as soon as you activate." error={shown('startTime')}>
                <input type="datetime-local" value={v.startTime} onChange={set('startTime')} onBlur={touch('startTime')} />
              </Field>
              <Field id="job-endTime" label="End" hint="Empty: until finished or the budget runs out." error={shown('endTime')}>
                <input type="datetime-local" value={v.endTime} onChange={set('endTime')} onBlur={touch('endTime')} />
              </Field>
            </div>
          </fieldset>
          {serverError && <p className="error-box" role="alert">{serverError}</p>}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Saving…' : job ? 'Save changes' : 'Create job'}
            </button>
            {Object.keys(errors).length > 0 && Object.keys(touched).length > 0 && (
              <span className="muted small">{Object.keys(errors).length} field{Object.keys(errors).length === 1 ? '' : 's'} to fix.</span>
            )}
          </div>
        </form>
        <aside className="preview-col">
          <TaskerPreview title={v.title} description={v.description} instructions={v.instructions}
            labels={v.labels} bounty={v.bounty} />
        </aside>
      </div>
    </div>
  );
}
