/**
 * The GraphQL documents the dashboard sends, with the shapes of their results.
 * Field names follow graphql/api.graphql; src/api/generated.ts has the full types (`npm run codegen`).
 */
import type {
  Analytics,
  CatalogProduct,
  CatalogVariant,
  ChannelSettings,
  ChannelSettingsInput,
  HoldoutLift,
  JSONValue,
  Money,
  OrderOfferEvent,
  PreviewWarning,
  Rule,
  RuleFilterInput,
  RuleWeekStats,
  SaleorChannel,
  Suggestion,
  SuggestionAcceptInput,
  UpsellError,
} from "./generated";

export type ErrorFields = Pick<UpsellError, "field" | "code" | "message">;
export type MoneyFields = Pick<Money, "amount" | "currency">;

// ------------------------------------------------------------------------------ rules

const RULE_FIELDS = `
  id kind name enabled priority startsAt endsAt channels offerVariantId headline spec createdAt updatedAt
`;
export type RuleFields = Pick<
  Rule,
  | "id"
  | "kind"
  | "name"
  | "enabled"
  | "priority"
  | "startsAt"
  | "endsAt"
  | "channels"
  | "offerVariantId"
  | "headline"
  | "spec"
  | "createdAt"
  | "updatedAt"
>;

export const RULES = `query Rules($filter: RuleFilterInput) { rules(filter: $filter) { ${RULE_FIELDS} } }`;
export type RulesData = { rules: RuleFields[] };
export type RulesVars = { filter?: RuleFilterInput | null };

export const RULE = `query Rule($id: ID!) { rule(id: $id) { ${RULE_FIELDS} } }`;
export type RuleData = { rule: RuleFields | null };

const ERRORS = "errors { field code message }";

export const RULE_CREATE = `mutation RuleCreate($spec: JSON!) { ruleCreate(spec: $spec) { rule { ${RULE_FIELDS} } ${ERRORS} } }`;
export type RulePayloadData = { rule: RuleFields | null; errors: ErrorFields[] };
export type RuleCreateData = { ruleCreate: RulePayloadData };

export const RULE_UPDATE = `mutation RuleUpdate($id: ID!, $spec: JSON!) { ruleUpdate(id: $id, spec: $spec) { rule { ${RULE_FIELDS} } ${ERRORS} } }`;
export type RuleUpdateData = { ruleUpdate: RulePayloadData };

export const RULE_SET_ENABLED = `mutation RuleSetEnabled($id: ID!, $enabled: Boolean!) {
  ruleSetEnabled(id: $id, enabled: $enabled) { rule { ${RULE_FIELDS} } ${ERRORS} }
}`;
export type RuleSetEnabledData = { ruleSetEnabled: RulePayloadData };

export const RULE_DELETE = `mutation RuleDelete($id: ID!) { ruleDelete(id: $id) { deletedId ${ERRORS} } }`;
export type RuleDeleteData = { ruleDelete: { deletedId: string | null; errors: ErrorFields[] } };

// ------------------------------------------------------------------------------ preview & catalogue

export const RULE_PREVIEW = `query RulePreview($spec: JSON!, $channel: String!, $sampleTriggerPrice: Decimal) {
  rulePreview(spec: $spec, channel: $channel, sampleTriggerPrice: $sampleTriggerPrice) {
    variantName imageUrl
    price { amount currency } regularPrice { amount currency } cataloguePrice { amount currency }
    ceilingBase { amount currency }
    warnings { code message }
    ${ERRORS}
  }
}`;
export type PreviewFields = {
  variantName: string | null;
  imageUrl: string | null;
  price: MoneyFields | null;
  regularPrice: MoneyFields | null;
  cataloguePrice: MoneyFields | null;
  ceilingBase: MoneyFields | null;
  warnings: Pick<PreviewWarning, "code" | "message">[];
  errors: ErrorFields[];
};
export type RulePreviewData = { rulePreview: PreviewFields };
export type RulePreviewVars = { spec: JSONValue; channel: string; sampleTriggerPrice?: string | null };

export const CATALOG_SEARCH = `query CatalogSearch($search: String!, $channel: String!, $first: Int!) {
  catalogSearch(search: $search, channel: $channel, first: $first) {
    id name thumbnailUrl categoryId collectionIds
    variants { id name sku price { amount currency } regularPrice { amount currency } quantityAvailable }
  }
}`;
export type CatalogVariantFields = Pick<CatalogVariant, "id" | "name" | "sku" | "quantityAvailable"> & {
  price: MoneyFields | null;
  regularPrice: MoneyFields | null;
};
export type CatalogProductFields = Pick<CatalogProduct, "id" | "name" | "thumbnailUrl" | "categoryId" | "collectionIds"> & {
  variants: CatalogVariantFields[];
};
export type CatalogSearchData = { catalogSearch: CatalogProductFields[] };

