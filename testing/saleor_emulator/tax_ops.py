"""Tax configuration: staff mutations (MANAGE_TAXES, enforced by the schema gates) and the queries an app
may use to read it (AUTHENTICATED_APP or AUTHENTICATED_STAFF_USER: `taxConfiguration(s)`,
`taxCountryConfiguration(s)`, `Channel.taxConfiguration`). Captures
graphql-staff-taxConfigurationUpdate-*.json, graphql-staff-taxCountryConfigurationUpdate-PL-10.json,
graphql-staff-taxCountryConfigurationDelete-PL.json."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .auth import RequestContext
from .errors import Unsupported, payload_error
from .filters import metadata_matches
from .ids import from_global_id
from .pagination import connection
from .state import State
from .taxes import CountryTaxSettings, TaxSettings, country_rates_view

Payload = dict[str, Any]

_SETTINGS = {
    "chargeTaxes": "charge_taxes",
    "taxCalculationStrategy": "tax_calculation_strategy",
    "displayGrossPrices": "display_gross_prices",
    "pricesEnteredWithTax": "prices_entered_with_tax",
    "useWeightedTaxForShipping": "use_weighted_tax_for_shipping",
    "taxAppId": "tax_app_id",
}


def _state(info: Any) -> State:
    ctx: RequestContext = info.context
    state: State = ctx.state
    return state


def tax_settings(state: State, global_id: str) -> TaxSettings | None:
    """TaxConfiguration:<pk> is the tax configuration of the channel with that pk."""
    parsed = from_global_id(global_id)
    if parsed is None or parsed[0] != "TaxConfiguration":
        return None
    return next((c.tax for c in state.channels.values() if str(c.pk) == parsed[1]), None)


def configure(settings: TaxSettings, values: Payload) -> None:
    """Apply TaxConfigurationUpdateInput-shaped values (camelCase keys)."""
    for key, value in values.items():
        if key in _SETTINGS and value is not None:
            setattr(settings, _SETTINGS[key], value)
    for entry in values.get("updateCountriesConfiguration") or []:
        settings.countries_by_code[entry["countryCode"]] = CountryTaxSettings(
            country_code=entry["countryCode"],
            charge_taxes=entry["chargeTaxes"],
            display_gross_prices=entry["displayGrossPrices"],
            tax_calculation_strategy=entry.get("taxCalculationStrategy"),
            tax_app_id=entry.get("taxAppId"),
            use_weighted_tax_for_shipping=entry.get("useWeightedTaxForShipping"),
        )
    for code in values.get("removeCountriesConfiguration") or []:
        settings.countries_by_code.pop(code, None)


def tax_configuration_update(_: Any, info: Any, id: str, input: Payload) -> Payload:
    settings = tax_settings(_state(info), id)
    if settings is None:
        error = payload_error("NOT_FOUND", f"Couldn't resolve to a node: {id}", "id", countryCodes=[])
        return {"taxConfiguration": None, "errors": [error]}
    updated = {e["countryCode"] for e in input.get("updateCountriesConfiguration") or []}
    both = sorted(updated & set(input.get("removeCountriesConfiguration") or []))
    if both:
        message = (
            "The same country code cannot be in both lists for updating and removing items: "
            + ", ".join(both)
        )
        error = payload_error("DUPLICATED_INPUT_ITEM", message, None, countryCodes=both)
        return {"taxConfiguration": None, "errors": [error]}
    if input.get("useWeightedTaxForShipping"):
        raise Unsupported("Saleor emulator: useWeightedTaxForShipping is not modelled")
    configure(settings, input)
    return {"taxConfiguration": settings, "errors": []}


def tax_country_configuration_update(
    _: Any, info: Any, countryCode: str, updateTaxClassRates: list[Payload]
) -> Payload:
    def fail(code: str, message: str) -> Payload:
        error = payload_error(code, message, "updateTaxClassRates", taxClassIds=[])
        return {"taxCountryConfiguration": None, "errors": [error]}

    if any(entry.get("taxClassId") for entry in updateTaxClassRates):
        raise Unsupported("Saleor emulator: tax classes are not modelled (give rates without taxClassId)")
    if any(entry.get("rate") is not None and entry["rate"] < 0 for entry in updateTaxClassRates):
        return fail("CANNOT_CREATE_NEGATIVE_RATE", "Cannot create rates with negative values.")
    if len(updateTaxClassRates) > 1:
        message = "Only one default country rate can be created for a country (a rate without a tax class)."
        return fail("ONLY_ONE_DEFAULT_COUNTRY_RATE_ALLOWED", message)
    rates = _state(info).tax_rates
    for entry in updateTaxClassRates:
        if entry.get("rate") is None:
            rates.pop(countryCode, None)
        else:
            rates[countryCode] = Decimal(str(entry["rate"]))
    return {"taxCountryConfiguration": country_rates_view(countryCode, rates.get(countryCode)), "errors": []}


def tax_country_configuration_delete(_: Any, info: Any, countryCode: str) -> Payload:
    _state(info).tax_rates.pop(countryCode, None)
    return {"taxCountryConfiguration": country_rates_view(countryCode, None), "errors": []}


def resolve_tax_configuration(_: Any, info: Any, id: str) -> TaxSettings | None:
    return tax_settings(_state(info), id)


def resolve_tax_configurations(
    _: Any, info: Any, filter: Payload | None = None, **page: Any
) -> dict[str, Any]:
    settings = [c.tax for c in _state(info).channels.values()]
    if filter:
        unknown = set(filter) - {"ids", "metadata"}
        if unknown:
            raise Unsupported(
                f"Saleor emulator: taxConfigurations(filter: {sorted(unknown)}) is not modelled"
            )
        if filter.get("ids") is not None:
            settings = [s for s in settings if s.id in filter["ids"]]
        for flt in filter.get("metadata") or []:
            settings = [s for s in settings if metadata_matches(s.meta, flt)]
    return connection(settings, field_name="taxConfigurations", sort_key=lambda s: [s.channel.pk], **page)


def resolve_tax_country_configuration(_: Any, info: Any, countryCode: str) -> dict[str, Any]:
    return country_rates_view(countryCode, _state(info).tax_rates.get(countryCode))


def resolve_tax_country_configurations(_: Any, info: Any) -> list[dict[str, Any]]:
    rates = _state(info).tax_rates
    return [country_rates_view(code, rates[code]) for code in sorted(rates)]


RESOLVERS: dict[str, dict[str, Any]] = {
    "Mutation": {
        "taxConfigurationUpdate": tax_configuration_update,
        "taxCountryConfigurationUpdate": tax_country_configuration_update,
        "taxCountryConfigurationDelete": tax_country_configuration_delete,
    },
    "Query": {
        "taxConfiguration": resolve_tax_configuration,
        "taxConfigurations": resolve_tax_configurations,
        "taxCountryConfiguration": resolve_tax_country_configuration,
        "taxCountryConfigurations": resolve_tax_country_configurations,
    },
}
