/** A rule's A/B test: each variant against the holdout in words, and the winner promoted in one click. */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useMutation } from "urql";

import { dataOf, describeError } from "../../api/client";
import { RuleVariantPromoteDocument } from "../../api/generated";
import type { ExperimentFields } from "../../api/types";
import { useNotify } from "../../bridge/useNotify";
import { sentence } from "./format";

export function VariantResults({ experiment, onPromoted }: { experiment: ExperimentFields; onPromoted?: () => void }) {
  const [{ fetching }, promote] = useMutation(RuleVariantPromoteDocument);
  const notify = useNotify();
  if (experiment.ruleId === null || experiment.variants.length < 2) return null;
  const ruleId = experiment.ruleId;

  const choose = async (variant: string) => {
    try {
      const { ruleVariantPromote } = dataOf(await promote({ id: ruleId, variant }));
      if (ruleVariantPromote.rule) {
        void notify.success(`Variant ${variant} is now the offer of “${experiment.ruleName ?? ruleId}”`);
        onPromoted?.();
      } else {
        void notify.error("Could not promote the variant", ruleVariantPromote.errors.map((e) => e.message).join("; "));
      }
    } catch (error) {
      void notify.error("Could not promote the variant", describeError(error));
    }
  };

  return (
    <Box display="flex" flexDirection="column" gap={2} marginTop={2} data-testid="variant-results">
      {experiment.variants.map((variant) => {
        const arm = experiment.arms.find((a) => a.arm === variant.variant);
        return (
          <Box key={variant.variant} display="flex" justifyContent="space-between" alignItems="center" gap={3}>
            <Text size={2}>
              <Text size={2} fontWeight="bold">Variant {variant.variant}</Text>
              {arm ? ` (${arm.checkouts} checkouts): ` : ": "}
              {sentence(variant.summary)}
            </Text>
            <Button
              variant="secondary"
              size="small"
              disabled={fetching}
              data-testid={`promote-${variant.variant}`}
              onClick={() => void choose(variant.variant)}
            >
              Make {variant.variant} the offer
            </Button>
          </Box>
        );
      })}
    </Box>
  );
}
