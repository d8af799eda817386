import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api/client';
import { live, type LiveMessage, type LiveState } from './live/LiveSocket';

/** Loads with `load` now and whenever `deps` change, and again every `refreshMillis` when given. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], refreshMillis?: number) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async () => {
    try {
      setData(await loadRef.current());
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError || e instanceof Error ? e.message : String(e));
    }
  }, []);
  useEffect(() => {
    setData(null);
    void reload();
    if (!refreshMillis) return;
    const timer = setInterval(() => void reload(), refreshMillis);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return { data, error, reload, setData };
}

/** The time now, updated every `everyMillis`, for "5 min ago" texts. */
export function useNow(everyMillis = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMillis);
    return () => clearInterval(timer);
  }, [everyMillis]);
  return now;
}

export function useLiveState(): LiveState {
  const [state, setState] = useState<LiveState>(live.state);
  useEffect(() => {
    setState(live.state);
    return live.onState(setState);
  }, []);
  return state;
}

/** Calls `handler` with every live message on `topic` while mounted (the latest handler). */
export function useTopic(topic: string | null, handler: (message: LiveMessage) => void): void {
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  useEffect(() => {
    if (!topic) return;
    return live.subscribe(topic, (message) => handlerRef.current(message));
  }, [topic]);
}

/** Runs an action, keeping its error message and whether it is busy, for buttons and forms. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, setError };
}
