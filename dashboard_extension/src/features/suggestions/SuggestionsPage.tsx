/** Pairs mined from the shop's orders: the evidence, one click to make a rule, or dismiss. */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { useLocation } from "wouter";

import { dataOf, describeError } from "../../api/client";
import { SuggestionAcceptDocument, SuggestionDismissDocument, SuggestionsDocument } from "../../api/generated";
import type { SuggestionFields } from "../../api/types";
import { useNotify } from "../../bridge/useNotify";
import { Page } from "../../components/Page";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { Thumbnail } from "../../components/Thumbnail";
import { formatPercent } from "../../lib/money";
import { paths } from "../../router/routes";
import { proofSentence, readEvidence } from "./evidence";

export function SuggestionsPage() {
  const [suggestions, refetch] = useQuery({ query: SuggestionsDocument, variables: {} });
  // Accepted or dismissed here: hidden at once (the refetch the mutation triggers drops them for good).
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  const drop = (id: string) => setDone((previous) => new Set(previous).add(id));
  const shown = suggestions.data?.suggestions.filter((s) => !done.has(s.id));

  return (
    <Page title="Suggestions" description="Pairs your customers already buy together, mined from your orders.">
      {suggestions.fetching && !suggestions.data && <LoadingState />}
      {suggestions.error && <ErrorState error={suggestions.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      {shown?.length === 0 && (
        <EmptyState title="No suggestions yet">
          Suggestions appear once the app has read enough of your order history: it mines your orders again every day by
          itself (or run <code>saleor-upsell mine</code> now). Meanwhile, create an offer by hand from the Offers tab.
        </EmptyState>
      )}
      {shown && shown.length > 0 && (
        <Box display="grid" gap={4} __gridTemplateColumns="repeat(auto-fill, minmax(320px, 1fr))">
          {shown.map((suggestion) => (
            <SuggestionCard key={suggestion.id} suggestion={suggestion} onDone={() => drop(suggestion.id)} />
          ))}
        </Box>
      )}
    </Page>
  );
}

function Figure({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <Box display="flex" flexDirection="column" title={hint}>
      <Text size={1} color="default2">
        {label}
      </Text>
      <Text size={4} fontWeight="bold">
        {value}
      </Text>
    </Box>
  );
}

type SuggestionItem = SuggestionFields["antecedent"];

function shortName(name: string): string {
  return name.length > 18 ? `${name.slice(0, 17)}…` : name;
}

function Item({ item, role }: { item: SuggestionItem; role: string }) {
  return (
    <Box display="flex" alignItems="center" gap={2} __minWidth="0">
      {item.imageUrl ? <Thumbnail url={item.imageUrl} size={48} /> : <Box __width="48px" __height="48px" borderRadius={3} backgroundColor="default1Hovered" />}
      <Box display="flex" flexDirection="column" __minWidth="0">
        <Text size={1} color="default2">
          {role}
        </Text>
        <Text fontWeight="bold" title={item.id} data-testid="suggestion-item">
          {item.name ?? "Unknown item"}
        </Text>
      </Box>
    </Box>
  );
}

function SuggestionCard({ suggestion, onDone }: { suggestion: SuggestionFields; onDone: () => void }) {
  const notify = useNotify();
  const [, navigate] = useLocation();
  const [accepting, accept] = useMutation(SuggestionAcceptDocument);
  const [dismissing, dismiss] = useMutation(SuggestionDismissDocument);
  const evidence = readEvidence(suggestion.evidence);
  const trigger = suggestion.antecedent.name ?? "the trigger";
  const offered = suggestion.consequent.name ?? "the suggested item";
  const proof = proofSentence(evidence, trigger, offered);

  const makeRule = async () => {
    try {
      const { suggestionAccept } = dataOf(await accept({ id: suggestion.id, input: { enabled: false } }));
      if (suggestionAccept.rule) {
        void notify.success("Rule created (paused)", "Review its price and copy, then switch it on.");
        onDone();
        navigate(paths.offerEdit(suggestionAccept.rule.id));
      } else {
        void notify.error("Could not create the rule", suggestionAccept.errors.map((e) => e.message).join("; "));
      }
    } catch (error) {
      void notify.error("Could not create the rule", describeError(error));
    }
  };

  const drop = async () => {
    try {
      const { suggestionDismiss } = dataOf(await dismiss({ id: suggestion.id }));
      if (suggestionDismiss.errors.length) {
        void notify.error("Could not dismiss", suggestionDismiss.errors.map((e) => e.message).join("; "));
      } else {
        onDone();
      }
    } catch (error) {
      void notify.error("Could not dismiss", describeError(error));
    }
  };

  return (
    <Box data-testid="suggestion" display="flex" flexDirection="column" gap={3} padding={4} borderRadius={4} borderWidth={1} borderStyle="solid" borderColor="default1">
      <Text size={2} color="default2">
        {suggestion.channel} · {suggestion.level} · {suggestion.source}
      </Text>
      <Box display="flex" alignItems="center" gap={3} data-testid="suggestion-pair">
        <Item item={suggestion.antecedent} role="Bought" />
        <Text size={5} color="default2" aria-hidden>
          →
        </Text>
        <Item item={suggestion.consequent} role="Offer" />
      </Box>
      <Box display="flex" gap={6}>
        <Figure label="Support" value={formatPercent(evidence.support)} hint="Share of all orders that contain both" />
        <Figure label={`${shortName(trigger)} → ${shortName(offered)}`} value={formatPercent(suggestion.confidence ?? evidence.confidence, 0)} hint={`Of orders with ${trigger}, the share that also had ${offered}`} />
        <Figure label={`${shortName(offered)} → ${shortName(trigger)}`} value={formatPercent(suggestion.reverseConfidence ?? undefined, 0)} hint={`Of orders with ${offered}, the share that also had ${trigger}`} />
        <Figure label="Lift" value={evidence.lift === undefined ? "—" : `${evidence.lift.toFixed(2)}×`} hint="How much likelier together than by chance" />
      </Box>
      {proof && (
        <Text size={2} color="default2">
          {proof}
        </Text>
      )}
      <Box display="flex" gap={2}>
        <Button onClick={() => void makeRule()} disabled={accepting.fetching}>
          Create rule
        </Button>
        <Button variant="secondary" onClick={() => void drop()} disabled={dismissing.fetching}>
          Dismiss
        </Button>
      </Box>
    </Box>
  );
}
