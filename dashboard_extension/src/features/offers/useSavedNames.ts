/**
 * Names (and thumbnails) of the catalogue ids a saved rule holds: its spec stores ids only, so the editor
 * asks the app's catalogItems (products, variants) and catalogGroups (categories, collections) for them
 * before showing the form. An id Saleor no longer knows, or a
 * failed lookup, keeps the id as its label (the rule can still be edited and saved).
 */
import { useQuery } from "urql";

import { CatalogGroupsDocument, CatalogItemsDocument } from "../../api/generated";
import { savedGroupIds, savedItemIds, type SavedLabels, type JsonObject } from "./ruleSpec";

export function useSavedNames(spec: JsonObject | null, channel: string | null): { labels: SavedLabels; ready: boolean } {
  const ids = spec ? savedItemIds(spec) : [];
  const [{ data, error }] = useQuery({
    query: CatalogItemsDocument,
    variables: { ids, channel },
    pause: ids.length === 0,
  });
  const groupIds = spec ? savedGroupIds(spec) : [];
  const [groups] = useQuery({
    query: CatalogGroupsDocument,
    variables: { ids: groupIds, channel, first: Math.max(1, groupIds.length) },
    pause: groupIds.length === 0,
  });
  const labels: SavedLabels = {};
  for (const item of data?.catalogItems ?? []) {
    if (item.name) labels[item.id] = { label: item.name, imageUrl: item.imageUrl };
  }
  const found = groups.data?.catalogGroups;
  for (const group of [...(found?.categories ?? []), ...(found?.collections ?? [])]) labels[group.id] = group.name;
  // Ready once answered (or failed): the form's state starts from these labels.
  const itemsReady = ids.length === 0 || Boolean(data) || Boolean(error);
  const groupsReady = groupIds.length === 0 || Boolean(groups.data) || Boolean(groups.error);
  return { labels, ready: itemsReady && groupsReady };
}
