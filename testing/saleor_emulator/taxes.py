"""Per-channel tax configuration and flat country rates (captures graphql-staff-taxConfigurationUpdate-*.json,
graphql-staff-taxCountryConfiguration{Update,Delete}-PL*.json; PROTOCOL "Money facts").

Only FLAT_RATES is modelled; products have no tax class, so a line is taxed at its country's default
rate (Saleor's TaxClassCountryRate with no tax class)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from .countries import country_display
from .errors import Unsupported
from .ids import to_global_id
from .metadata import MetadataMixin
from .money import NO_TAX, ZERO, TaxMode

FLAT_RATES, TAX_APP = "FLAT_RATES", "TAX_APP"


@dataclass(eq=False)
class CountryTaxSettings:
    """TaxConfigurationPerCountry: a country's exceptions to its channel's configuration."""

    graphql_type: ClassVar[str] = "TaxConfigurationPerCountry"
    country_code: str
    charge_taxes: bool
    display_gross_prices: bool
    tax_calculation_strategy: str | None = None
    tax_app_id: str | None = None
    use_weighted_tax_for_shipping: bool | None = None

    @property
    def country(self) -> dict[str, Any]:
        return country_display(self.country_code)

    @property
    def chargeTaxes(self) -> bool:
        return self.charge_taxes

    @property
    def displayGrossPrices(self) -> bool:
        return self.display_gross_prices

    @property
    def taxCalculationStrategy(self) -> str | None:
        return self.tax_calculation_strategy

    @property
    def taxAppId(self) -> str | None:
        return self.tax_app_id

    @property
    def useWeightedTaxForShipping(self) -> bool | None:
        return self.use_weighted_tax_for_shipping


@dataclass(eq=False)
class TaxSettings(MetadataMixin):
    """A channel's TaxConfiguration (its id uses the channel's pk, as in the captures: channel-pln, pk 2,
    has TaxConfiguration:2)."""

    graphql_type: ClassVar[str] = "TaxConfiguration"
    charge_taxes: bool = True
    tax_calculation_strategy: str | None = FLAT_RATES
    display_gross_prices: bool = True
    prices_entered_with_tax: bool = True
    use_weighted_tax_for_shipping: bool = False
    tax_app_id: str | None = None
    countries_by_code: dict[str, CountryTaxSettings] = field(default_factory=dict)
    channel: Any = None  # set by the Channel that owns it

    def _strategy(self, country: str) -> str | None:
        override = self.countries_by_code.get(country)
        if override is not None and override.tax_calculation_strategy:
            return override.tax_calculation_strategy
        return self.tax_calculation_strategy

    def mode(self, country: str, rates: Mapping[str, Decimal]) -> TaxMode:
        """How prices are taxed for a checkout or order in `country`."""
        if self._strategy(country) == TAX_APP:
            raise Unsupported("Saleor emulator: the TAX_APP tax calculation strategy is not modelled")
        override = self.countries_by_code.get(country)
        charge = override.charge_taxes if override is not None else self.charge_taxes
        return TaxMode(rates.get(country, ZERO), self.prices_entered_with_tax, charge)

    def catalogue_mode(self, country: str, rates: Mapping[str, Decimal]) -> TaxMode:
        """How variant pricing is taxed: flat rates whenever the strategy is FLAT_RATES (Saleor ignores
        chargeTaxes there), untaxed otherwise."""
        if self._strategy(country) == TAX_APP:
            return NO_TAX
        return TaxMode(rates.get(country, ZERO), self.prices_entered_with_tax)

    def shows_gross(self, country: str) -> bool:
        override = self.countries_by_code.get(country)
        return override.display_gross_prices if override is not None else self.display_gross_prices

    # GraphQL fields
    @property
    def id(self) -> str:
        return to_global_id("TaxConfiguration", self.channel.pk)

    @property
    def chargeTaxes(self) -> bool:
        return self.charge_taxes

    @property
    def taxCalculationStrategy(self) -> str | None:
        return self.tax_calculation_strategy

    @property
    def displayGrossPrices(self) -> bool:
        return self.display_gross_prices

    @property
    def pricesEnteredWithTax(self) -> bool:
        return self.prices_entered_with_tax

    @property
    def useWeightedTaxForShipping(self) -> bool:
        return self.use_weighted_tax_for_shipping

    @property
    def taxAppId(self) -> str | None:
        return self.tax_app_id

    @property
    def countries(self) -> list[CountryTaxSettings]:
        return list(self.countries_by_code.values())


def country_rates_view(country: str, rate: Decimal | None) -> dict[str, Any]:
    """TaxCountryConfiguration: the country's default rate as its only TaxClassCountryRate."""
    rates = (
        [] if rate is None else [{"rate": float(rate), "country": country_display(country), "taxClass": None}]
    )
    return {"country": country_display(country), "taxClassCountryRates": rates}
