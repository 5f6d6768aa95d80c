/** Per-channel guardrails: mode, max offers, price ceiling, holdout, delivery stage, post-purchase confirm. */
import { Box, Button, Switch, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import { describeError } from "../../api/client";
import { useMutation, useQuery } from "../../api/hooks";
import {
  CHANNEL_SETTINGS_UPDATE,
  SETTINGS_PAGE,
  type ChannelFields,
  type ChannelSettingsUpdateData,
  type ChannelSettingsUpdateVars,
  type SettingsFields,
  type SettingsPageData,
} from "../../api/operations";
import { useNotify } from "../../bridge/useNotify";
import { Page, Section } from "../../components/Page";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { CheckField, FieldMessage, Grid, TextField } from "../offers/editor/fields";
import { formToSettingsInput, settingsServerErrors, settingsToForm, validateSettings, type SettingsErrors, type SettingsForm } from "./settingsForm";

export function SettingsPage() {
  const page = useQuery<SettingsPageData>(SETTINGS_PAGE);
  const channels = new Map((page.data?.channels ?? []).map((c) => [c.slug, c]));
  return (
    <Page title="Settings" description="Guardrails per channel. Defaults are deliberately careful: one offer, 25% price ceiling.">
      {page.loading && !page.data && <LoadingState rows={4} />}
      {page.error !== undefined && <ErrorState error={page.error} onRetry={() => void page.refetch()} />}
      {page.data?.channelSettings.length === 0 && (
        <EmptyState title="No channels found">The app could not list your Saleor channels. Create a channel in Saleor first.</EmptyState>
      )}
      {page.data?.channelSettings.map((settings) => (
        <ChannelSettingsCard key={settings.channel} settings={settings} channel={channels.get(settings.channel)} />
      ))}
    </Page>
  );
}

function ChannelSettingsCard({ settings, channel }: { settings: SettingsFields; channel?: ChannelFields }) {
  const notify = useNotify();
  const [form, setForm] = useState<SettingsForm>(() => settingsToForm(settings));
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [isDefault, setIsDefault] = useState(settings.isDefault);
  const save = useMutation<ChannelSettingsUpdateData, ChannelSettingsUpdateVars>(CHANNEL_SETTINGS_UPDATE);
  const update = (patch: Partial<SettingsForm>) => setForm((previous) => ({ ...previous, ...patch }));

  const submit = async () => {
    const found = validateSettings(form);
    setErrors(found);
    if (Object.keys(found).length) return;
    try {
      const { channelSettingsUpdate } = await save.run({ channel: settings.channel, input: formToSettingsInput(form) });
      if (channelSettingsUpdate.settings) {
        setForm(settingsToForm(channelSettingsUpdate.settings));
        setIsDefault(false);
        void notify.success("Settings saved", channel?.name ?? settings.channel);
      } else {
        setErrors(settingsServerErrors(channelSettingsUpdate.errors));
        void notify.error("Settings not saved", channelSettingsUpdate.errors.map((e) => e.message).join("; "));
      }
    } catch (error) {
      setErrors({ form: describeError(error) });
      void notify.error("Settings not saved", describeError(error));
    }
  };

  const title = channel ? `${channel.name} (${channel.currencyCode})` : settings.channel;
  return (
    <Section title={title} aside={isDefault ? <Text size={2} color="default2">Using defaults</Text> : undefined}>
      <Box display="flex" flexDirection="column" gap={2} data-testid={`settings-${settings.channel}`}>
        <Text size={3} fontWeight="medium">
          Mode
        </Text>
        <Switch value={form.mode} onValueChange={(mode) => mode && update({ mode: mode as SettingsForm["mode"] })} __width="fit-content">
          <Switch.Item id={`${settings.channel}-inject`} value="INJECT">
            <Text size={2} paddingX={2}>Add to cart (inject)</Text>
          </Switch.Item>
          <Switch.Item id={`${settings.channel}-offer`} value="OFFER">
            <Text size={2} paddingX={2}>Show as opt-in (offer)</Text>
          </Switch.Item>
        </Switch>
        <Text size={2} color="default2">
          {form.mode === "INJECT"
            ? "The app adds the offer as its own line; the shopper removes it with one click."
            : "Nothing is added: your storefront shows offers from the app's API and the shopper opts in. Use this where pre-ticked extras are not allowed."}
        </Text>
      </Box>
      <Grid columns={3}>
        <TextField label="Max offers per checkout" name="maxOffers" type="number" value={form.maxOffers} onChange={(maxOffers) => update({ maxOffers })} error={errors.maxOffers} />
        <TextField label="Price ceiling (% of what triggered it)" name="ceilingPercent" type="number" value={form.ceilingEnabled ? form.ceilingPercent : ""} onChange={(ceilingPercent) => update({ ceilingPercent, ceilingEnabled: true })} error={errors.ceilingPercent} helperText={form.ceilingEnabled ? "An offer may cost at most this share" : "No ceiling"} />
        <TextField label="Holdout (%)" name="holdoutPercent" type="number" value={form.holdoutPercent} onChange={(holdoutPercent) => update({ holdoutPercent })} error={errors.holdoutPercent} helperText="Checkouts that never get offers, to measure lift (0–50)" />
        <TextField label="Social proof: minimum orders" name="socialProofMinOrders" type="number" value={form.socialProofMinOrders} onChange={(socialProofMinOrders) => update({ socialProofMinOrders })} error={errors.socialProofMinOrders} helperText="{social_proof} in copy shows a figure only above this many orders" />
      </Grid>
      <Box display="flex" flexDirection="column" gap={2}>
        <CheckField name="allowMoreThanTwo" label="Allow more than two offers per checkout (not recommended)" checked={form.allowMoreThanTwo} onChange={(allowMoreThanTwo) => update({ allowMoreThanTwo })} />
        <CheckField name="ceilingEnabled" label="Limit offer prices with a ceiling" checked={form.ceilingEnabled} onChange={(ceilingEnabled) => update({ ceilingEnabled })} />
        <CheckField name="allowAfterDeliveryMethod" label="Keep adding offers after the shopper chose a delivery method" checked={form.allowAfterDeliveryMethod} onChange={(allowAfterDeliveryMethod) => update({ allowAfterDeliveryMethod })} />
        <CheckField name="postPurchaseAutoConfirm" label="Confirm orders automatically once the post-purchase window closes" checked={form.postPurchaseAutoConfirm} onChange={(postPurchaseAutoConfirm) => update({ postPurchaseAutoConfirm })} />
      </Box>
      <FieldMessage error={errors.form} id={`error-settings-${settings.channel}`} />
      <Box>
        <Button onClick={() => void submit()} disabled={save.running} data-testid={`save-settings-${settings.channel}`}>
          {save.running ? "Saving…" : "Save"}
        </Button>
      </Box>
    </Section>
  );
}
