/** What the shopper reads: headline, reason and badge (checkout) or benefits and window (post-purchase). */
import { Box, Button, Text, Textarea } from "@saleor/macaw-ui";

import { Section } from "../../../components/Page";
import type { RuleForm } from "../ruleForm";
import type { FieldErrors } from "../validation";
import { Grid, TextField } from "./fields";

const SOCIAL_PROOF = "{social_proof}";

type Props = { form: RuleForm; errors: FieldErrors; update: (patch: Partial<RuleForm>) => void };

export function CopySection({ form, errors, update }: Props) {
  return (
    <Section title="What the shopper sees">
      <TextField label="Headline" name="headline" value={form.headline} onChange={(headline) => update({ headline })} error={errors.headline} helperText="Up to 120 characters" />
      {form.kind === "post_purchase" ? (
        <>
          <Box display="flex" flexDirection="column" gap={1}>
            <Textarea
              label="Benefits (one per line)"
              value={form.benefits}
              onChange={(event) => update({ benefits: event.target.value })}
              error={Boolean(errors.benefits)}
              helperText={errors.benefits ?? "Up to 6 short lines"}
              data-testid="field-benefits"
              rows={3}
            />
          </Box>
          <TextField label="Offer open for (minutes)" name="windowMinutes" type="number" value={form.windowMinutes} onChange={(windowMinutes) => update({ windowMinutes })} error={errors.windowMinutes} />
        </>
      ) : (
        <>
          <TextField label="Why it pairs well" name="reason" value={form.reason} onChange={(reason) => update({ reason })} error={errors.reason} helperText="Shown under the headline, up to 280 characters" />
          <Box display="flex" alignItems="flex-start" gap={3}>
            <Button
              type="button"
              variant="secondary"
              size="small"
              whiteSpace="nowrap"
              flexShrink="0"
              data-testid="insert-social-proof"
              disabled={form.reason.includes(SOCIAL_PROOF)}
              onClick={() => update({ reason: `${form.reason.trimEnd()} ${SOCIAL_PROOF}`.trimStart() })}
            >
              Insert social proof
            </Button>
            <Text size={2} color="default2">
              Becomes e.g. “62% of customers who bought X also added Y”, from your own orders, only above the
              channel's minimum sample; otherwise it is left out.
            </Text>
          </Box>
          <Grid>
            <TextField label="Badge" name="badge" value={form.badge} onChange={(badge) => update({ badge })} error={errors.badge} helperText="Optional, e.g. “Best value”" />
            {form.kind === "bump" && (
              <TextField label="Units at the offer price" name="maxQuantity" type="number" value={form.maxQuantity} onChange={(maxQuantity) => update({ maxQuantity })} error={errors.maxQuantity} />
            )}
          </Grid>
        </>
      )}
      <Text size={2} color="default2">
        Keep it honest: say what the item does for the shopper, not that the offer is about to expire.
      </Text>
    </Section>
  );
}
