"""Dashboard tokens (app-bridge): only a fresh token for this app, signed by this Saleor, with permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from saleor_upsell_app.saleor.dashboard_token import StaffUser, verify_dashboard_token
from saleor_upsell_app.saleor.errors import ProtocolError
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp
from testing.saleor_emulator.keys import SigningKey
from tests.conftest import AppUnderTest

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def _verify(
    app: AppUnderTest, emulator: SaleorEmulator, token: str, required: tuple[str, ...] = ()
) -> StaffUser:
    installation = await app.data.installations.get(emulator.api_url)
    assert installation is not None
    return await verify_dashboard_token(
        token,
        installation,
        required_permissions=required,
        now=app.data.clock(),
        refresh_jwks=app.data.refresh_jwks,
        limiter=app.data.jwks_limiter,
    )


async def test_valid_token_yields_the_user(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp
) -> None:
    token = emulator.dashboard_token(installed.id, permissions=["MANAGE_ORDERS"])
    user = await _verify(app, emulator, token, ("MANAGE_DISCOUNTS",))
    assert user.email == "admin@example.com" and "MANAGE_DISCOUNTS" in user.user_permissions


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("expired", "TOKEN_EXPIRED"),
        ("other_app", "WRONG_APP"),
        ("other_key", "INVALID_TOKEN"),
        ("other_saleor", "INVALID_TOKEN"),
        ("missing_permission", "MISSING_PERMISSIONS"),
        ("garbage", "INVALID_TOKEN"),
    ],
)
async def test_refused_tokens(
    app: AppUnderTest, emulator: SaleorEmulator, installed: InstalledApp, case: str, code: str
) -> None:
    required: tuple[str, ...] = ()
    if case == "expired":
        issued = app.data.clock() - timedelta(minutes=10)
        token = emulator.dashboard_token(installed.id, permissions=[], issued_at=issued)
    elif case == "other_app":
        token = emulator.dashboard_token("QXBwOjk5", permissions=[])
    elif case == "other_key":
        token = emulator.dashboard_token(installed.id, permissions=[], key=SigningKey())
    elif case == "other_saleor":
        token = emulator.dashboard_token(
            installed.id, permissions=[], iss="https://evil.example.com/graphql/"
        )
    elif case == "missing_permission":
        token = emulator.dashboard_token(installed.id, permissions=[], user_permissions=["MANAGE_ORDERS"])
        required = ("MANAGE_DISCOUNTS",)
    else:
        token = "eyJ.not.a.token"
    with pytest.raises(ProtocolError) as error:
        await _verify(app, emulator, token, required)
    assert error.value.code == code
