"""A Saleor stand-in for benches: a separate, cheap process that answers the app's recorded operations
from the captures and sends the signed CHECKOUT_UPDATED echo of each mutation. See README.md."""

from .standin import StandIn
from .world import World

__all__ = ["StandIn", "World"]
