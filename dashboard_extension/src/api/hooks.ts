/** Small data hooks: a query with loading/error/refetch, and a mutation runner. */
import { useCallback, useEffect, useRef, useState } from "react";

import { useRequest } from "./ApiProvider";

export type QueryState<T> = {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  refetch: () => Promise<void>;
  /** Replace the cached data locally (optimistic updates). */
  setData: (update: (previous: T | undefined) => T | undefined) => void;
};

export function useQuery<TData, TVariables extends object = Record<string, never>>(
  query: string,
  variables?: TVariables,
  options: { skip?: boolean } = {},
): QueryState<TData> {
  const request = useRequest();
  const [data, setDataState] = useState<TData | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(!options.skip);
  const key = JSON.stringify(variables ?? {});
  const latest = useRef(0);

  const run = useCallback(async () => {
    const ticket = ++latest.current;
    setLoading(true);
    setError(undefined);
    try {
      const result = await request<TData, TVariables>(query, JSON.parse(key) as TVariables);
      if (ticket === latest.current) setDataState(result);
    } catch (caught) {
      if (ticket === latest.current) setError(caught);
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, [request, query, key]);

  useEffect(() => {
    if (!options.skip) void run();
  }, [run, options.skip]);

  const setData = useCallback((update: (previous: TData | undefined) => TData | undefined) => {
    setDataState((previous) => update(previous));
  }, []);

  return { data, error, loading, refetch: run, setData };
}

export function useMutation<TData, TVariables extends object>(mutation: string) {
  const request = useRequest();
  const [running, setRunning] = useState(false);
  const run = useCallback(
    async (variables: TVariables): Promise<TData> => {
      setRunning(true);
      try {
        return await request<TData, TVariables>(mutation, variables);
      } finally {
        setRunning(false);
      }
    },
    [request, mutation],
  );
  return { run, running };
}

/** `value`, but only after it stopped changing for `delay` ms (search boxes). */
export function useDebounced<T>(value: T, delay = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return settled;
}
