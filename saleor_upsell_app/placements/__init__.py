"""Placements: the offers for every spot where a shopper decides (product page, cart, checkout, thank-you
page), one query and one accept for all of them, and the drop-in storefront widget that shows them
(``static/storefront/upsell.js``).

Nothing here decides or prices an offer: PRODUCT runs the engine on the product being viewed (rules and
pricing from their caches, no Saleor call when warm), CART and CHECKOUT are the checkout's engine offers
(``bumps.storefront``), THANK_YOU is the order's post-purchase offer (``thank_you.py``, the one adapter).
Accepting goes through the same exactly-once claim as every other offer.
"""
