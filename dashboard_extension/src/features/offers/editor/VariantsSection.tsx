/** A bump rule's A/B test: variants that each change the offer, price or copy, with a weight; add and remove. */
import { Box, Button, Text } from "@saleor/macaw-ui";

import { CatalogPicker } from "../../../components/pickers/CatalogPicker";
import { Section } from "../../../components/Page";
import type { RuleForm } from "../ruleForm";
import type { FieldErrors } from "../validation";
import { emptyVariant, MAX_VARIANTS, validateVariants, type VariantErrors, type VariantForm, type VariantPriceType } from "../variants";
import { FieldMessage, Grid, SelectField, TextField } from "./fields";

type Props = {
  form: RuleForm;
  errors: FieldErrors;
  /** The channel the catalogue picker searches (the preview's). */
  channel: string;
  currencies: string[];
  update: (patch: Partial<RuleForm>) => void;
};

const PRICE_OPTIONS: { value: VariantPriceType; label: string }[] = [
  { value: "", label: "The rule's price" },
  { value: "percent_off", label: "Percent off the regular price" },
  { value: "amount_off", label: "Amount off the regular price" },
  { value: "fixed", label: "Fixed price" },
  { value: "free_gift", label: "Free gift" },
];

export function VariantsSection({ form, errors, channel, currencies, update }: Props) {
  const variants = form.variants;
  // Field messages appear once the editor has validated (errors.variants is set by validateRuleForm or the server).
  const checked = errors.variants ? validateVariants(variants, currencies, form.triggerVariants.map((v) => v.id)).fields : [];
  const setVariants = (next: VariantForm[]) => update({ variants: next });
  const change = (index: number, patch: Partial<VariantForm>) => setVariants(variants.map((v, i) => (i === index ? { ...v, ...patch } : v)));
  const add = () => {
    // The first click starts a test with two variants (a test needs at least two).
    const first = emptyVariant(variants);
    const next = [...variants, first];
    setVariants(next.length === 1 ? [...next, emptyVariant(next)] : next);
  };
  return (
    <Section title="A/B test (variants)">
      <Text size={2} color="default2" data-testid="variants-help">
        Each checkout that is not held out sees one variant, always the same one. A field left empty keeps the
        rule&apos;s own offer, price or copy. Weights are relative shares of checkouts (0 stops showing a variant).
        Compare and promote the winner on the analytics page.
      </Text>
      {variants.map((variant, index) => (
        <VariantCard
          key={index}
          index={index}
          variant={variant}
          errors={checked[index] ?? {}}
          channel={channel}
          currencies={currencies}
          onChange={(patch) => change(index, patch)}
          onRemove={() => setVariants(variants.filter((_, i) => i !== index))}
        />
      ))}
      <FieldMessage error={errors.variants} id="error-variants" />
      <Box>
        <Button type="button" variant="secondary" onClick={add} disabled={variants.length >= MAX_VARIANTS} data-testid="add-variant">
          {variants.length ? "Add variant" : "Start an A/B test"}
        </Button>
      </Box>
    </Section>
  );
}

function VariantCard({
  index,
  variant,
  errors,
  channel,
  currencies,
  onChange,
  onRemove,
}: {
  index: number;
  variant: VariantForm;
  errors: VariantErrors;
  channel: string;
  currencies: string[];
  onChange: (patch: Partial<VariantForm>) => void;
  onRemove: () => void;
}) {
  const name = (field: string) => `variant-${index}-${field}`;
  return (
    <Box display="flex" flexDirection="column" gap={3} padding={4} borderRadius={3} borderWidth={1} borderStyle="solid" borderColor="default1" data-testid={`variant-${index}`}>
      <Box display="flex" justifyContent="space-between" alignItems="center">
        <Text fontWeight="medium">Variant {variant.name.trim() || index + 1}</Text>
        <Button type="button" variant="tertiary" size="small" onClick={onRemove} data-testid={`remove-variant-${index}`}>
          Remove
        </Button>
      </Box>
      <Grid columns={3}>
        <TextField label="Name" name={name("name")} value={variant.name} onChange={(value) => onChange({ name: value })} error={errors.name} helperText="E.g. A, B" />
        <TextField label="Weight" name={name("weight")} type="number" value={variant.weight} onChange={(weight) => onChange({ weight })} error={errors.weight} helperText="0 or more" />
        <TextField
          label="Offered variant id"
          name={name("offerVariantId")}
          value={variant.offerVariantId}
          onChange={(offerVariantId) => onChange({ offerVariantId, offerLabel: "" })}
          error={errors.offerVariantId}
          helperText={variant.offerLabel ? `Offering: ${variant.offerLabel}` : "Empty: the rule's offer"}
        />
      </Grid>
      <CatalogPicker
        mode="variant"
        channel={channel}
        label="Or pick the variant to offer"
        testId={name("picker")}
        onPick={(item) => onChange({ offerVariantId: item.id, offerLabel: item.label })}
      />
      <Grid>
        <SelectField label="Price" name={name("priceType")} value={variant.priceType} options={PRICE_OPTIONS} onChange={(priceType) => onChange({ priceType })} />
        {variant.priceType === "percent_off" && (
          <TextField label="Percent off" name={name("percent")} type="number" value={variant.percent} onChange={(percent) => onChange({ percent })} error={errors.percent} />
        )}
      </Grid>
      {(variant.priceType === "amount_off" || variant.priceType === "fixed") && (
        <Box display="flex" flexDirection="column" gap={2}>
          <Grid columns={3}>
            {currencies.map((currency) => (
              <TextField
                key={currency}
                label={`${variant.priceType === "fixed" ? "Price" : "Amount off"} (${currency})`}
                name={name(`amount-${currency}`)}
                type="number"
                value={variant.amounts[currency] ?? ""}
                onChange={(amount) => onChange({ amounts: { ...variant.amounts, [currency]: amount } })}
              />
            ))}
          </Grid>
          <FieldMessage error={errors.amounts} id={name("amounts-error")} />
        </Box>
      )}
      <Grid columns={3}>
        <TextField label="Headline" name={name("headline")} value={variant.headline} onChange={(headline) => onChange({ headline })} error={errors.headline} helperText="Empty: the rule's copy" />
        <TextField label="Why it pairs well" name={name("reason")} value={variant.reason} onChange={(reason) => onChange({ reason })} error={errors.reason} />
        <TextField label="Badge" name={name("badge")} value={variant.badge} onChange={(badge) => onChange({ badge })} error={errors.badge} helperText="Optional" />
      </Grid>
    </Box>
  );
}
