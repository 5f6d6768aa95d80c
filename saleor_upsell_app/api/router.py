"""Mounts the schema at /graphql (the dashboard extension and storefronts both call it)."""

from __future__ import annotations

from strawberry.fastapi import GraphQLRouter

from .context import ApiContext, ApiParts, context_getter
from .schema import schema


def build_graphql_router(parts: ApiParts) -> GraphQLRouter[ApiContext, None]:
    # No GraphiQL in the app: the SDL in graphql/api.graphql is the documentation.
    return GraphQLRouter(schema, path="/graphql", context_getter=context_getter(parts), graphql_ide=None)
