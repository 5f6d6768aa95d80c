"""/graphql over HTTP as a newcomer meets it: a browser's GET gets GraphiQL in development and a 405
with a hint elsewhere; a refused call is one JSON log line at INFO, without a stack."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.cli.run import manifest_when_up, serve, stop
from tests.conftest import TEST_SECRET, free_port, run_app

BROWSER = {"accept": "text/html,application/xhtml+xml"}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_get_graphql_outside_development_is_405_with_a_hint(db_url: str) -> None:
    async with run_app(db_url) as app, httpx.AsyncClient() as http:
        answer = await http.get(f"{app.base_url}/graphql", headers=BROWSER)
        assert answer.status_code == 405
        assert answer.headers["allow"] == "POST"
        assert "POST a GraphQL request" in answer.text and "graphql/api.graphql" in answer.text
        assert "<script" not in answer.text  # no IDE

        curl = await http.get(f"{app.base_url}/graphql")  # curl's Accept: */*
        assert curl.status_code == 405

        # POSTed GraphQL still works, of course.
        posted = await http.post(f"{app.base_url}/graphql", json={"query": "{ __typename }"})
        assert posted.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_get_graphql_in_development_serves_graphiql(db_url: str) -> None:
    async with run_app(db_url, environment="development") as app, httpx.AsyncClient() as http:
        answer = await http.get(f"{app.base_url}/graphql", headers=BROWSER)
        assert answer.status_code == 200
        assert "graphiql" in answer.text.lower()


def test_refused_call_is_one_json_info_line_without_a_stack(tmp_path: Path) -> None:
    port = free_port()
    env = {
        "LOG_JSON": "true",
        "ENVIRONMENT": "test",
        "SECRET_KEY": TEST_SECRET,
        "APP_URL": f"http://127.0.0.1:{port}",
    }
    process = serve(port, tmp_path, env)
    try:
        manifest_when_up(port, process)
        answer = httpx.post(
            f"http://127.0.0.1:{port}/graphql",
            json={"query": "{ rules { id } }"},
            headers={"saleor-api-url": "https://shop.example.com/graphql/"},
            timeout=10,
        )
        assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        bad = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ nope }"}, timeout=10)
        assert bad.json()["errors"]
    finally:
        stop(process)
    log = process.communicate()[1]
    assert "Traceback" not in log, log
    entries = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert len(entries) == len([line for line in log.splitlines() if line.strip()]) - 1, (
        log
    )  # + serve's banner
    refusals = [e for e in entries if e.get("code") == "UNAUTHENTICATED"]
    assert len(refusals) == 1, log
    assert refusals[0]["level"] == "INFO" and refusals[0]["reason"] == "MISSING_TOKEN"
    assert refusals[0]["path"] == "rules" and "exception" not in refusals[0]
    invalid = [e for e in entries if e["message"] == "graphql request invalid"]
    assert len(invalid) == 1 and invalid[0]["level"] == "INFO", log
