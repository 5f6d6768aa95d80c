/**
 * A live preview of what the shopper will see (price with strike-through, copy), and the guardrail
 * warnings the API's rulePreview reports for the chosen channel. Nothing is saved.
 */
import { Box, Text } from "@saleor/macaw-ui";
import { useQuery } from "urql";

import { RulePreviewDocument } from "../../../api/generated";
import { PriceTag } from "../../../components/PriceTag";
import { Section } from "../../../components/Page";
import { ErrorState } from "../../../components/States";
import { Thumbnail } from "../../../components/Thumbnail";
import { useDebounced } from "../../../lib/useDebounced";
import type { RuleForm } from "../ruleForm";
import { formToSpec } from "../ruleSpec";
import { SelectField } from "./fields";

type Props = {
  form: RuleForm;
  currencies: string[];
  channel: string;
  channelOptions: { value: string; label: string }[];
  onChannel: (slug: string) => void;
};

export function OfferPreview({ form, currencies, channel, channelOptions, onChannel }: Props) {
  const spec = useDebounced(JSON.stringify(formToSpec(form, currencies)), 400);
  const ready = Boolean(channel && form.offerVariant);
  const [preview, refetch] = useQuery({ query: RulePreviewDocument, variables: { spec: JSON.parse(spec) as unknown, channel }, pause: !ready });
  const result = preview.data?.rulePreview;

  return (
    <Section title="Preview">
      {channelOptions.length > 1 && (
        <SelectField label="As a shopper in" name="previewChannel" value={channel} options={channelOptions} onChange={onChannel} />
      )}
      {!ready && <Text color="default2">Pick the variant to offer to see what the shopper gets.</Text>}
      {ready && preview.error && <ErrorState error={preview.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      {ready && result && (
        <Box display="flex" flexDirection="column" gap={3} data-testid="offer-preview">
          <ShopperCard form={form} name={result.variantName ?? form.offerVariant?.label ?? ""} imageUrl={result.imageUrl} price={result.price} regular={result.regularPrice} blocked={result.warnings.length + result.errors.length > 0} />
          <Warnings warnings={result.warnings} errors={result.errors.filter((e) => e.field === null || e.code !== "INVALID")} />
        </Box>
      )}
      {ready && preview.fetching && !result && <Text color="default2">Loading preview…</Text>}
    </Section>
  );
}

function ShopperCard({
  form,
  name,
  imageUrl,
  price,
  regular,
  blocked,
}: {
  form: RuleForm;
  name: string;
  imageUrl: string | null;
  price: { amount: string; currency: string } | null;
  regular: { amount: string; currency: string } | null;
  blocked: boolean;
}) {
  return (
    <Box display="flex" gap={3} padding={4} borderRadius={4} borderWidth={1} borderStyle="solid" borderColor="default1" backgroundColor="default2">
      {imageUrl && <Thumbnail url={imageUrl} />}
      <Box display="flex" flexDirection="column" gap={1}>
        {form.badge.trim() && form.kind !== "post_purchase" && (
          <Box as="span" alignSelf="start" paddingX={2} borderRadius={3} backgroundColor="accent1">
            <Text size={1} fontWeight="bold" color="buttonDefaultPrimary">
              {form.badge}
            </Text>
          </Box>
        )}
        <Text fontWeight="bold">{form.headline || "Your headline"}</Text>
        <Text size={2} color="default2">
          {name}
        </Text>
        {price ? (
          <PriceTag price={price} regular={regular} />
        ) : (
          <Text color="default2">{blocked ? "Not offered: see the warnings below" : "Not sold in this channel"}</Text>
        )}
        {form.kind === "post_purchase"
          ? form.benefits.split("\n").filter((l) => l.trim()).map((line) => (
              <Text key={line} size={2}>
                ✓ {line}
              </Text>
            ))
          : form.reason && <Text size={2}>{form.reason}</Text>}
      </Box>
    </Box>
  );
}

function Warnings({ warnings, errors }: { warnings: { code: string; message: string }[]; errors: { message: string }[] }) {
  if (!warnings.length && !errors.length) {
    return (
      <Text size={2} color="success1" data-testid="preview-ok">
        No guardrail stops this offer.
      </Text>
    );
  }
  return (
    <Box as="ul" display="flex" flexDirection="column" gap={1} padding={0} margin={0} data-testid="preview-warnings">
      {[...errors, ...warnings].map((item, index) => (
        <Box as="li" key={index} padding={2} borderRadius={3} backgroundColor="warning1" style={{ listStyle: "none" }}>
          <Text size={2}>⚠ {item.message}</Text>
        </Box>
      ))}
    </Box>
  );
}
