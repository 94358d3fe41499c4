// mounted() is false once the component has gone: async work checks it before it acts.
import { useCallback, useEffect, useRef } from 'react';

export default function useMounted() {
  const alive = useRef(true);
  useEffect(() => () => { alive.current = false; }, []);
  return useCallback(() => alive.current, []);
}
