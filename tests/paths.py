"""Where tests find the repository and the shared spec (../shared beside the repository, wherever the
repository is checked out)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SALEOR_SCHEMA = SHARED / "saleor" / "schema.graphql"
CAPTURES = SHARED / "saleor" / "captures"
