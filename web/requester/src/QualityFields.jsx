import Field from '../../shared/Field.jsx';
import { AUTO_REVIEW, goldRateText } from './qualityForm.js';

// The job form's "Quality" section: when results agree, what automatic review does with
// them, adaptive redundancy, gold images and the accuracy a tasker must keep. `set(field)`,
// `touch(field)` and `shown(field)` are the form's; `locked`: the job is no longer a draft.
export default function QualityFields({ v, set, touch, shown, locked, rpi, onAdaptive }) {
  const draftOnly = locked ? 'This cannot change once the job is active.' : null;
  const num = (f, props = {}) => (
    <input type="number" step="1" value={v[f]} onChange={set(f)} onBlur={touch(f)} {...props} />
  );
  const most = Number.isInteger(rpi) && rpi > 0 ? rpi : null;
  return (
    <fieldset className="quality-fields">
      <legend>Quality</legend>
      <p className="muted small">
        Several taskers label each image; where their boxes agree, that is the image's consensus. Gold images are
        images you answer yourself: taskers get them now and then, unknowingly, and their answers measure each
        tasker's accuracy.
      </p>
      <div className="row2">
        <Field id="job-qAgreement" label="Agreement threshold (%)" error={shown('qAgreement')}
          hint="A result agrees with the others when it scores at least this (boxes found in common).">
          {num('qAgreement', { min: 0, max: 100 })}
        </Field>
        <Field id="job-qIou" label="Box overlap (IoU, %)" error={shown('qIou')}
          hint="Two boxes mark the same object when they overlap at least this much (50 is usual).">
          {num('qIou', { min: 1, max: 100 })}
        </Field>
      </div>
      <Field id="job-qAutoReview" label="Automatic review" error={shown('qAutoReview')}
        hint={(AUTO_REVIEW.find((a) => a.id === v.qAutoReview) || AUTO_REVIEW[0]).desc + ' It acts once an image has its results.'}>
        <select value={v.qAutoReview} onChange={set('qAutoReview')}>
          {AUTO_REVIEW.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
        </select>
      </Field>
      <div className="field check-field">
        <label>
          <input type="checkbox" id="job-qAdaptive" checked={v.qAdaptive} disabled={locked}
            onChange={(e) => onAdaptive(e.target.checked)} aria-describedby="job-qAdaptive-hint" />
          {' '}Adaptive redundancy
        </label>
        <p className="hint" id="job-qAdaptive-hint">
          {draftOnly || `Ask fewer taskers first, and one more at a time only while they disagree, up to the results per image${most ? ` (${most})` : ''}. Saves money on easy images.`}
        </p>
      </div>
      {v.qAdaptive && (
        <Field id="job-qMinResults" label="Results per image at first" className="short-field" error={shown('qMinResults')}
          hint={draftOnly || `From 1 to the results per image${most ? ` (${most})` : ''}.`}>
          {num('qMinResults', { min: 1, max: most || 100, disabled: locked })}
        </Field>
      )}
      <div className="row3">
        <Field id="job-qGoldEarly" label="Gold: 1 image in" error={shown('qGoldEarly')} hint="While a tasker is new (0: none).">
          {num('qGoldEarly', { min: 0, max: 1000 })}
        </Field>
        <Field id="job-qGoldEarlyImages" label="A tasker is new for" error={shown('qGoldEarlyImages')} hint="Their first images.">
          {num('qGoldEarlyImages', { min: 0, max: 100000 })}
        </Field>
        <Field id="job-qGoldLater" label="Then 1 image in" error={shown('qGoldLater')} hint="After that (0: none).">
          {num('qGoldLater', { min: 0, max: 1000 })}
        </Field>
      </div>
      <p className="muted small" id="job-gold-rate" aria-live="polite">{goldRateText(v)} Nobody gets the same gold image twice.</p>
      <div className="row3">
        <Field id="job-qGoldAnswers" label="Answers per gold image" error={shown('qGoldAnswers')}
          hint={draftOnly || 'Each answer is paid like a result.'}>
          {num('qGoldAnswers', { min: 1, max: 10000, disabled: locked })}
        </Field>
        <Field id="job-qAccuracy" label="Accuracy needed (%)" error={shown('qAccuracy')}
          hint="Below this on gold images, a tasker is blocked from the job.">
          {num('qAccuracy', { min: 0, max: 100 })}
        </Field>
        <Field id="job-qMinGold" label="Judged after" error={shown('qMinGold')} hint="Gold answers, before blocking.">
          {num('qMinGold', { min: 1, max: 1000 })}
        </Field>
      </div>
    </fieldset>
  );
}
