/** Create or edit a rule: form sections on the left, live preview on the right, save with notifications. */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useMemo, useState } from "react";
import { useMutation, useQuery } from "urql";
import { useLocation } from "wouter";

import { dataOf, describeError } from "../../api/client";
import { RuleCreateDocument, RuleDeleteDocument, RuleDocument, RuleUpdateDocument } from "../../api/generated";
import type { ChannelFields } from "../../api/types";
import { useNotify } from "../../bridge/useNotify";
import { Page } from "../../components/Page";
import { ErrorState, LoadingState } from "../../components/States";
import { useChannels } from "../settings/useChannels";
import { BasicsSection } from "./editor/BasicsSection";
import { CopySection } from "./editor/CopySection";
import { OfferPreview } from "./editor/OfferPreview";
import { OfferSection } from "./editor/OfferSection";
import { TriggerSection } from "./editor/TriggerSection";
import { VariantsSection } from "./editor/VariantsSection";
import { FAMILY, type Family } from "./family";
import { currenciesFor, emptyRuleForm, type RuleForm } from "./ruleForm";
import { formToSpec, specToForm, type JsonObject } from "./ruleSpec";
import { useSavedNames } from "./useSavedNames";
import { hasErrors, serverErrorsToFields, validateRuleForm, type FieldErrors } from "./validation";

export function RuleEditorPage({ family, ruleId }: { family: Family; ruleId?: string }) {
  const config = FAMILY[family];
  // network-only: the form starts from what is stored now, never from a cached copy.
  const [existing, refetch] = useQuery({ query: RuleDocument, variables: { id: ruleId ?? "" }, pause: !ruleId, requestPolicy: "network-only" });
  const channels = useChannels();
  const spec = (existing.data?.rule?.spec as JsonObject | undefined) ?? null;
  const names = useSavedNames(spec, existing.data?.rule?.channels[0] ?? channels.channels?.[0]?.slug ?? null);
  const title = ruleId ? "Edit offer" : config.newLabel;

  if ((ruleId && existing.fetching && !existing.data) || channels.loading || !names.ready) {
    return (
      <Page title={title}>
        <LoadingState rows={6} />
      </Page>
    );
  }
  const error = existing.error ?? channels.error;
  if (error) {
    return (
      <Page title={title}>
        <ErrorState error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
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
  const initial = spec ? specToForm(spec, names.labels) : emptyRuleForm(config.defaultKind);
  return <RuleEditor family={family} ruleId={ruleId} initial={initial} channels={channels.channels ?? []} title={title} />;
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
  const [, navigate] = useLocation();
  const notify = useNotify();
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const currencies = useMemo(() => currenciesFor(form.channels, channels), [form.channels, channels]);
  const channelChoices = form.channels.length ? channels.filter((c) => form.channels.includes(c.slug)) : channels;
  const [previewChannel, setPreviewChannel] = useState(channelChoices[0]?.slug ?? "");
  const [creating, create] = useMutation(RuleCreateDocument);
  const [updating, update] = useMutation(RuleUpdateDocument);
  const [removing, remove] = useMutation(RuleDeleteDocument);

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
    const spec = formToSpec(form, currencies);
    try {
      const payload = ruleId ? dataOf(await update({ id: ruleId, spec })).ruleUpdate : dataOf(await create({ spec })).ruleCreate;
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
      const { ruleDelete } = dataOf(await remove({ id: ruleId }));
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

  const saving = creating.fetching || updating.fetching;
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
            <Button variant="error" onClick={() => void destroy()} disabled={removing.fetching}>
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
          {form.kind === "bump" && <VariantsSection {...sectionProps} channel={previewChannel} currencies={currencies} />}
        </Box>
        {/* Sticky, and scrolling by itself when taller than the frame, so it stays in view on a long form. */}
        <Box position="sticky" __top="16px" __maxHeight="calc(100vh - 32px)" overflowY="auto" data-testid="preview-column">
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
