/**
 * Names (and thumbnails) of the catalogue ids a saved rule holds: its spec stores ids only, so the editor
 * asks the app's catalogItems for them before showing the form. An id Saleor no longer knows, or a
 * failed lookup, keeps the id as its label (the rule can still be edited and saved).
 */
import { useQuery } from "urql";

import { CatalogItemsDocument } from "../../api/generated";
import { savedItemIds, type SavedLabels, type JsonObject } from "./ruleSpec";

export function useSavedNames(spec: JsonObject | null, channel: string | null): { labels: SavedLabels; ready: boolean } {
  const ids = spec ? savedItemIds(spec) : [];
  const [{ data, error }] = useQuery({
    query: CatalogItemsDocument,
    variables: { ids, channel },
    pause: ids.length === 0,
  });
  const labels: SavedLabels = {};
  for (const item of data?.catalogItems ?? []) {
    if (item.name) labels[item.id] = { label: item.name, imageUrl: item.imageUrl };
  }
  // Ready once answered (or failed): the form's state starts from these labels.
  return { labels, ready: ids.length === 0 || Boolean(data) || Boolean(error) };
}
