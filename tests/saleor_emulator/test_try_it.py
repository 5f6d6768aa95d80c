"""`python -m testing.saleor_emulator`, the README's way to try the app without a Saleor: it installs the
running app through the real register flow and, on Enter, places a checkout and prints its lines."""

from __future__ import annotations

import io

import pytest

from saleor_upsell_app.engine.spec import parse_rule_spec
from testing.saleor_emulator.__main__ import main
from testing.sample_data import bump_rule
from tests.bumps.helpers import set_channel
from tests.conftest import AppUnderTest, free_port


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_install_then_a_checkout_gets_the_example_bump(
    app: AppUnderTest, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))  # one Enter, then the end of input
    assert await main(app.base_url, port) == 0
    first = capsys.readouterr().out
    assert f"Saleor emulator at http://127.0.0.1:{port}/graphql/" in first
    assert "1 × Monospace Tee S  20.00 USD" in first and "no offer: import examples/rules.yaml" in first

    installation = (await app.data.installations.all())[0]
    await app.data.rules.create(installation.id, parse_rule_spec(bump_rule()), app.data.clock())
    await set_channel(app)  # no holdout: with the 10% default one checkout in ten gets no offer

    # Started again on the same port: a re-install of the same Saleor (the rule stays), then the bump.
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert await main(app.base_url, port) == 0
    second = capsys.readouterr().out
    assert "1 × Apple Juice 1l" in second and "(added by the app)" in second
    assert len(await app.data.installations.all()) == 1


async def test_no_app_is_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert await main(f"http://127.0.0.1:{free_port()}", free_port()) == 1
    assert "could not install the app" in capsys.readouterr().err
