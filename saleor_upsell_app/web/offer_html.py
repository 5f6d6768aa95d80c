"""The shopper's HTML pages: the offer, the result, polite refusals, and the e-mail unsubscribe.

Every value is HTML-escaped. Colours keep a contrast ratio above 7:1 (text) and 4.5:1 (buttons);
focus outlines stay visible. Without JavaScript the end of the window is shown in UTC (the server does
not know the shopper's zone); one small inline script (allowed by its hash in the page's CSP) rewrites
it in the shopper's local time with a live countdown, and takes the price and the button away when
the window closes. The server refuses an accept after the window either way.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from decimal import Decimal
from html import escape

from ..engine.money import format_money
from ..postpurchase.errors import OfferAlreadyAnswered, OfferError
from ..postpurchase.shopper_actions import AcceptOutcome, DeclineOutcome, OfferView

# Countdown in the shopper's local time; at zero the offer (price, buttons) is replaced by "ended".
COUNTDOWN_SCRIPT = (
    "(function(){var t=document.getElementById('ends-at');if(!t)return;"
    "var end=new Date(t.getAttribute('datetime'));if(isNaN(end))return;"
    "t.textContent=end.toLocaleTimeString([],{hour:'2-digit',minute:'2-digit'});"
    "var left=document.getElementById('time-left');"
    "function tick(){var s=Math.max(0,Math.round((end-Date.now())/1000));"
    "if(s<=0){var o=document.getElementById('offer');if(o){o.hidden=true;}"
    "var e=document.getElementById('ended');if(e){e.hidden=false;}return;}"
    "var m=Math.floor(s/60),r=s%60;"
    "if(left){left.textContent=m+':'+(r<10?'0':'')+r+' left';}setTimeout(tick,1000);}"
    "tick();})();"
)
COUNTDOWN_HASH = "sha256-" + base64.b64encode(hashlib.sha256(COUNTDOWN_SCRIPT.encode()).digest()).decode()

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
img{max-width:100%;height:auto;display:block}
"""


def money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency, "en")  # the page's language (lang="en")


def _time(moment: datetime) -> str:
    return f'<time datetime="{escape(moment.isoformat())}">{moment.strftime("%H:%M")} UTC</time>'


def _ends(moment: datetime) -> str:
    return f'<time id="ends-at" datetime="{escape(moment.isoformat())}">{moment.strftime("%H:%M")} UTC</time>'


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
        f"It is added to your order {escape(_number(view.order_number))}; the shop collects the "
        f"{escape(price)} with it."
        if view.add_to_same_order
        else "You pay for it in the shop's checkout next, with your details already filled in."
    )
    image = ""
    if view.image_url:
        image = (
            f'<img src="{escape(view.image_url, quote=True)}" alt="{escape(view.product_name, quote=True)}" '
            'width="240" height="240">'
        )
    proof = f'<p class="proof">{escape(view.social_proof)}</p>' if view.social_proof else ""
    action = escape(offer_url, quote=True)
    return _page(
        view.headline,
        f'<div id="offer"><h1>{escape(view.headline)}</h1>{image}'
        f"<p>Add <strong>{escape(view.product_name)}</strong> to your purchase.</p>"
        f'<p class="price"><span>Your price: </span><strong>{escape(price)}</strong>{comparison}</p>'
        f"{benefits}{proof}"
        f'<p class="ends">This offer ends at {_ends(view.expires_at)}. <span id="time-left" '
        'aria-live="off"></span></p>'
        f'<p class="note">{where}</p>'
        '<div class="actions">'
        f'<form method="post" action="{action}/accept">'
        f'<button type="submit" class="accept">Yes, add it for {escape(price)}</button></form>'
        f'<form method="post" action="{action}/decline">'
        '<button type="submit" class="decline">No, thanks</button></form>'
        "</div></div>"
        '<div id="ended" hidden><h1>This offer has ended</h1><p role="status">The time to add this item '
        "has passed, and your order is unchanged.</p></div>"
        f"<script>{COUNTDOWN_SCRIPT}</script>",
    )


def _number(number: str | None) -> str:
    return f"#{number}" if number else ""


def accepted_page(outcome: AcceptOutcome) -> str:
    """The same-order add-on's confirmation (a follow-up checkout is a redirect)."""
    price = escape(money(outcome.unit_price, outcome.currency))
    name = escape(outcome.product_name)
    due = escape(money(outcome.amount_due, outcome.currency)) if outcome.amount_due is not None else price
    body = (
        f"<h1>Added to your order {escape(_number(outcome.order_number))}</h1>"
        f'<p role="status"><strong>{name}</strong> is now part of your order at {price}.</p>'
        f"<p>It ships with the rest of your order. The shop collects the remaining {due} through its "
        "usual payment process and will contact you if anything is needed.</p>"
    )
    return _page("Offer accepted", body)


def unsubscribe_page(action_url: str) -> str:
    return _page(
        "Stop offer e-mails",
        "<h1>Stop offer e-mails?</h1><p>You will get no more offer e-mails from this shop. Order "
        "confirmations are not affected.</p>"
        f'<form method="post" action="{escape(action_url, quote=True)}">'
        '<button type="submit" class="decline">Stop offer e-mails</button></form>',
    )


def unsubscribed_page() -> str:
    return _page(
        "Unsubscribed",
        '<h1>Done</h1><p role="status">You will get no more offer e-mails from this shop.</p>',
    )


def declined_page(outcome: DeclineOutcome) -> str:
    return _page(
        "No problem",
        '<h1>No problem</h1><p role="status">We will not add '
        f"{escape(outcome.product_name)}. Your order is unchanged. Thank you for shopping with us.</p>",
    )


def refusal_page(error: OfferError) -> str:
    more = ""
    checkout_url = error.checkout_url if isinstance(error, OfferAlreadyAnswered) else None
    if checkout_url:
        more = (
            f'<p><a href="{escape(checkout_url, quote=True)}">Continue to checkout</a> to pay for the item '
            "you added.</p>"
        )
    return _page(
        error.title,
        f'<h1>{escape(error.title)}</h1><p role="status">{escape(error.shopper_message)}</p>{more}',
    )


def unexpected_page() -> str:
    return _page(
        "Something went wrong",
        '<h1>Something went wrong</h1><p role="status">Sorry, we could not process this offer just now. '
        "Your order is unchanged. Please try again in a moment.</p>",
    )
