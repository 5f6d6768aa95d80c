"""`saleor-upsell --help` loads no database, web or analytics code (what made every command take 6-10 s);
the timing itself is measured in bench/cli_startup.py, not here."""

from __future__ import annotations

import subprocess
import sys

from tests.paths import REPO

HEAVY = (
    "sqlalchemy",
    "alembic",
    "fastapi",
    "strawberry",
    "scipy",
    "numba",
    "matplotlib",
    "pydantic_settings",
)

PROBE = """
import sys
from saleor_upsell_app.cli import app
try:
    app(["--help"])
except SystemExit:
    pass
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_help_imports_nothing_heavy() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=True, timeout=60
    )
    top_level = set(done.stdout.splitlines()[-1].split())  # after the help text
    assert "typer" in top_level and "saleor_upsell_app" in top_level
    assert not top_level & set(HEAVY), top_level & set(HEAVY)
