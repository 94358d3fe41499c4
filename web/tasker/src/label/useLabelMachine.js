// The labeling screen's state (labelReducer.js) for React. dispatch applies an action at
// once and returns the new state; current() is the state as of the last action, for
// callbacks that run later (after an await, on a key press) and must not act on the
// state of an older render.
import { useCallback, useRef, useState } from 'react';
import { initialState, labelReducer } from './labelReducer.js';

export default function useLabelMachine() {
  const [state, setState] = useState(initialState);
  const latest = useRef(initialState);
  const dispatch = useCallback((action) => {
    latest.current = labelReducer(latest.current, action);
    setState(latest.current);
    return latest.current;
  }, []);
  const current = useCallback(() => latest.current, []);
  return [state, dispatch, current];
}
