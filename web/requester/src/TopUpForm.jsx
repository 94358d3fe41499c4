import { useState } from 'react';
import { Api } from './api.js';
import { formatCents, money, parseCents } from './money.js';
import Field from '../../shared/Field.jsx';

const RESULT_TEXT = ({ slotsOpened, charged }) => (slotsOpened === 0
  ? `No slot opened; charged ${money(charged)}.`
  : `Opened ${slotsOpened} slot${slotsOpened === 1 ? '' : 's'}; charged ${money(charged)} to your balance.`);

// Adds to a running job's budget (optional) and pays the unfunded slots it covers
// (POST /api/jobs/{id}/top-up). onToppedUp(job) with the job as it is afterwards.
export default function TopUpForm({ job, onToppedUp }) {
  const [amount, setAmount] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const [error, setError] = useState('');

  const cents = amount.trim() === '' ? 0 : parseCents(amount);
  const fieldError = cents === null ? 'Enter an amount like 5.00 (at most two decimals), or leave it empty.' : undefined;

  const submit = async (e) => {
    e.preventDefault();
    setTried(true);
    if (fieldError) return;
    setBusy(true); setError(''); setResult(null);
    try {
      const answer = await Api.topUp(job.id, cents > 0 ? formatCents(cents) : null);
      setResult(answer);
      setAmount('');
      setTried(false);
      onToppedUp(answer.job);
    } catch (err) {
      setError(err.code === 'insufficient_balance'
        ? 'Your balance does not cover this top-up. Add funds, or add less to the budget.' : err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="top-up" onSubmit={submit} noValidate aria-labelledby="top-up-title">
      <h3 id="top-up-title">Top up</h3>
      <p className="small muted">
        {job.unfundedSlots > 0
          ? `Opening all ${job.unfundedSlots} unfunded slot${job.unfundedSlots === 1 ? '' : 's'} costs ${money(job.topUpCost)}. `
          : 'Every slot is paid for. '}
        A top-up adds the amount (if any) to the budget, then pays as many unfunded slots as the budget allows from your balance.
      </p>
      <div className="top-up-row">
        <Field id="top-up-amount" label="Add to the budget (optional)" error={tried ? fieldError : undefined}>
          <input type="text" inputMode="decimal" placeholder="0.00" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </Field>
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Topping up…' : 'Top up'}</button>
      </div>
      <p className="small" role="status" id="top-up-result">
        {result && <span className="ok" data-slots-opened={result.slotsOpened} data-charged={result.charged}>{RESULT_TEXT(result)}</span>}
      </p>
      {error && <p className="error-box" role="alert">{error}</p>}
    </form>
  );
}
