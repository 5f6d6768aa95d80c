/** The shop's channels, fetched once per page load and shared by every component that asks. */
import { useEffect, useState } from "react";

import { useRequest } from "../../api/ApiProvider";
import { CHANNELS, type ChannelsData } from "../../api/operations";

let cached: Promise<ChannelsData> | undefined;

export function resetChannelsCache(): void {
  cached = undefined;
}

export function useChannels(): { data: ChannelsData | undefined; error: unknown; loading: boolean } {
  const request = useRequest();
  const [state, setState] = useState<{ data?: ChannelsData; error?: unknown }>({});
  useEffect(() => {
    let alive = true;
    cached ??= request<ChannelsData>(CHANNELS).catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    cached.then(
      (data) => alive && setState({ data }),
      (error: unknown) => alive && setState({ error }),
    );
    return () => {
      alive = false;
    };
  }, [request]);
  return { data: state.data, error: state.error, loading: !state.data && state.error === undefined };
}
