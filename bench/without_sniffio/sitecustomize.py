"""Makes `sniffio` look not installed to a process started with this folder on PYTHONPATH, the way the
app ran before sniffio became a dependency: every `import sniffio` searches all of sys.path (for a
name that is nowhere) and fails (the cost httpcore paid on each request). Used only by the benches'
baselines."""

from __future__ import annotations

import importlib.machinery
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType


class _NotInstalled:
    @classmethod
    def find_spec(
        cls, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name != "sniffio":
            return None
        # The same search a missing package costs: every sys.path entry, for a name that is nowhere.
        importlib.machinery.PathFinder.find_spec("sniffio_is_not_installed", sys.path)
        raise ModuleNotFoundError("No module named 'sniffio'", name=name)


sys.meta_path.insert(0, _NotInstalled)
