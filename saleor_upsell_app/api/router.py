"""Mounts the schema at /graphql (the dashboard extension and storefronts both call it).

`GET /graphql` from a browser serves GraphiQL in development; elsewhere it answers 405 with a hint
(the API takes POSTed GraphQL; graphql/api.graphql is its documentation).
"""

from __future__ import annotations

import html

from fastapi import Request
from fastapi.responses import HTMLResponse
from strawberry.fastapi import GraphQLRouter

from .context import ApiContext, ApiParts, context_getter
from .schema import schema

NO_IDE_HINT = (
    'This is the app\'s GraphQL API: POST a GraphQL request (JSON with "query") to /graphql. '
    "Its schema is graphql/api.graphql in the app's repository; GraphiQL is served here only with "
    "ENVIRONMENT=development."
)


class AppGraphQLRouter(GraphQLRouter[ApiContext, None]):
    def __init__(self, parts: ApiParts, *, graphiql: bool) -> None:
        # The IDE stays configured so that a browser's GET reaches render_graphql_ide, which decides.
        super().__init__(
            schema, path="/graphql", context_getter=context_getter(parts), graphql_ide="graphiql"
        )
        self._graphiql = graphiql

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        if self._graphiql:
            return await super().render_graphql_ide(request)
        page = f"<!doctype html><title>saleor-upsell GraphQL API</title><p>{html.escape(NO_IDE_HINT)}</p>\n"
        return HTMLResponse(page, status_code=405, headers={"Allow": "POST"})


def build_graphql_router(parts: ApiParts, *, graphiql: bool = False) -> GraphQLRouter[ApiContext, None]:
    return AppGraphQLRouter(parts, graphiql=graphiql)
