from collections import Counter
from decimal import Decimal

from saleor_upsell_app.engine import metadata as md
from saleor_upsell_app.engine.holdout import BUCKETS, holdout_bucket, in_holdout
from saleor_upsell_app.engine.ids import digits_of, rule_id_of


def test_bump_metadata_round_trips() -> None:
    written = md.bump_metadata(19, Decimal("6.00"), Decimal("11.99"), "USD", 2)
    assert all(key.startswith("saleor-upsell.") for key in written)
    marker = md.read_marker(written)
    assert marker is not None
    assert (marker.rule_id, marker.kind, marker.max_quantity) == (19, "bump", 2)
    assert (marker.offer_price, marker.regular_price) == (Decimal("6.00"), Decimal("11.99"))


def test_upgrade_metadata_records_what_to_revert_to() -> None:
    marker = md.read_marker(md.upgrade_metadata(21, Decimal(30), Decimal(33), "USD", "VmFyOjE=", 3))
    assert marker is not None
    assert (marker.kind, marker.original_variant_id, marker.original_quantity) == ("upgrade", "VmFyOjE=", 3)


def test_foreign_or_broken_markers() -> None:
    assert md.read_marker({}) is None
    assert md.read_marker({"upsell": "true"}) is None
    assert md.read_marker({md.RULE: "r", md.KIND: "gift"}) is None
    lenient = md.read_marker({md.RULE: "r", md.KIND: "bump", md.MAX_QUANTITY: "-4", md.OFFER_PRICE: "NaN"})
    assert lenient is not None and lenient.max_quantity == 1 and lenient.offer_price is None


def test_holdout_bucket_is_stable_and_roughly_uniform() -> None:
    assert holdout_bucket("Q2hlY2tvdXQ6MQ==") == holdout_bucket("Q2hlY2tvdXQ6MQ==")
    buckets = [holdout_bucket(f"checkout-{i}") for i in range(20_000)]
    assert all(0 <= b < BUCKETS for b in buckets)
    deciles = Counter(b * 10 // BUCKETS for b in buckets)
    assert all(1_800 < count < 2_200 for count in deciles.values())


def test_holdout_share_matches_the_percent() -> None:
    keys = [f"checkout-{i}" for i in range(20_000)]
    assert not any(in_holdout(k, Decimal(0)) for k in keys)
    share = sum(in_holdout(k, Decimal(10)) for k in keys) / len(keys)
    assert 0.09 < share < 0.11


def test_a_marker_names_a_rule_only_as_the_app_writes_its_id() -> None:
    # Line metadata is public: "007" or "７" is not how the app writes rule 7, so it names no rule (and is
    # never trusted), though the line still counts as marked.
    assert rule_id_of("7") == 7 and rule_id_of("0") == 0
    assert [rule_id_of(text) for text in ("007", "７", "-7", "7.0", "", "r7", "³", "٣")] == [None] * 8
    assert [digits_of(text) for text in ("007", "42", "³", "٣", "")] == [7, 42, None, None, None]
    marker = md.read_marker({md.RULE: "007", md.KIND: "bump"})
    assert marker is not None and marker.rule_id is None
