/**
 * Search the store's catalogue (through the app's catalogSearch, or catalogGroups for categories and
 * collections) and pick a product, a variant, a category or a collection.
 * One job: turn typed text into a Picked item; the caller decides what to do with it.
 */
import { DynamicCombobox, type Option } from "@saleor/macaw-ui";
import { useMemo, useState } from "react";
import { useQuery } from "urql";

import { CatalogGroupsDocument, CatalogSearchDocument } from "../../api/generated";
import type { Picked } from "../../features/offers/ruleForm";
import { useMoney } from "../../lib/locale";
import { useDebounced } from "../../lib/useDebounced";

export type PickMode = "product" | "variant" | "category" | "collection";

type Props = {
  mode: PickMode;
  channel: string;
  label: string;
  onPick: (item: Picked, extra: { regularPrice?: { amount: string; currency: string } | null }) => void;
  error?: string;
  helperText?: string;
  testId?: string;
};

export function CatalogPicker({ mode, channel, label, onPick, error, helperText, testId }: Props) {
  const [text, setText] = useState("");
  const search = useDebounced(text.trim(), 250);
  const money = useMoney();
  const grouped = mode === "category" || mode === "collection";
  const [{ data, fetching }] = useQuery({
    query: CatalogSearchDocument,
    variables: { search, channel, first: 20 },
    pause: grouped || !channel || search.length < 1,
  });
  const [groups] = useQuery({
    query: CatalogGroupsDocument,
    variables: { search, channel, first: 20 },
    pause: !grouped || !channel || search.length < 1,
  });

  const options = useMemo(() => {
    if (grouped) {
      const found = mode === "category" ? groups.data?.catalogGroups.categories : groups.data?.catalogGroups.collections;
      return (found ?? []).map((group) => ({ value: group.id, label: group.name, price: null, imageUrl: null }));
    }
    const products = data?.catalogSearch ?? [];
    if (mode === "product") {
      return products.map((product) => ({ value: product.id, label: product.name, price: product.variants[0]?.regularPrice ?? null, imageUrl: product.thumbnailUrl }));
    }
    return products.flatMap((product) =>
      product.variants.map((variant) => {
        const name = variant.name && variant.name !== product.name && variant.name !== variant.id ? `${product.name} — ${variant.name}` : product.name;
        const price = variant.price ? ` · ${money(variant.price.amount, variant.price.currency)}` : " · not sold in this channel";
        return { value: variant.id, label: `${name}${variant.sku ? ` (${variant.sku})` : ""}${price}`, name, price: variant.regularPrice, imageUrl: product.thumbnailUrl };
      }),
    );
  }, [data, groups.data, grouped, mode, money]);

  const onChange = (option: Option | null) => {
    if (!option) return;
    const found = options.find((candidate) => candidate.value === option.value);
    const name = found && "name" in found ? String(found.name) : option.label;
    onPick({ id: option.value, label: name, imageUrl: found?.imageUrl ?? null }, { regularPrice: found?.price ?? null });
    setText("");
  };

  return (
    <DynamicCombobox
      data-testid={testId}
      label={label}
      options={options.map(({ value, label: text }) => ({ value, label: text }))}
      value={null}
      onChange={onChange}
      onInputValueChange={setText}
      loading={(grouped ? groups.fetching : fetching) && search.length > 0}
      error={Boolean(error)}
      helperText={error ?? helperText ?? (channel ? (grouped ? "Type a name" : "Type a name or SKU") : "Pick a channel first")}
      disabled={!channel}
      locale={{ loadingText: "Searching…" }}
    />
  );
}
