/** Name, type, channels, priority, schedule and the on/off switch. */
import { Box, Text } from "@saleor/macaw-ui";

import type { ChannelFields } from "../../../api/types";
import { Section } from "../../../components/Page";
import type { RuleForm, RuleKind } from "../ruleForm";
import type { FieldErrors } from "../validation";
import { CheckField, FieldMessage, Grid, SelectField, TextField } from "./fields";

type Props = {
  form: RuleForm;
  errors: FieldErrors;
  channels: ChannelFields[];
  kinds: RuleKind[];
  update: (patch: Partial<RuleForm>) => void;
};

const KIND_OPTIONS: { value: RuleKind; label: string }[] = [
  { value: "bump", label: "Order bump: add an extra item" },
  { value: "upgrade", label: "Upgrade: swap for a premium variant" },
  { value: "post_purchase", label: "Post-purchase: one-click after the order" },
];

export function BasicsSection({ form, errors, channels, kinds, update }: Props) {
  const toggleChannel = (slug: string, on: boolean) =>
    update({ channels: on ? [...form.channels, slug] : form.channels.filter((c) => c !== slug) });

  return (
    <Section title="Basics">
      <Grid>
        <TextField label="Name" name="name" value={form.name} onChange={(name) => update({ name })} error={errors.name} helperText="Only you see it" />
        {kinds.length > 1 ? (
          <SelectField label="Type" name="kind" value={form.kind} options={KIND_OPTIONS.filter((o) => kinds.includes(o.value))} onChange={(kind) => update({ kind })} />
        ) : (
          <TextField label="Priority" name="priority" value={form.priority} onChange={(priority) => update({ priority })} error={errors.priority} helperText="Higher wins when several offers match" />
        )}
      </Grid>
      <Box display="flex" flexDirection="column" gap={2}>
        <Text size={3} fontWeight="medium">
          Channels
        </Text>
        <Box display="flex" gap={4} flexWrap="wrap" data-testid="channel-choices">
          {channels.map((channel) => (
            <CheckField
              key={channel.slug}
              name={`channel-${channel.slug}`}
              label={`${channel.name} (${channel.currencyCode})`}
              checked={form.channels.includes(channel.slug)}
              onChange={(on) => toggleChannel(channel.slug, on)}
            />
          ))}
        </Box>
        <Text size={2} color="default2">
          {form.channels.length ? "Only in the channels ticked." : "None ticked: every channel."}
        </Text>
        <FieldMessage error={errors.channels} id="error-channels" />
      </Box>
      <Grid columns={kinds.length > 1 ? 3 : 2}>
        {kinds.length > 1 && (
          <TextField label="Priority" name="priority" value={form.priority} onChange={(priority) => update({ priority })} error={errors.priority} helperText="Higher wins" />
        )}
        <TextField label="Starts" name="startsAt" type="datetime-local" value={form.startsAt} onChange={(startsAt) => update({ startsAt })} error={errors.startsAt} helperText="Empty: now" />
        <TextField label="Ends" name="endsAt" type="datetime-local" value={form.endsAt} onChange={(endsAt) => update({ endsAt })} error={errors.endsAt} helperText="Empty: no end" />
      </Grid>
      <CheckField name="enabled" label="Enabled" checked={form.enabled} onChange={(enabled) => update({ enabled })} />
    </Section>
  );
}
