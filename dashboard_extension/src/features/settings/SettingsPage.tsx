/**
 * Per-channel guardrails on one page: a table of the channels (with their mode and limits at a glance) to pick
 * one, the form of the picked channel, and one Save for every channel with unsaved changes.
 */
import { Box, Button, RadioGroup, Text } from "@saleor/macaw-ui";
import { useMemo, useState } from "react";
import { useMutation, useQuery } from "urql";

import { dataOf, describeError } from "../../api/client";
import { ChannelSettingsUpdateDocument, SettingsPageDocument } from "../../api/generated";
import type { SettingsFields } from "../../api/types";
import { useNotify } from "../../bridge/useNotify";
import { Page, Section } from "../../components/Page";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { Cell, Table } from "../../components/Table";
import { CheckField, FieldMessage, Grid, TextField } from "../offers/editor/fields";
import { HoldoutNote } from "../analytics/HoldoutNote";
import {
  dirtyChannels,
  formToSettingsInput,
  inChannelOrder,
  MODE_LABEL,
  needsMoreThanTwo,
  settingsServerErrors,
  settingsToForm,
  validateSettings,
  type ChannelEntry,
  type SettingsErrors,
  type SettingsForm,
} from "./settingsForm";

export function SettingsPage() {
  const [page, refetch] = useQuery({ query: SettingsPageDocument, requestPolicy: "network-only" });
  const entries = useMemo(() => (page.data ? inChannelOrder(page.data.channels, page.data.channelSettings) : []), [page.data]);
  return (
    <Page title="Settings" description="Guardrails per channel. Defaults are deliberately careful: one offer, 25% price ceiling.">
      {page.fetching && !page.data && <LoadingState rows={4} />}
      {page.error && <ErrorState error={page.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      {page.data && entries.length === 0 && (
        <EmptyState title="No channels found">The app could not list your Saleor channels. Create a channel in Saleor first.</EmptyState>
      )}
      {entries.length > 0 && <ChannelSettingsEditor entries={entries} />}
    </Page>
  );
}

const byChannel = (entries: ChannelEntry[]) => Object.fromEntries(entries.map((e) => [e.slug, settingsToForm(e.settings)]));
const titleOf = (entry: ChannelEntry) => (entry.channel ? `${entry.channel.name} (${entry.channel.currencyCode})` : entry.slug);

function ChannelSettingsEditor({ entries }: { entries: ChannelEntry[] }) {
  const notify = useNotify();
  const order = entries.map((e) => e.slug);
  const [saved, setSaved] = useState<Record<string, SettingsForm>>(() => byChannel(entries));
  const [drafts, setDrafts] = useState<Record<string, SettingsForm>>(() => byChannel(entries));
  const [defaults, setDefaults] = useState<Record<string, boolean>>(() => Object.fromEntries(entries.map((e) => [e.slug, e.settings.isDefault])));
  const [errors, setErrors] = useState<Record<string, SettingsErrors>>({});
  const [selected, setSelected] = useState(order[0] ?? "");
  const [saving, setSaving] = useState(false);
  const [, save] = useMutation(ChannelSettingsUpdateDocument);

  const dirty = dirtyChannels(order, drafts, saved);
  const entry = entries.find((e) => e.slug === selected) ?? entries[0];
  const form = entry ? drafts[entry.slug] : undefined;
  const nameOf = (slug: string) => entries.find((e) => e.slug === slug)?.channel?.name ?? slug;

  const update = (patch: Partial<SettingsForm>) =>
    entry && setDrafts((previous) => ({ ...previous, [entry.slug]: { ...(previous[entry.slug] as SettingsForm), ...patch } }));

  const discard = () => {
    setDrafts(saved);
    setErrors({});
  };

  const submit = async () => {
    const found = Object.fromEntries(dirty.map((slug) => [slug, validateSettings(drafts[slug] as SettingsForm)]));
    const invalid = dirty.filter((slug) => Object.keys(found[slug] ?? {}).length > 0);
    setErrors(found);
    if (invalid.length) {
      setSelected(invalid[0] as string);
      void notify.error("Check the highlighted fields", invalid.map(nameOf).join(", "));
      return;
    }
    setSaving(true);
    const done: string[] = [];
    const failed: string[] = [];
    for (const slug of dirty) {
      try {
        const { channelSettingsUpdate } = dataOf(await save({ channel: slug, input: formToSettingsInput(drafts[slug] as SettingsForm) }));
        if (channelSettingsUpdate.settings) {
          const stored = settingsToForm(channelSettingsUpdate.settings as SettingsFields);
          setSaved((previous) => ({ ...previous, [slug]: stored }));
          setDrafts((previous) => ({ ...previous, [slug]: stored }));
          setDefaults((previous) => ({ ...previous, [slug]: false }));
          done.push(slug);
        } else {
          setErrors((previous) => ({ ...previous, [slug]: settingsServerErrors(channelSettingsUpdate.errors) }));
          failed.push(slug);
        }
      } catch (error) {
        setErrors((previous) => ({ ...previous, [slug]: { form: describeError(error) } }));
        failed.push(slug);
      }
    }
    setSaving(false);
    if (done.length) void notify.success("Settings saved", done.map(nameOf).join(", "));
    if (failed.length) {
      setSelected(failed[0] as string);
      void notify.error("Settings not saved", failed.map(nameOf).join(", "));
    }
  };

  return (
    <>
      <ChannelTable
        entries={entries}
        drafts={drafts}
        dirty={dirty}
        defaults={defaults}
        errors={errors}
        selected={entry?.slug ?? ""}
        onSelect={setSelected}
      />
      {entry && form && (
        <Section
          title={titleOf(entry)}
          aside={
            <Text size={2} color="default2">
              {dirty.includes(entry.slug) ? "Unsaved changes" : defaults[entry.slug] ? "Using defaults" : "Saved"}
            </Text>
          }
        >
          <ChannelForm
            slug={entry.slug}
            form={form}
            errors={errors[entry.slug] ?? {}}
            update={update}
            defaultReason={defaults[entry.slug] ? entry.settings.defaultModeReason : null}
          />
        </Section>
      )}
      <SaveBar dirty={dirty.map(nameOf)} saving={saving} onSave={() => void submit()} onDiscard={discard} />
    </>
  );
}

function ChannelTable({
  entries,
  drafts,
  dirty,
  defaults,
  errors,
  selected,
  onSelect,
}: {
  entries: ChannelEntry[];
  drafts: Record<string, SettingsForm>;
  dirty: string[];
  defaults: Record<string, boolean>;
  errors: Record<string, SettingsErrors>;
  selected: string;
  onSelect: (slug: string) => void;
}) {
  const headers = ["Channel", "Mode", "Offers per checkout", "Price ceiling", "Holdout", ""];
  return (
    <Table headers={headers} testId="settings-channels">
      {entries.map((entry) => {
        const form = drafts[entry.slug] as SettingsForm;
        const active = entry.slug === selected;
        const broken = Object.keys(errors[entry.slug] ?? {}).length > 0;
        const state = broken ? "Needs fixing" : dirty.includes(entry.slug) ? "Unsaved changes" : defaults[entry.slug] ? "Defaults" : "Saved";
        const cells = [
          MODE_LABEL[form.mode],
          form.maxOffers,
          form.ceilingEnabled ? `${form.ceilingPercent}%` : "None",
          `${form.holdoutPercent}%`,
        ];
        return (
          <Box
            as="tr"
            key={entry.slug}
            data-testid={`settings-row-${entry.slug}`}
            aria-selected={active}
            onClick={() => onSelect(entry.slug)}
            cursor="pointer"
            backgroundColor={active ? "default1Hovered" : { default: "default1", hover: "default1Hovered" }}
          >
            <Cell dense>
              <Box
                as="button"
                type="button"
                aria-pressed={active}
                backgroundColor="transparent"
                borderWidth={0}
                padding={0}
                cursor="pointer"
                textAlign="left"
              >
                <Text fontWeight={active ? "bold" : "medium"}>{titleOf(entry)}</Text>
              </Box>
            </Cell>
            {cells.map((value, index) => (
              <Cell key={index} dense>
                <Text size={2}>{value}</Text>
              </Cell>
            ))}
            <Cell dense>
              <Text size={2} color={broken ? "critical1" : dirty.includes(entry.slug) ? "warning1" : "default2"} data-testid="settings-state">
                {state}
              </Text>
            </Cell>
          </Box>
        );
      })}
    </Table>
  );
}

function ChannelForm({
  slug,
  form,
  errors,
  update,
  defaultReason,
}: {
  slug: string;
  form: SettingsForm;
  errors: SettingsErrors;
  update: (patch: Partial<SettingsForm>) => void;
  defaultReason?: string | null;
}) {
  return (
    <Box display="flex" flexDirection="column" gap={5} data-testid="settings-form" data-channel={slug}>
      <ModeField slug={slug} mode={form.mode} onChange={(mode) => update({ mode })} defaultReason={defaultReason} />
      <Grid columns={2}>
        <Box display="flex" flexDirection="column" gap={2}>
          <TextField
            label="Offers per checkout, at most"
            name="maxOffers"
            type="number"
            value={form.maxOffers}
            onChange={(maxOffers) => update({ maxOffers })}
            error={errors.maxOffers}
            helperText="1 is recommended; 0 turns offers off in this channel"
          />
          {needsMoreThanTwo(form) && (
            <CheckField
              name="allowMoreThanTwo"
              label="Yes, allow more than two offers per checkout (shoppers shown many extras accept fewer)"
              checked={form.allowMoreThanTwo}
              onChange={(allowMoreThanTwo) => update({ allowMoreThanTwo })}
            />
          )}
        </Box>
        <Box display="flex" flexDirection="column" gap={2}>
          <CheckField name="ceilingEnabled" label="Limit offer prices with a ceiling" checked={form.ceilingEnabled} onChange={(ceilingEnabled) => update({ ceilingEnabled })} />
          {form.ceilingEnabled && (
            <TextField
              label="Price ceiling (% of what triggered it)"
              name="ceilingPercent"
              type="number"
              value={form.ceilingPercent}
              onChange={(ceilingPercent) => update({ ceilingPercent })}
              error={errors.ceilingPercent}
              helperText="An offer may cost at most this share of the item or cart that triggered it"
            />
          )}
        </Box>
        <TextField
          label="Holdout (%)"
          name="holdoutPercent"
          type="number"
          value={form.holdoutPercent}
          onChange={(holdoutPercent) => update({ holdoutPercent })}
          error={errors.holdoutPercent}
          helperText="Checkouts that never get offers, to measure lift (0–50; default 10)"
        />
        <HoldoutNote percent={Number(form.holdoutPercent) || 0} />
        <TextField
          label="Social proof: minimum orders"
          name="socialProofMinOrders"
          type="number"
          value={form.socialProofMinOrders}
          onChange={(socialProofMinOrders) => update({ socialProofMinOrders })}
          error={errors.socialProofMinOrders}
          helperText="{social_proof} in copy shows a figure only from this many orders on"
        />
      </Grid>
      <Box display="flex" flexDirection="column" gap={2} data-testid="settings-guardrail">
        <CheckField
          name="guardrailEnabled"
          label="Pause a rule that costs completed checkouts (completion guardrail)"
          checked={form.guardrailEnabled}
          onChange={(guardrailEnabled) => update({ guardrailEnabled })}
        />
        <Text size={2} color="default2" data-testid="guardrail-explanation">
          The app pauses a rule whose checkouts complete significantly less often than the holdout&apos;s, and says why on
          the analytics page. The margin is the drop in completion, in percentage points, you accept before it pauses
          (0 pauses on any significant drop).
        </Text>
        <TextField
          label="Guardrail margin (percentage points)"
          name="guardrailMarginPoints"
          type="number"
          value={form.guardrailMarginPoints}
          onChange={(guardrailMarginPoints) => update({ guardrailMarginPoints })}
          error={errors.guardrailMarginPoints}
          helperText="0–20; e.g. 2 pauses only when completion drops by more than 2 points"
        />
      </Box>
      <Box display="flex" flexDirection="column" gap={2}>
        <CheckField
          name="allowAfterDeliveryMethod"
          label="Keep adding offers after the shopper chose a delivery method"
          checked={form.allowAfterDeliveryMethod}
          onChange={(allowAfterDeliveryMethod) => update({ allowAfterDeliveryMethod })}
        />
        <CheckField
          name="postPurchaseAutoConfirm"
          label="Confirm orders automatically once the post-purchase window closes"
          checked={form.postPurchaseAutoConfirm}
          onChange={(postPurchaseAutoConfirm) => update({ postPurchaseAutoConfirm })}
        />
      </Box>
      <FieldMessage error={errors.form} id={`error-settings-${slug}`} />
    </Box>
  );
}

/** Where the mode is chosen, the law that decides it for EU/EEA shoppers is stated plainly. */
function ModeField({
  slug,
  mode,
  onChange,
  defaultReason,
}: {
  slug: string;
  mode: SettingsForm["mode"];
  onChange: (mode: SettingsForm["mode"]) => void;
  /** Why a channel nothing was saved for starts in offer mode (the server's default for EU/EEA currencies). */
  defaultReason?: string | null;
}) {
  return (
    <Box display="flex" flexDirection="column" gap={3} data-testid="settings-mode">
      {defaultReason && (
        <Text size={2} fontWeight="medium" data-testid="default-mode-reason">
          {defaultReason}
        </Text>
      )}
      <RadioGroup value={mode} onValueChange={(value) => onChange(value as SettingsForm["mode"])} label={<Text fontWeight="medium">How shoppers get offers</Text>} display="flex" flexDirection="column" gap={3}>
        <RadioGroup.Item id={`${slug}-mode-offer`} value="OFFER">
          <Box display="flex" flexDirection="column">
            <Text fontWeight="medium">{MODE_LABEL.OFFER}</Text>
            <Text size={2} color="default2">
              Nothing is added to the cart. The storefront shows the offer (the storefront widget, or your own storefront
              through the app&apos;s <code>checkoutOffers</code> API) and the shopper adds it with a click.
            </Text>
          </Box>
        </RadioGroup.Item>
        <RadioGroup.Item id={`${slug}-mode-inject`} value="INJECT">
          <Box display="flex" flexDirection="column">
            <Text fontWeight="medium">{MODE_LABEL.INJECT}</Text>
            <Text size={2} color="default2">
              The app adds the offer to the cart as its own line without asking the shopper; the shopper can remove it.
            </Text>
          </Box>
        </RadioGroup.Item>
      </RadioGroup>
      <Box
        role="note"
        data-testid="eu-notice"
        padding={3}
        borderRadius={3}
        borderWidth={1}
        borderStyle="solid"
        borderColor={mode === "INJECT" ? "critical1" : "default1"}
        backgroundColor={mode === "INJECT" ? "warning1" : "default2"}
      >
        <Text size={2}>
          <strong>Selling to shoppers in the EU/EEA?</strong> Inject mode adds a line without asking. The Consumer Rights
          Directive (2011/83/EU, Art. 22) requires the shopper&apos;s express consent to any extra payment and does not
          allow it to be taken through pre-ticked extras that the shopper has to remove; a shopper charged that way can
          claim the money back. Offer mode with the storefront widget is the opt-in way: use it for those channels.
        </Text>
      </Box>
    </Box>
  );
}

function SaveBar({ dirty, saving, onSave, onDiscard }: { dirty: string[]; saving: boolean; onSave: () => void; onDiscard: () => void }) {
  return (
    <Box
      position="sticky"
      __bottom="0"
      display="flex"
      justifyContent="space-between"
      alignItems="center"
      gap={4}
      paddingY={3}
      paddingX={5}
      borderRadius={4}
      borderWidth={1}
      borderStyle="solid"
      borderColor={dirty.length ? "accent1" : "default1"}
      backgroundColor="default1"
      data-testid="settings-savebar"
    >
      <Text size={3} color={dirty.length ? "default1" : "default2"} data-testid="settings-dirty">
        {dirty.length ? `Unsaved changes in ${dirty.join(", ")}` : "All changes saved"}
      </Text>
      <Box display="flex" gap={2}>
        <Button variant="secondary" onClick={onDiscard} disabled={!dirty.length || saving}>
          Discard
        </Button>
        <Button onClick={onSave} disabled={!dirty.length || saving} data-testid="save-settings">
          {saving ? "Saving…" : dirty.length > 1 ? `Save ${dirty.length} channels` : "Save"}
        </Button>
      </Box>
    </Box>
  );
}
