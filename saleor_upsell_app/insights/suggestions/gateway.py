"""Names and pictures of the items of suggestions, read from Saleor (mining stores ids only): products
through ProductNames, variants through OfferVariants (the variant's name with its product's)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from ...engine.ids import global_id_type
from ...saleor.client import SaleorClient
from ...saleor.errors import SaleorApiError
from ...saleor.results import OfferVariantsData, ProductNamesData

log = logging.getLogger("saleor_upsell.suggestions")
PAGE_SIZE = 100  # Saleor's maximum for `first`


@dataclass(frozen=True, slots=True)
class ItemName:
    name: str
    image_url: str | None


async def item_names(client: SaleorClient, ids: Iterable[str], channel: str | None) -> dict[str, ItemName]:
    """What Saleor calls these products or variants; ids it does not know are left out. A Saleor
    failure leaves every name out (the cards fall back to ids) rather than failing the page."""
    unique = sorted(set(ids))
    products = [i for i in unique if global_id_type(i) == "Product"]
    variants = [i for i in unique if global_id_type(i) == "ProductVariant"]
    found: dict[str, ItemName] = {}
    try:
        for start in range(0, len(products), PAGE_SIZE):
            batch = products[start : start + PAGE_SIZE]
            variables = {"ids": batch, "channel": channel, "first": len(batch)}
            data = await client.query("ProductNames", variables, ProductNamesData)
            for edge in data.products.edges if data.products else []:
                node = edge.node
                found[node.id] = ItemName(node.name, node.thumbnail.url if node.thumbnail else None)
        for start in range(0, len(variants), PAGE_SIZE):
            batch = variants[start : start + PAGE_SIZE]
            variables = {"ids": batch, "channel": channel, "first": len(batch)}
            offers = await client.query("OfferVariants", variables, OfferVariantsData)
            for offer in offers.product_variants.edges if offers.product_variants else []:
                variant = offer.node
                name = f"{variant.product.name} ({variant.name})" if variant.name else variant.product.name
                thumbnail = variant.product.thumbnail
                found[variant.id] = ItemName(name, thumbnail.url if thumbnail else None)
    except SaleorApiError:
        log.warning("could not read item names from Saleor", exc_info=True)
        return {}
    return found
