/** The shop's channels: fetched once and then served from urql's cache to every component that asks. */
import { useQuery } from "urql";

import { ChannelsDocument } from "../../api/generated";
import type { ChannelFields } from "../../api/types";

export function useChannels(): { channels: ChannelFields[] | undefined; error: unknown; loading: boolean } {
  const [{ data, error, fetching }] = useQuery({ query: ChannelsDocument, requestPolicy: "cache-first" });
  return { channels: data?.channels, error, loading: fetching && !data };
}
