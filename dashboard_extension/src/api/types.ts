/** Short names for the result shapes the pages pass around (all generated from graphql/ by `npm run codegen`). */
import type {
  AnalyticsQuery,
  CatalogSearchQuery,
  ChannelFieldsFragment,
  ErrorFieldsFragment,
  MoneyFieldsFragment,
  OrderOffersQuery,
  RuleFieldsFragment,
  RulePreviewQuery,
  SettingsFieldsFragment,
  SuggestionFieldsFragment,
} from "./generated";

export type RuleFields = RuleFieldsFragment;
export type ChannelFields = ChannelFieldsFragment;
export type SettingsFields = SettingsFieldsFragment;
export type SuggestionFields = SuggestionFieldsFragment;
export type ErrorFields = ErrorFieldsFragment;
export type MoneyFields = MoneyFieldsFragment;
export type PreviewFields = RulePreviewQuery["rulePreview"];
export type CatalogProductFields = CatalogSearchQuery["catalogSearch"][number];
export type OrderOfferFields = OrderOffersQuery["orderOffers"][number];
export type RuleWeekFields = AnalyticsQuery["analytics"]["rules"][number];
export type AnalyticsFields = AnalyticsQuery["analytics"];
export type ExperimentFields = AnalyticsQuery["analytics"]["experiments"][number];
export type RuleTotalFields = AnalyticsQuery["analytics"]["ruleTotals"][number];
export type OrderValueFields = AnalyticsQuery["analytics"]["orderValues"][number];
export type DifferenceFields = NonNullable<ExperimentFields["revenuePerCheckout"]>;
