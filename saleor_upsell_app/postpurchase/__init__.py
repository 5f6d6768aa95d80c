"""Post-purchase one-click offers: made on ORDER_CREATED, accepted through a signed link, swept when due.

Modules: ``tokens`` (the signed link), ``gateway`` (Saleor: the order payload read into the engine's
snapshot, order reads and writes), ``order_metadata`` (what the thank-you page reads), ``repository``
(the offer row and its single-use transitions), ``make`` (the ORDER_CREATED step), ``shopper_actions``
(view / accept / decline), ``order_lines`` (the accepted line and its price check), ``tasks`` (the
sweep: expiry and auto-confirm). The shopper's HTML pages are an adapter: web/offer_pages.py.
"""
