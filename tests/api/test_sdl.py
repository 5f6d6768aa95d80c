"""graphql/api.graphql is the dashboard's contract: it must match the schema the app serves."""

from __future__ import annotations

from graphql import build_schema, parse, validate
from saleor_upsell_app.api.errors import ApiError, should_mask
from saleor_upsell_app.api.export_schema import SDL_PATH, current_sdl
from saleor_upsell_app.saleor.operations import operation_text
from tests.paths import SALEOR_SCHEMA


def test_exported_sdl_is_current() -> None:
    assert SDL_PATH.read_text() == current_sdl(), (
        "graphql/api.graphql is out of date: run `python -m saleor_upsell_app.api.export_schema`"
    )


def test_api_saleor_operations_validate_against_saleor_schema() -> None:
    schema = build_schema(SALEOR_SCHEMA.read_text())
    for name in ("Channels", "ProductSearch"):
        assert validate(schema, parse(operation_text(name))) == [], name


def test_internal_errors_are_masked_but_refusals_are_not() -> None:
    from graphql import GraphQLError

    refusal = ApiError("PERMISSION_DENIED", "no")
    assert not should_mask(GraphQLError("x", original_error=refusal))
    assert should_mask(GraphQLError("boom", original_error=RuntimeError("db password in here")))
    assert not should_mask(GraphQLError("Cannot query field 'x' on type 'Query'."))  # validation


class _CrashingContext:
    """A context whose auth step fails the way an unexpected bug would."""

    async def dashboard(self, *, write: bool = False) -> None:
        raise RuntimeError("postgresql://user:secret@db/upsell is down")


async def test_schema_masks_unexpected_errors() -> None:
    from saleor_upsell_app.api.schema import schema

    result = await schema.execute("{ rules { id } }", context_value=_CrashingContext())
    assert result.errors is not None
    [error] = result.errors
    assert error.message == "Unexpected error." and "secret" not in str(error.formatted)
