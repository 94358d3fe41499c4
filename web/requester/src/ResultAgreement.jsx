import { percent } from './taskerQuality.js';

// A result's agreement with the image's consensus, and the quality check's note, small;
// nothing before the image has been assessed.
export default function ResultAgreement({ train }) {
  const has = train.agreement !== null && train.agreement !== undefined;
  if (!has && !train.agreementNote) return null;
  return (
    <p className="small muted result-agreement" data-agreement={has ? train.agreement : ''}>
      {has && <>Agreement {percent(train.agreement)}</>}
      {has && train.agreementNote && ' · '}
      {train.agreementNote && <span className="agreement-note">{train.agreementNote}</span>}
    </p>
  );
}
