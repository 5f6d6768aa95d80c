"""Default catalog resembling the captures' sample data (same pks, names, skus and prices where the
captures show them; other PLN and JPY prices derive from the USD ones).

Taxes as on the captured instance: every channel uses flat rates and charges taxes; default-channel
takes prices without tax, channel-pln with tax; no country has a rate (so net == gross until a test
sets one)."""

from __future__ import annotations

from decimal import Decimal

from .catalog import Category, Channel, Collection, Product, ProductType, Promotion, ShippingMethod, Variant
from .ids import to_global_id
from .state import State
from .taxes import TaxSettings

DEFAULT_CHANNEL = "default-channel"
PLN_CHANNEL = "channel-pln"
JPY_CHANNEL = "channel-jpy"

# variant pk -> USD price; PLN and JPY prices derive from it (x4 and x150, JPY without minor units)
# unless the captures give the PLN price (graphql-*-channel-pln-*.json: the tees).
_RATES = {PLN_CHANNEL: Decimal(4), JPY_CHANNEL: Decimal(150)}
_CAPTURED_PLN = {"ascii-tee": Decimal("90.00"), "cubes-fountain-tee": Decimal("130.00")}


def _prices(usd: str, pln: Decimal | None = None) -> dict[str, Decimal]:
    base = Decimal(usd)
    out = {DEFAULT_CHANNEL: base}
    out[PLN_CHANNEL] = pln if pln is not None else (base * _RATES[PLN_CHANNEL]).quantize(Decimal("0.01"))
    out[JPY_CHANNEL] = (base * _RATES[JPY_CHANNEL]).quantize(Decimal("1"))
    return out


def default_state() -> State:
    state = State()
    state.add_channel(
        Channel(1, DEFAULT_CHANNEL, "Channel-USD", "USD", tax=TaxSettings(prices_entered_with_tax=False))
    )
    state.add_channel(Channel(2, PLN_CHANNEL, "Channel-PLN", "PLN", default_country="PL"))
    state.add_channel(Channel(3, JPY_CHANNEL, "Channel-JPY", "JPY", default_country="JP"))

    tshirts = Category(39, "T-shirts", "t-shirts")
    juices = Category(40, "Juices", "juices")
    homewares = Category(41, "Homewares", "homewares")
    audiobooks = Category(43, "Audiobooks", "audiobooks")
    featured = Collection(4, "Featured Products", "featured-products")
    summer = Collection(5, "Summer Picks", "summer-picks")
    shirt_type = ProductType(20, "T-shirt")
    juice_type = ProductType(21, "Juice")
    mug_type = ProductType(22, "Mug")
    audiobook_type = ProductType(24, "Audiobook", is_shipping_required=False)

    # Catalogue promotions as in the captures: Blue Polygon Shirt at 50%, Mighty Mug at 30%.
    half_off = Promotion("Polygon half price", Decimal(50))
    mug_sale = Promotion("Summer mugs", Decimal(30))

    def product(
        pk: int,
        name: str,
        slug: str,
        category: Category,
        ptype: ProductType,
        collections: list[Collection],
        variants: list[tuple[int, str | None, str | None, str]],
        promotion: Promotion | None = None,
    ) -> None:
        prod = Product(pk, name, slug, category, ptype, list(collections), media_pk=pk - 100)
        for vpk, vname, sku, usd in variants:
            # Sample-data quirk (surprise 13): a nameless variant is named with its own global id.
            label = vname if vname is not None else to_global_id("ProductVariant", vpk)
            prices = _prices(usd, _CAPTURED_PLN.get(slug))
            prod.variants.append(Variant(vpk, prod, label, sku, prices, promotion=promotion))
        state.add_product(prod)

    product(
        134,
        "Monospace Tee",
        "ascii-tee",
        tshirts,
        shirt_type,
        [featured],
        [
            (348, "S", "328223580", "20.00"),
            (349, "M", "328223581", "20.00"),
            (350, "L", "328223582", "20.00"),
        ],
    )
    product(
        137,
        "Blue Polygon Shirt",
        "blue-polygon-shirt",
        tshirts,
        shirt_type,
        [],
        [(362, "L", "218223581", "45.00"), (363, "XL", "218223582", "45.00")],
        promotion=half_off,
    )
    product(
        138,
        "Dark Polygon Tee",
        "dark-polygon-tee",
        tshirts,
        shirt_type,
        [],
        [(364, "S", "112223580", "45.00")],
    )
    product(
        161,
        "Cubes Fountain Tee",
        "cubes-fountain-tee",
        tshirts,
        shirt_type,
        [featured, summer],
        [(395, "M", "49182235821", "30.00"), (396, "L", "49182235822", "30.00")],
    )
    product(
        140,
        "Dark Polo Shirt",
        "dark-polo-shirt",
        tshirts,
        shirt_type,
        [summer],
        [(370, "M", "58328901", "35.00")],
    )
    product(
        150,
        "Mighty Mug",
        "mighty-mug",
        homewares,
        mug_type,
        [featured],
        [(382, None, None, "11.99")],
        promotion=mug_sale,
    )
    product(151, "Pirate Mug", "pirate-mug", homewares, mug_type, [], [(383, None, None, "9.99")])
    product(
        110,
        "Apple Juice",
        "apple-juice",
        juices,
        juice_type,
        [summer],
        [(300, "1l", "apple-juice-1l", "1.49")],
    )
    product(
        111, "Banana Juice", "banana-juice", juices, juice_type, [], [(301, "1l", "banana-juice-1l", "1.99")]
    )
    product(
        126,
        "Headless + Omnichannel in a pill",
        "headless-omnichannel-in-a-pill",
        audiobooks,
        audiobook_type,
        [],
        [(324, "MP3", "headless-omnichannel-mp3", "10.00")],
    )
    product(
        127,
        "Code Division Audiobook",
        "code-division-audiobook",
        audiobooks,
        audiobook_type,
        [featured],
        [(325, "MP3", "code-division-mp3", "7.50")],
    )

    state.shipping_methods[1] = ShippingMethod(1, "Standard", _prices("10.00"))
    state.shipping_methods[2] = ShippingMethod(2, "EMS", _prices("34.20"))
    return state
