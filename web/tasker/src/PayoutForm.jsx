// Ask for a payout (POST /api/payouts) and see past requests (GET /api/payouts).
// A payout draws only on the available money, never on results still pending review.
import { useEffect, useState, useCallback } from 'react';
import { api } from './api.js';
import { formatTime } from './format.js';

const AMOUNT_RE = /^\d+(\.\d{1,2})?$/;

export default function PayoutForm({ available, onPaid, onAuthLost }) {
  const [amount, setAmount] = useState('');
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const [list, setList] = useState(null);
  const [listError, setListError] = useState(null);

  const load = useCallback(() => {
    setListError(null);
    api.payouts().then((r) => setList(r.items || []), (e) => {
      if (e.status === 401) onAuthLost();
      else setListError(e.message);
    });
  }, [onAuthLost]);
  useEffect(load, [load]);

  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    const a = amount.trim();
    if (!AMOUNT_RE.test(a) || Number(a) <= 0) {
      setError('Enter an amount like 1.00 (at most two decimals).');
      return;
    }
    if (!address.trim()) {
      setError('Enter the wallet address to pay to.');
      return;
    }
    setBusy(true);
    try {
      const p = await api.requestPayout(a, address.trim());
      setDone('Payout of ' + p.amount + ' requested.');
      setAmount('');
      onPaid && onPaid();
      load();
    } catch (err) {
      if (err.status === 401) onAuthLost();
      else setError(err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <form className="card form" onSubmit={submit} noValidate aria-labelledby="payout-title">
        <h2 id="payout-title">Request a payout</h2>
        <p className="muted small" data-testid="payout-available">Available: <strong>{available}</strong>. Only available
          money can be paid out; pending money joins it once approved. The amount is held until the payout is paid
          or rejected.</p>
        <div className="field">
          <label htmlFor="payout-amount">Amount</label>
          <input id="payout-amount" name="amount" inputMode="decimal" autoComplete="off"
            placeholder="1.00" value={amount} onChange={(e) => setAmount(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="payout-address">Wallet address</label>
          <input id="payout-address" name="address" autoComplete="off" autoCapitalize="off"
            spellCheck="false" value={address} onChange={(e) => setAddress(e.target.value)} required />
        </div>
        {error && <p className="msg error" role="alert" data-testid="payout-error">{error}</p>}
        {done && <p className="msg ok" role="status" data-testid="payout-ok">{done}</p>}
        <button className="btn primary" type="submit" disabled={busy}>
          {busy ? 'Requesting…' : 'Request payout'}
        </button>
      </form>
      <section className="card" aria-labelledby="payouts-title">
        <h2 id="payouts-title">Past payouts</h2>
        {listError && <p className="msg error" role="alert">{listError} <button type="button" className="btn-link" onClick={load}>Try again</button></p>}
        {!list && !listError && <p className="muted">Loading…</p>}
        {list && !list.length && <p className="muted">No payouts yet.</p>}
        {list && list.length > 0 && (
          <ul className="payouts" data-testid="payout-list">
            {list.map((p) => (
              <li key={p.id} data-testid="payout-item">
                <div className="row">
                  <strong>{p.amount}</strong>
                  <span className={'badge state-' + p.state}>{p.state}</span>
                </div>
                <div className="small muted wrap">To {p.address}</div>
                <div className="small muted">Requested {formatTime(p.createdAt)}
                  {p.decidedAt ? ' · decided ' + formatTime(p.decidedAt) : ''}
                  {p.reference ? ' · ref ' + p.reference : ''}</div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
