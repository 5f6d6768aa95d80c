"""Write the API's SDL to graphql/api.graphql: `python -m saleor_upsell_app.api.export_schema`.

The dashboard's TypeScript types are generated from that file; a test fails when it is out of date.
"""

from __future__ import annotations

from pathlib import Path

from .schema import schema

SDL_PATH = Path(__file__).resolve().parents[2] / "graphql" / "api.graphql"


def current_sdl() -> str:
    return schema.as_str() + "\n"


def main() -> None:
    SDL_PATH.write_text(current_sdl())
    print(f"wrote {SDL_PATH}")


if __name__ == "__main__":
    main()
