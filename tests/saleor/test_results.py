"""Every typed result (saleor/results.py) reads only what its operation selects, as Saleor's schema types it.

For each operation of graphql/saleor/ (and each subscription payload) the model's fields are walked
against the operation's selection set and Saleor 3.23.28's schema: a field the model declares must be
selected (under its response name), a list must be a list, an object must be a model of the selected
sub-fields, and a field the model requires must be one Saleor never leaves null. (A model may be more
lenient than the schema, never stricter.)
"""

from __future__ import annotations

import types
from functools import cache
from typing import Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    build_schema,
    get_named_type,
    is_composite_type,
    parse,
)
from saleor_upsell_app.saleor.operations import GRAPHQL_DIR, operation_files, operation_text, with_fragments
from saleor_upsell_app.saleor.results import OPERATION_RESULTS, SUBSCRIPTION_PAYLOADS, Result
from saleor_upsell_app.webhooks import WEBHOOKS, Webhook
from tests.paths import SALEOR_SCHEMA


@cache
def schema() -> GraphQLSchema:
    return build_schema(SALEOR_SCHEMA.read_text())


Selected = dict[str, tuple[Any, SelectionSetNode | None, bool]]  # key -> (type, sub-selection, conditional)


def _selected(
    selection_set: SelectionSetNode,
    parent: Any,
    fragments: dict[str, FragmentDefinitionNode],
    conditional: bool = False,
) -> Selected:
    """The response keys a selection set yields on `parent`, fragments merged in."""
    found: Selected = {}
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            key = selection.alias.value if selection.alias else selection.name.value
            if selection.name.value == "__typename":
                found[key] = (GraphQLNonNull(schema().get_type("String")), None, conditional)  # type: ignore[arg-type]
                continue
            field = parent.fields[selection.name.value]
            found[key] = (field.type, selection.selection_set, conditional)
        else:
            if isinstance(selection, FragmentSpreadNode):
                fragment = fragments[selection.name.value]
                condition, sub = fragment.type_condition.name.value, fragment.selection_set
            else:
                assert isinstance(selection, InlineFragmentNode) and selection.type_condition is not None
                condition, sub = selection.type_condition.name.value, selection.selection_set
            on = schema().get_type(condition)
            # On an abstract parent the fragment's fields only come for some concrete types.
            narrower = conditional or on is not get_named_type(parent)
            found.update(_selected(sub, on, fragments, narrower))
    return found


def _unwrap_annotation(annotation: Any) -> tuple[Any, bool, bool]:
    """(inner type, optional, list) of a model field's annotation."""
    optional = False
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(args) < len(get_args(annotation))
        assert len(args) == 1, annotation
        annotation = args[0]
    is_list = get_origin(annotation) is list
    if is_list:
        (annotation,) = get_args(annotation)
    return annotation, optional, is_list


def _check(
    model: type[BaseModel], selected: Selected, fragments: dict[str, FragmentDefinitionNode], path: str
) -> list[str]:
    problems = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        where = f"{path}.{key}"
        if key not in selected:
            problems.append(f"{where}: read by {model.__name__} but not selected")
            continue
        gql_type, sub, conditional = selected[key]
        inner, optional, is_list = _unwrap_annotation(field.annotation)
        required = field.is_required() and not optional
        if required and (conditional or not isinstance(gql_type, GraphQLNonNull)):
            problems.append(f"{where}: required by {model.__name__} but Saleor may leave it out")
        nullable_inner = gql_type.of_type if isinstance(gql_type, GraphQLNonNull) else gql_type
        if is_list != isinstance(nullable_inner, GraphQLList):
            problems.append(f"{where}: list in one, not in the other")
            continue
        named = get_named_type(gql_type)
        if is_composite_type(named):
            if not (isinstance(inner, type) and issubclass(inner, Result)) or sub is None:
                problems.append(f"{where}: an object in Saleor, not a model here")
                continue
            problems += _check(inner, _selected(sub, named, fragments), fragments, where)
        elif isinstance(inner, type) and issubclass(inner, Result):
            problems.append(f"{where}: a model here, a scalar in Saleor")
    return problems


