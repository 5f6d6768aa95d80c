"""Every GraphQL document the app sends to Saleor validates against Saleor 3.23.28's real schema."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from graphql import GraphQLSchema, build_schema, parse, validate
from saleor_upsell_app.saleor.operations import operation_files, operation_text
from saleor_upsell_app.webhooks import WEBHOOKS
from tests.paths import SALEOR_SCHEMA

SCHEMA_PATH = SALEOR_SCHEMA


@cache
def saleor_schema() -> GraphQLSchema:
    return build_schema(SCHEMA_PATH.read_text())


def _errors(document: str) -> list[str]:
    return [error.message for error in validate(saleor_schema(), parse(document))]


@pytest.mark.parametrize("path", operation_files(), ids=lambda p: p.stem)
def test_operation_validates(path: Path) -> None:
    assert _errors(operation_text(path.stem)) == []


@pytest.mark.parametrize("webhook", WEBHOOKS, ids=lambda w: w.event)
def test_subscription_validates(webhook: object) -> None:
    assert _errors(webhook.query) == []  # type: ignore[attr-defined]


def test_a_field_saleor_does_not_have_fails() -> None:
    # The check is real: the deprecated-but-absent `filter: {createdAt}` of surprise 9 is refused.
    assert _errors('query { orders(first: 1, filter: {createdAt: {gte: "2026-01-01"}}) { totalCount } }')
    assert _errors('query { checkout(id: "x") { notAField } }')
