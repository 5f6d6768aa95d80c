/** Create or edit a rule: form sections on the left, live preview on the right, save with notifications. */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useMemo, useState } from "react";

import { describeError } from "../../api/client";
import type { JSONValue } from "../../api/generated";
import { useMutation, useQuery } from "../../api/hooks";
import {
  RULE,
  RULE_CREATE,
  RULE_DELETE,
  RULE_UPDATE,
  type ChannelFields,
  type RuleCreateData,
  type RuleData,
  type RuleDeleteData,
  type RuleUpdateData,
} from "../../api/operations";
import { useNotify } from "../../bridge/useNotify";
import { Page } from "../../components/Page";
import { ErrorState, LoadingState } from "../../components/States";
import { useRouter } from "../../router/Router";
import { useChannels } from "../settings/useChannels";
import { BasicsSection } from "./editor/BasicsSection";
import { CopySection } from "./editor/CopySection";
import { OfferPreview } from "./editor/OfferPreview";
import { OfferSection } from "./editor/OfferSection";
import { TriggerSection } from "./editor/TriggerSection";
import { FAMILY, type Family } from "./family";
import { currenciesFor, emptyRuleForm, type RuleForm } from "./ruleForm";
import { formToSpec, specToForm, type JsonObject } from "./ruleSpec";
import { hasErrors, serverErrorsToFields, validateRuleForm, type FieldErrors } from "./validation";

export function RuleEditorPage({ family, ruleId }: { family: Family; ruleId?: string }) {
  const config = FAMILY[family];
  const existing = useQuery<RuleData, { id: string }>(RULE, { id: ruleId ?? "" }, { skip: !ruleId });
  const channels = useChannels();
  const title = ruleId ? "Edit offer" : config.newLabel;

  if ((ruleId && existing.loading) || channels.loading) {
    return (
      <Page title={title}>
        <LoadingState rows={6} />
      </Page>
    );
  }
  const error = existing.error ?? channels.error;
  if (error !== undefined) {
    return (
      <Page title={title}>
        <ErrorState error={error} onRetry={() => void existing.refetch()} />
      </Page>
    );
  }
  if (ruleId && !existing.data?.rule) {
    return (
      <Page title={title}>
        <ErrorState error={new Error(`There is no offer ${ruleId}; it may have been deleted.`)} />
      </Page>
    );
  }
  const initial = existing.data?.rule ? specToForm(existing.data.rule.spec as JsonObject) : emptyRuleForm(config.defaultKind);
  return <RuleEditor family={family} ruleId={ruleId} initial={initial} channels={channels.data?.channels ?? []} title={title} />;
}

type EditorProps = {
  family: Family;
  ruleId?: string;
  initial: RuleForm;
  channels: ChannelFields[];
  title: string;
};

function RuleEditor({ family, ruleId, initial, channels, title }: EditorProps) {
  const config = FAMILY[family];
  const { navigate } = useRouter();
  const notify = useNotify();
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const currencies = useMemo(() => currenciesFor(form.channels, channels), [form.channels, channels]);
  const channelChoices = form.channels.length ? channels.filter((c) => form.channels.includes(c.slug)) : channels;
  const [previewChannel, setPreviewChannel] = useState(channelChoices[0]?.slug ?? "");
  const create = useMutation<RuleCreateData, { spec: JSONValue }>(RULE_CREATE);
  const update = useMutation<RuleUpdateData, { id: string; spec: JSONValue }>(RULE_UPDATE);
  const remove = useMutation<RuleDeleteData, { id: string }>(RULE_DELETE);

  useEffect(() => {
    if (!channelChoices.some((c) => c.slug === previewChannel)) setPreviewChannel(channelChoices[0]?.slug ?? "");
  }, [channelChoices, previewChannel]);

  const patch = (change: Partial<RuleForm>) => {
    const next = { ...form, ...change };
    setForm(next);
    if (submitted) setErrors(validateRuleForm(next, currenciesFor(next.channels, channels)));
  };

  const save = async () => {
    setSubmitted(true);
    const found = validateRuleForm(form, currencies);
    setErrors(found);
    if (hasErrors(found)) {
      void notify.error("Check the highlighted fields");
      return;
    }
    const spec = formToSpec(form, currencies) as JSONValue;
    try {
      const payload = ruleId
        ? (await update.run({ id: ruleId, spec })).ruleUpdate
        : (await create.run({ spec })).ruleCreate;
      if (payload.rule) {
        void notify.success(ruleId ? "Offer saved" : "Offer created", payload.rule.name);
        navigate(config.list);
        return;
      }
      setErrors(serverErrorsToFields(payload.errors.map((e) => ({ field: e.field ?? "", message: e.message }))));
      void notify.error("The offer was not saved", payload.errors.map((e) => e.message).join("; "));
    } catch (error) {
      setErrors({ form: describeError(error) });
      void notify.error("The offer was not saved", describeError(error));
    }
  };

  const destroy = async () => {
    if (!ruleId || !window.confirm(`Delete “${form.name}”? This cannot be undone.`)) return;
    try {
      const { ruleDelete } = await remove.run({ id: ruleId });
      if (ruleDelete.deletedId) {
        void notify.success("Offer deleted");
        navigate(config.list);
      } else {
        void notify.error("Could not delete", ruleDelete.errors.map((e) => e.message).join("; "));
      }
    } catch (error) {
      void notify.error("Could not delete", describeError(error));
    }
  };

  const saving = create.running || update.running;
  const kinds = family === "checkout" ? (["bump", "upgrade"] as const) : (["post_purchase"] as const);
  const sectionProps = { form, errors, update: patch };

  return (
    <Page
      title={title}
      action={
        <Box display="flex" gap={2}>
          <Button variant="secondary" onClick={() => navigate(config.list)}>
            Back
          </Button>
          {ruleId && (
            <Button variant="error" onClick={() => void destroy()} disabled={remove.running}>
              Delete
            </Button>
          )}
          <Button onClick={() => void save()} disabled={saving} data-testid="save-rule">
            {saving ? "Saving…" : "Save"}
          </Button>
        </Box>
      }
    >
      {errors.form && (
        <Box role="alert" padding={3} borderRadius={3} backgroundColor="critical1" data-testid="form-error">
          <Text>{errors.form}</Text>
        </Box>
      )}
      <Box display="grid" gap={6} __gridTemplateColumns="minmax(0, 3fr) minmax(280px, 2fr)" alignItems="start">
        <Box display="flex" flexDirection="column" gap={5}>
          <BasicsSection {...sectionProps} channels={channels} kinds={[...kinds]} />
          <TriggerSection {...sectionProps} channel={previewChannel} currencies={currencies} />
          <OfferSection {...sectionProps} channel={previewChannel} currencies={currencies} />
          <CopySection {...sectionProps} />
        </Box>
        <Box position="sticky" __top="16px">
          <OfferPreview
            form={form}
            currencies={currencies}
            channel={previewChannel}
            channelOptions={channelChoices.map((c) => ({ value: c.slug, label: `${c.name} (${c.currencyCode})` }))}
            onChannel={setPreviewChannel}
          />
        </Box>
      </Box>
    </Page>
  );
}
