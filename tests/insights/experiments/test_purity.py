"""The experiments package stays pure: it imports itself, the standard library, numpy, scipy and babel."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import saleor_upsell_app.insights.experiments as experiments

ALLOWED = {"numpy", "scipy", "babel"}
# Standard-library modules that do I/O or read the clock or the environment.
FORBIDDEN_STDLIB = {"os", "io", "socket", "time", "datetime", "random", "subprocess", "pathlib", "sqlite3"}


def test_the_package_imports_no_io_no_clock_and_nothing_else_from_the_app() -> None:
    package = Path(experiments.__file__).parent
    seen = set()
    for path in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.level:
                continue  # relative: within the package
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                top = name.split(".")[0]
                seen.add(top)
                assert top in ALLOWED or (top in sys.stdlib_module_names and top not in FORBIDDEN_STDLIB), (
                    f"{path.name} imports {name}"
                )
    assert {"numpy", "babel"} <= seen  # the walk did see the imports
