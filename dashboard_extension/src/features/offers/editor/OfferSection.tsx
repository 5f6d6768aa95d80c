/** The offered (or premium) variant and its price: percent off, amount off, fixed, or free. */
import { Box, Text } from "@saleor/macaw-ui";

import { CatalogPicker } from "../../../components/pickers/CatalogPicker";
import { Section } from "../../../components/Page";
import { Thumbnail } from "../../../components/Thumbnail";
import type { PriceType, RuleForm } from "../ruleForm";
import type { FieldErrors } from "../validation";
import { FieldMessage, Grid, SelectField, TextField } from "./fields";

type Props = {
  form: RuleForm;
  errors: FieldErrors;
  channel: string;
  currencies: string[];
  update: (patch: Partial<RuleForm>) => void;
};

const PRICE_OPTIONS: { value: PriceType; label: string }[] = [
  { value: "percent_off", label: "Percent off the regular price" },
  { value: "amount_off", label: "Amount off the regular price" },
  { value: "fixed", label: "Fixed price" },
  { value: "free_gift", label: "Free gift" },
];

/** The price model in one sentence (README "The offer price", docs/pricing.md). */
export const PRICE_HELP =
  "Prices are in the channel's price convention (net when its prices are entered without tax, gross when with): the shopper pays this price, catalogue promotions are compensated, and their own vouchers still apply on top.";

export function OfferSection({ form, errors, channel, currencies, update }: Props) {
  const isUpgrade = form.kind === "upgrade";
  const priceOptions = isUpgrade ? PRICE_OPTIONS.filter((o) => o.value !== "free_gift") : PRICE_OPTIONS;
  return (
    <Section title={isUpgrade ? "Upgrade to" : "Offer"}>
      <Box display="flex" flexDirection="column" gap={2}>
        <CatalogPicker
          mode="variant"
          channel={channel}
          label={isUpgrade ? "Premium variant" : "Variant to offer"}
          testId="picker-offer"
          error={errors.offerVariant}
          onPick={(offerVariant) => update({ offerVariant })}
        />
        {form.offerVariant && (
          <Box display="flex" alignItems="center" gap={2}>
            {form.offerVariant.imageUrl && <Thumbnail url={form.offerVariant.imageUrl} size={32} />}
            <Text size={3} data-testid="offer-variant">
              Offering: <strong>{form.offerVariant.label}</strong>
            </Text>
          </Box>
        )}
      </Box>
      <Grid>
        <SelectField label="Price" name="priceType" value={form.priceType} options={priceOptions} onChange={(priceType) => update({ priceType })} />
        {form.priceType === "percent_off" && (
          <TextField label="Percent off" name="percent" type="number" value={form.percent} onChange={(percent) => update({ percent })} error={errors.percent} helperText="More than 0, less than 100" />
        )}
      </Grid>
      <Text size={2} color="default2" data-testid="price-help">
        {PRICE_HELP}
      </Text>
      {(form.priceType === "amount_off" || form.priceType === "fixed") && (
        <Box display="flex" flexDirection="column" gap={2}>
          <Grid columns={3}>
            {currencies.map((currency) => (
              <TextField
                key={currency}
                name={`amount-${currency}`}
                label={`${form.priceType === "fixed" ? "Price" : "Amount off"} (${currency})`}
                value={form.amounts[currency] ?? ""}
                onChange={(value) => update({ amounts: { ...form.amounts, [currency]: value } })}
              />
            ))}
          </Grid>
          <FieldMessage error={errors.amounts} id="error-amounts" />
        </Box>
      )}
      {form.priceType === "free_gift" && <FieldMessage error={errors.amounts} id="error-amounts" />}
    </Section>
  );
}
