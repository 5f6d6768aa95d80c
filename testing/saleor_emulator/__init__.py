"""Saleor 3.23.28 emulator for tests: see README.md."""

from .emulator import SaleorEmulator
from .install import InstalledApp, InstallError
from .keys import SigningKey
from .seed import default_state
from .serve import serve_asgi

__all__ = ["InstallError", "InstalledApp", "SaleorEmulator", "SigningKey", "default_state", "serve_asgi"]
