"""The shopper's HTML pages: the offer, the result, and polite refusals. No JavaScript needed.

Every value is HTML-escaped. Colours keep a contrast ratio above 7:1 (text) and 4.5:1 (buttons);
focus outlines stay visible; times are shown in UTC because the server does not know the shopper's zone.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from html import escape

from ..engine.money import format_money
from ..postpurchase.errors import OfferError
from ..postpurchase.shopper_actions import AcceptOutcome, DeclineOutcome, OfferView

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#fff;
max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
h1{font-size:1.6rem;line-height:1.25}
.price{font-size:1.4rem;margin:.5rem 0}
.price strong{font-size:1.8rem}
del{color:#4a4a4a}
.ends{color:#333;font-weight:600}
.actions{display:flex;gap:1rem;flex-wrap:wrap;margin-top:1.5rem}
.actions form{margin:0}
button{font:inherit;font-size:1.1rem;padding:.75rem 1.5rem;border-radius:.4rem;cursor:pointer;min-height:44px}
.accept{background:#0b57d0;color:#fff;border:2px solid #0b57d0}
.decline{background:#fff;color:#1a1a1a;border:2px solid #595959}
button:focus-visible{outline:3px solid #1a1a1a;outline-offset:3px}
.note{color:#333}
"""


def money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency, "en")  # the page's language (lang="en")


def _time(moment: datetime) -> str:
    return f'<time datetime="{escape(moment.isoformat())}">{moment.strftime("%H:%M")} UTC</time>'


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def offer_page(view: OfferView, offer_url: str) -> str:
    """``offer_url``: the absolute link (APP_URL may carry a path prefix behind a proxy)."""
    price = money(view.unit_price, view.currency)
    comparison = ""
    if view.show_value_comparison and view.regular_price > view.unit_price:
        comparison = (
            f' <span class="regular">instead of <del aria-label="regular price">'
            f"{escape(money(view.regular_price, view.currency))}</del></span>"
        )
    benefits = ""
    if view.benefits:
        items = "".join(f"<li>{escape(b)}</li>" for b in view.benefits)
        benefits = f'<ul aria-label="Why add it">{items}</ul>'
    where = (
        f"It is added to your order {escape(_number(view.order_number))}."
        if view.add_to_same_order
        else "The shop prepares a small follow-up order for it; no new payment details are needed here."
    )
    action = escape(offer_url, quote=True)
    return _page(
        view.headline,
        f"<h1>{escape(view.headline)}</h1>"
        f"<p>Add <strong>{escape(view.product_name)}</strong> to your purchase with one click.</p>"
        f'<p class="price"><span>Your price: </span><strong>{escape(price)}</strong>{comparison}</p>'
        f"{benefits}"
        f'<p class="ends">This offer ends at {_time(view.expires_at)}.</p>'
        f'<p class="note">{where}</p>'
        '<div class="actions">'
        f'<form method="post" action="{action}/accept">'
        f'<button type="submit" class="accept">Yes, add it for {escape(price)}</button></form>'
        f'<form method="post" action="{action}/decline">'
        '<button type="submit" class="decline">No, thanks</button></form>'
        "</div>",
    )


def _number(number: str | None) -> str:
    return f"#{number}" if number else ""


def accepted_page(outcome: AcceptOutcome) -> str:
    price = escape(money(outcome.unit_price, outcome.currency))
    name = escape(outcome.product_name)
    if outcome.result == "added_to_order":
        body = (
            f"<h1>Added to your order {escape(_number(outcome.order_number))}</h1>"
            f'<p role="status"><strong>{name}</strong> is now part of your order at {price}.</p>'
            "<p>It ships with the rest of your order. Your order total went up by this amount; the shop "
            "collects it through its usual payment process and will contact you if anything is needed.</p>"
        )
    else:
        body = (
            "<h1>We have reserved it for you</h1>"
            f'<p role="status"><strong>{name}</strong> at {price} is in a follow-up order '
            f"{escape(_number(outcome.follow_up_order_number))}, because your first order was already "
            "being processed.</p>"
            "<p>The shop will email you to confirm delivery and payment for it. There is nothing else "
            "you need to do now.</p>"
        )
    return _page("Offer accepted", body)


def declined_page(outcome: DeclineOutcome) -> str:
    return _page(
        "No problem",
        '<h1>No problem</h1><p role="status">We will not add '
        f"{escape(outcome.product_name)}. Your order is unchanged. Thank you for shopping with us.</p>",
    )


def refusal_page(error: OfferError) -> str:
    return _page(
        error.title, f'<h1>{escape(error.title)}</h1><p role="status">{escape(error.shopper_message)}</p>'
    )


def unexpected_page() -> str:
    return _page(
        "Something went wrong",
        '<h1>Something went wrong</h1><p role="status">Sorry, we could not process this offer just now. '
        "Your order is unchanged. Please try again in a moment.</p>",
    )
