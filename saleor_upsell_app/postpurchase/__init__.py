"""Post-purchase one-click offers: made on ORDER_CREATED, accepted through a signed link, swept when due.

Modules: ``tokens`` (the signed link), ``snapshot`` (order payload -> engine snapshot), ``order_metadata``
(what the thank-you page reads), ``repository`` (the offer row and its single-use transitions), ``make``
(the ORDER_CREATED step), ``respond`` (accept / decline / view use cases), ``sweep`` (expiry and
auto-confirm), ``pages`` + ``routes`` (the shopper's HTML pages).
"""
