import { useCallback, useEffect, useRef, useState } from 'react';
import { authErrorText } from './auth-errors';

/**
 * One screen's request at a time: `run` marks the screen busy, ignores a second submit while the first is under way,
 * and turns a failure into the text the screen shows (auth-errors.ts). A screen that has been left (the flow moved
 * on) is not updated.
 */
export function useAuthRequest() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const mounted = useRef(false);
  const running = useRef(false);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(async (work: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      if (mounted.current) setError(authErrorText(failure));
    } finally {
      running.current = false;
      if (mounted.current) setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
