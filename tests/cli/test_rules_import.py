"""`saleor-upsell rules import`: the example file names real sample-data ids, works on a checkout, and
importing it again updates its rules by name instead of duplicating them."""

from __future__ import annotations

import asyncio
import base64
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from saleor_upsell_app.cli import app as cli
from saleor_upsell_app.rules.service import InvalidRule, create_rule, import_rules, list_rules
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from testing.saleor_emulator.seed import default_state
from testing.sample_data import MIGHTY_MUG, TEE_S, bump_rule
from tests.bumps.helpers import offer_lines, set_channel, unit_price
from tests.conftest import TEST_SECRET, AppUnderTest
from tests.paths import CAPTURES, REPO

EXAMPLES = REPO / "examples" / "rules.yaml"
POST_PURCHASE_DOC = REPO / "docs" / "post-purchase.md"

_ID = re.compile(r'"(UHJvZHVjd[A-Za-z0-9+/=]+)"')


def _captured_ids() -> set[str]:
    """Every Product / ProductVariant id in the captures of the real Saleor 3.23.28 sample data."""
    found: set[str] = set()
    for path in CAPTURES.glob("*.json"):
        found.update(re.findall(r'"(UHJvZHVjd[A-Za-z0-9+/=]+)"', path.read_text()))
    return found


def _name_of(global_id: str) -> str:
    kind, pk = base64.b64decode(global_id).decode().split(":")
    state = default_state()
    node = state.node(global_id)
    assert node is not None, f"{global_id} ({kind}:{pk}) is not in the sample data"
    return str(node.name if kind == "Product" else node.product.name)


@pytest.mark.parametrize("path", [EXAMPLES, POST_PURCHASE_DOC], ids=lambda p: p.name)
def test_documented_ids_are_sample_data_ids_with_their_names_beside_them(path: Path) -> None:
    if not CAPTURES.is_dir():
        pytest.skip("the shared captures are not checked out next to the repository")
    captured = _captured_ids()
    lines = [line for line in path.read_text().splitlines() if _ID.search(line)]
    assert lines, f"no ids in {path.name}"
    for line in lines:
        comment = line.partition("#")[2]
        for global_id in _ID.findall(line):
            assert global_id in captured, f"{global_id} in {path.name} was never seen on the real sample data"
            assert _name_of(global_id) in comment, f"{path.name}: name it beside the id: {line.strip()}"


async def invoke(*args: str) -> Result:
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args))


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_importing_the_examples_twice_updates_them_and_they_work_on_a_checkout(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", app.settings.database_url)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("ENVIRONMENT", "test")

    first = await invoke("rules", "import", str(EXAMPLES))
    assert first.exit_code == 0, first.output
    assert first.output.count("imported #") == 3
    again = await invoke("rules", "import", str(EXAMPLES))
    assert again.exit_code == 0, again.output
    assert again.output.count("updated #") == 3 and "imported #" not in again.output
    listed = await invoke("rules", "list")
    assert len(listed.output.strip().splitlines()) == 3

    # The example bump works on the sample data: a Monospace Tee gets the Mighty Mug at 4.99 (its 30%
    # catalogue promotion compensated). No holdout: with the 10% default one checkout in ten gets no bump.
    await set_channel(app)
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)
    [bump] = offer_lines(await emulator.shopper.checkout(checkout["id"]))
    assert bump["variant"]["id"] == MIGHTY_MUG and unit_price(bump) == Decimal("4.99")


def _rule(name: str, percent: str = "20") -> dict[str, Any]:
    return bump_rule(name=name, price={"type": "percent_off", "percent": percent})


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_import_keys_rules_by_name_and_refuses_what_it_cannot_tell_apart(
    app: AppUnderTest, installed: InstalledApp
) -> None:
    installation = (await app.data.installations.all())[0]
    db, now = app.data.db, app.data.clock()
    async with db.transaction() as session:
        [created] = await import_rules(session, installation.id, [_rule("Juice")], now)
    async with db.transaction() as session:
        # Case and spacing aside, the same name is the same rule: updated in place, same id.
        [updated] = await import_rules(session, installation.id, [_rule(" juice ", "30")], now)
    assert updated.updated and updated.rule.id == created.rule.id
    assert json.loads(updated.rule.spec.price.model_dump_json())["percent"] == "30"

    with pytest.raises(InvalidRule) as twice_in_file:
        async with db.transaction() as session:
            await import_rules(session, installation.id, [_rule("Mug"), _rule("MUG")], now)
    assert [e.field for e in twice_in_file.value.errors] == ["[1].name"]

    async with db.transaction() as session:
        await create_rule(session, installation.id, _rule("Juice"), now)  # a second "Juice" via the API
    with pytest.raises(InvalidRule) as ambiguous:
        async with db.transaction() as session:
            await import_rules(session, installation.id, [_rule("Juice")], now)
    assert "2 stored rules are named 'Juice'" in ambiguous.value.errors[0].message
    async with db.read() as session:
        assert len(await list_rules(session, installation.id)) == 2  # nothing half-imported
