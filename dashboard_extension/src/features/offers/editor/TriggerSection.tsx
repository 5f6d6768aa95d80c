/** What must be in the cart (products, variants, categories, collections) and/or a minimum subtotal; for upgrades, the source variants. */
import { Box, Text } from "@saleor/macaw-ui";

import { CatalogPicker } from "../../../components/pickers/CatalogPicker";
import { PickedList } from "../../../components/PickedList";
import { Section } from "../../../components/Page";
import type { Picked, RuleForm } from "../ruleForm";
import type { FieldErrors } from "../validation";
import { FieldMessage, Grid, TextField } from "./fields";

type Props = {
  form: RuleForm;
  errors: FieldErrors;
  channel: string;
  currencies: string[];
  update: (patch: Partial<RuleForm>) => void;
};

function add(list: Picked[], item: Picked): Picked[] {
  return list.some((existing) => existing.id === item.id) ? list : [...list, item];
}

export function TriggerSection({ form, errors, channel, currencies, update }: Props) {
  if (form.kind === "upgrade") {
    return (
      <Section title="Upgrade from">
        <CatalogPicker mode="variant" channel={channel} label="Variants to upgrade from" testId="picker-from" error={errors.fromVariants} onPick={(item) => update({ fromVariants: add(form.fromVariants, item) })} />
        <PickedList label="Upgrade from" items={form.fromVariants} onRemove={(id) => update({ fromVariants: form.fromVariants.filter((v) => v.id !== id) })} />
      </Section>
    );
  }
  return (
    <Section title="When the cart has…">
      <Text size={2} color="default2">
        Any one of these items triggers the offer. With a minimum subtotal as well, both must hold.
      </Text>
      <Grid>
        <Box display="flex" flexDirection="column" gap={2}>
          <CatalogPicker mode="product" channel={channel} label="Products" testId="picker-trigger-product" onPick={(item) => update({ triggerProducts: add(form.triggerProducts, item) })} />
          <PickedList label="Trigger products" items={form.triggerProducts} onRemove={(id) => update({ triggerProducts: form.triggerProducts.filter((v) => v.id !== id) })} />
        </Box>
        <Box display="flex" flexDirection="column" gap={2}>
          <CatalogPicker mode="variant" channel={channel} label="Variants" testId="picker-trigger-variant" onPick={(item) => update({ triggerVariants: add(form.triggerVariants, item) })} />
          <PickedList label="Trigger variants" items={form.triggerVariants} onRemove={(id) => update({ triggerVariants: form.triggerVariants.filter((v) => v.id !== id) })} />
        </Box>
      </Grid>
      <Grid>
        <Box display="flex" flexDirection="column" gap={2}>
          <CatalogPicker mode="category" channel={channel} label="Categories" testId="picker-trigger-category" onPick={(item) => update({ triggerCategories: add(form.triggerCategories, item) })} />
          <PickedList label="Trigger categories" items={form.triggerCategories} onRemove={(id) => update({ triggerCategories: form.triggerCategories.filter((v) => v.id !== id) })} />
        </Box>
        <Box display="flex" flexDirection="column" gap={2}>
          <CatalogPicker mode="collection" channel={channel} label="Collections" testId="picker-trigger-collection" onPick={(item) => update({ triggerCollections: add(form.triggerCollections, item) })} />
          <PickedList label="Trigger collections" items={form.triggerCollections} onRemove={(id) => update({ triggerCollections: form.triggerCollections.filter((v) => v.id !== id) })} />
        </Box>
      </Grid>
      <Grid columns={3}>
        {currencies.map((currency) => (
          <TextField
            key={currency}
            name={`minSubtotal-${currency}`}
            label={`Minimum subtotal (${currency})`}
            value={form.minSubtotal[currency] ?? ""}
            onChange={(value) => update({ minSubtotal: { ...form.minSubtotal, [currency]: value } })}
            helperText="Optional"
          />
        ))}
      </Grid>
      <FieldMessage error={errors.trigger ?? errors.minSubtotal} id="error-trigger" />
    </Section>
  );
}
