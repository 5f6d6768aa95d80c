"""Post-purchase one-click offers: made on ORDER_CREATED, accepted into a follow-up checkout the shopper
pays in the storefront (or onto the same UNCONFIRMED order), counted when that checkout's order arrives.

Modules: ``tokens`` (the signed offer and unsubscribe links), ``config`` (checkout URL templates and
same-order channels), ``gateway`` (Saleor: the order payload read into the engine's snapshot, order
reads and writes), ``order_metadata`` (what the thank-you page reads), ``repository`` (the offer row and
its single-use transitions, unsubscribes), ``make`` (the ORDER_CREATED step), ``shopper_actions`` (view /
accept / decline / the offer of an order), ``accept`` (carrying an accept out, resumable),
``follow_up`` (the follow-up checkout), ``order_lines`` (the same-order line and its price check),
``conversion`` (the follow-up order's ORDER_CREATED), ``email`` (the offer e-mail), ``api`` (storefront
GraphQL), ``tasks`` (the sweep: expiry, resume, e-mail retry, checkout hold, auto-confirm). The shopper's
HTML pages are an adapter: web/offer_pages.py.
"""
