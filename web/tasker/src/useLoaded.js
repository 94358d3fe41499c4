// What a screen shows from the API: loaded again whenever `fetch` changes (a new filter,
// a new page), the answer of an older request dropped, a 401 signing the tasker out.
import { useCallback, useEffect, useState } from 'react';

export function useLoaded(fetch, onAuthLost) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(() => {
    let current = true;
    setLoading(true);
    setError(null);
    fetch().then((r) => {
      if (!current) return;
      setData(r);
      setLoading(false);
    }, (e) => {
      if (!current) return;
      setLoading(false);
      if (e.status === 401) onAuthLost();
      else setError(e.message);
    });
    return () => { current = false; };
  }, [fetch, onAuthLost]);
  useEffect(load, [load]);

  return { data, error, loading, load };
}
