"""`saleor-upsell serve --port P` as an operator starts a second instance: the app answers on P and,
with no APP_URL set, the manifest's URLs follow the port."""

from __future__ import annotations

from pathlib import Path

from tests.cli.run import manifest_when_up, serve, stop
from tests.conftest import free_port


def test_app_url_follows_the_port_unless_set(tmp_path: Path) -> None:
    port = free_port()
    process = serve(port, tmp_path, {})
    try:
        manifest = manifest_when_up(port, process)
        assert manifest["appUrl"] == f"http://localhost:{port}/dashboard/"
        assert str(manifest["tokenTargetUrl"]).startswith(f"http://localhost:{port}/")
    finally:
        stop(process)
    assert "Traceback" not in process.communicate()[1]

    other = free_port()
    process = serve(other, tmp_path, {"APP_URL": "https://upsell.example.com"})
    try:
        manifest = manifest_when_up(other, process)
        assert str(manifest["tokenTargetUrl"]).startswith("https://upsell.example.com/")
    finally:
        stop(process)
