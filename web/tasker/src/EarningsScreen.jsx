// Earnings: the three figures, why results were rejected, payouts.
import EarningsPanel from './EarningsPanel.jsx';
import PayoutForm from './PayoutForm.jsx';
import RejectedResults from './RejectedResults.jsx';

export default function EarningsScreen({ available, money, onPaid, onAuthLost }) {
  const { earnings, error, refresh } = money;
  return (
    <main id="main" className="earnings-screen" data-testid="earnings-screen">
      <h1>Earnings</h1>
      <EarningsPanel earnings={earnings} error={error} onRetry={refresh} />
      <RejectedResults count={earnings ? earnings.rejectedCount : 0} onAuthLost={onAuthLost} />
      <PayoutForm available={available} onPaid={onPaid} onAuthLost={onAuthLost} />
    </main>
  );
}