// ------------------------------------------------------------------------------ order widget

export const ORDER_OFFERS = `query OrderOffers($orderId: ID!) {
  orderOffers(orderId: $orderId) { kind offerType ruleId ruleName amount { amount currency } occurredAt }
}`;
export type OrderOfferFields = Pick<OrderOfferEvent, "kind" | "offerType" | "ruleId" | "ruleName" | "occurredAt"> & {
  amount: MoneyFields | null;
};
export type OrderOffersData = { orderOffers: OrderOfferFields[] };
export type OrderOffersVars = { orderId: string };

// ------------------------------------------------------------------------------ channels & settings

export const CHANNELS = `query Channels { channels { slug name currencyCode isActive } }`;
export type ChannelFields = Pick<SaleorChannel, "slug" | "name" | "currencyCode" | "isActive">;
export type ChannelsData = { channels: ChannelFields[] };

const SETTINGS_FIELDS = `
  channel mode maxOffersPerCheckout allowMoreThanTwo priceCeilingPercent holdoutPercent
  allowAfterDeliveryMethod postPurchaseAutoConfirm socialProofMinOrders isDefault
`;
export type SettingsFields = Pick<
  ChannelSettings,
  | "channel"
  | "mode"
  | "maxOffersPerCheckout"
  | "allowMoreThanTwo"
  | "priceCeilingPercent"
  | "holdoutPercent"
  | "allowAfterDeliveryMethod"
  | "postPurchaseAutoConfirm"
  | "socialProofMinOrders"
  | "isDefault"
>;
export const SETTINGS_PAGE = `query SettingsPage {
  channels { slug name currencyCode isActive }
  channelSettings { ${SETTINGS_FIELDS} }
}`;
export type SettingsPageData = { channels: ChannelFields[]; channelSettings: SettingsFields[] };

export const CHANNEL_SETTINGS_UPDATE = `mutation ChannelSettingsUpdate($channel: String!, $input: ChannelSettingsInput!) {
  channelSettingsUpdate(channel: $channel, input: $input) { settings { ${SETTINGS_FIELDS} } ${ERRORS} }
}`;
export type ChannelSettingsUpdateData = {
  channelSettingsUpdate: { settings: SettingsFields | null; errors: ErrorFields[] };
};
export type ChannelSettingsUpdateVars = { channel: string; input: ChannelSettingsInput };

// ------------------------------------------------------------------------------ suggestions

const SUGGESTION_FIELDS = "id channel level source antecedentId consequentId evidence status computedAt";
export type SuggestionFields = Pick<
  Suggestion,
  "id" | "channel" | "level" | "source" | "antecedentId" | "consequentId" | "evidence" | "status" | "computedAt"
>;
export const SUGGESTIONS = `query Suggestions($channel: String) { suggestions(channel: $channel) { ${SUGGESTION_FIELDS} } }`;
export type SuggestionsData = { suggestions: SuggestionFields[] };

export const SUGGESTION_ACCEPT = `mutation SuggestionAccept($id: ID!, $input: SuggestionAcceptInput) {
  suggestionAccept(id: $id, input: $input) { suggestion { ${SUGGESTION_FIELDS} } rule { ${RULE_FIELDS} } ${ERRORS} }
}`;
export type SuggestionAcceptData = {
  suggestionAccept: { suggestion: SuggestionFields | null; rule: RuleFields | null; errors: ErrorFields[] };
};
export type SuggestionAcceptVars = { id: string; input?: SuggestionAcceptInput | null };

export const SUGGESTION_DISMISS = `mutation SuggestionDismiss($id: ID!) {
  suggestionDismiss(id: $id) { suggestion { ${SUGGESTION_FIELDS} } ${ERRORS} }
}`;
export type SuggestionDismissData = { suggestionDismiss: { suggestion: SuggestionFields | null; errors: ErrorFields[] } };

// ------------------------------------------------------------------------------ analytics

export const ANALYTICS = `query Analytics($channel: String, $since: DateTime, $until: DateTime) {
  analytics(channel: $channel, since: $since, until: $until) {
    rules {
      ruleId ruleName channel isoYear isoWeek shown accepted declined removed converted acceptanceRate
      revenue { amount currency }
    }
    lift {
      channel currency treatedOrders controlOrders treatedMean controlMean difference relativeLift
      intervalLow intervalHigh verdict
    }
  }
}`;
export type RuleWeekFields = Omit<RuleWeekStats, "__typename" | "revenue"> & { revenue: MoneyFields[] };
export type LiftFields = Omit<HoldoutLift, "__typename">;
export type AnalyticsData = { analytics: Pick<Analytics, never> & { rules: RuleWeekFields[]; lift: LiftFields[] } };