def _document(text: str) -> tuple[OperationDefinitionNode, dict[str, FragmentDefinitionNode]]:
    document = parse(text)
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    (operation,) = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return operation, fragments


def _problems_of_operation(name: str) -> list[str]:
    operation, fragments = _document(operation_text(name))
    model = OPERATION_RESULTS[name]
    if operation.operation.value == "query":
        root = schema().query_type
        return _check(model, _selected(operation.selection_set, root, fragments), fragments, name)
    root = schema().mutation_type
    (payload,) = operation.selection_set.selections
    assert isinstance(payload, FieldNode) and payload.selection_set is not None
    payload_type = get_named_type(root.fields[payload.name.value].type)  # type: ignore[union-attr]
    return _check(model, _selected(payload.selection_set, payload_type, fragments), fragments, name)


@pytest.mark.parametrize("path", operation_files(), ids=lambda p: p.stem)
def test_every_operation_has_a_result_model(path: Any) -> None:
    assert path.stem in OPERATION_RESULTS


@pytest.mark.parametrize("name", sorted(OPERATION_RESULTS))
def test_result_model_matches_its_operation(name: str) -> None:
    assert _problems_of_operation(name) == []


def _event_selection(text: str) -> tuple[Selected, dict[str, FragmentDefinitionNode]]:
    operation, fragments = _document(text)
    (event,) = operation.selection_set.selections
    assert isinstance(event, FieldNode) and event.selection_set is not None
    event_type = get_named_type(schema().subscription_type.fields["event"].type)  # type: ignore[union-attr]
    selected = _selected(event.selection_set, event_type, fragments)
    # The event's own fields come through `... on <Event>`: present for this subscription's event.
    return {key: (gql_type, sub, False) for key, (gql_type, sub, _) in selected.items()}, fragments


@pytest.mark.parametrize("file", sorted(SUBSCRIPTION_PAYLOADS))
def test_payload_model_matches_its_subscription(file: str) -> None:
    selected, fragments = _event_selection(with_fragments((GRAPHQL_DIR / "subscriptions" / file).read_text()))
    assert _check(SUBSCRIPTION_PAYLOADS[file], selected, fragments, file) == []


def test_the_check_finds_a_field_the_operation_does_not_select() -> None:
    class Wrong(Result):
        id: str
        not_selected: str

    class WrongData(Result):
        checkout: Wrong | None = None

    operation, fragments = _document(operation_text("CheckoutSnapshot"))
    selected = _selected(operation.selection_set, schema().query_type, fragments)
    assert _check(WrongData, selected, fragments, "CheckoutSnapshot") == [
        "CheckoutSnapshot.checkout.notSelected: read by Wrong but not selected"
    ]


def test_the_check_finds_a_required_field_saleor_may_leave_null() -> None:
    class Strict(Result):
        id: str
        email: str  # Checkout.email is nullable in Saleor

    class StrictData(Result):
        checkout: Strict | None = None

    operation, fragments = _document(operation_text("CheckoutSnapshot"))
    selected = _selected(operation.selection_set, schema().query_type, fragments)
    assert _check(StrictData, selected, fragments, "q") == [
        "q.checkout.email: required by Strict but Saleor may leave it out"
    ]


@pytest.mark.parametrize("webhook", WEBHOOKS, ids=lambda w: w.event)
def test_what_ingest_reads_is_in_the_subscription(webhook: Webhook) -> None:
    operation, fragments = _document(webhook.query)
    (event,) = operation.selection_set.selections
    assert isinstance(event, FieldNode) and event.selection_set is not None
    event_type = get_named_type(schema().subscription_type.fields["event"].type)  # type: ignore[union-attr]
    selected = {
        k: (t, sub, False) for k, (t, sub, _) in _selected(event.selection_set, event_type, fragments).items()
    }
    assert _check(webhook.envelope, selected, fragments, webhook.event) == []
