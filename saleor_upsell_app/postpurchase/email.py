"""The offer e-mail: sent by the app through the merchant's SMTP server (aiosmtplib) when configured.

At most one per order: the offer row's ``email_state`` goes ``pending -> sending`` in one conditional
UPDATE before anything is sent, so redeliveries, retries and several processes send it once. A failed
send goes back to ``pending`` and the sweep tries again while the offer is open. A customer e-mail that
used the unsubscribe link (one per shop, signed) gets no more offer e-mails from that shop.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html import escape

from ..engine.money import format_money
from ..kit.db import Database
from ..kit.mail import MailError, SmtpConfig, send_message
from .accept import product_name
from .repository import EmailState, PostPurchaseOfferRepository, StoredOffer, UnsubscribeRepository
from .tokens import OfferLinks, UnsubscribeClaims, verify_unsubscribe_token

log = logging.getLogger("saleor_upsell.postpurchase.email")


_BUTTON = "background:#0b57d0;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none"


def _money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency)  # the e-mail is written in English, like the offer page


def offer_message(offer: StoredOffer, sender: str, offer_url: str, unsubscribe_url: str) -> EmailMessage:
    """The e-mail of one offer: plain text and HTML, with a one-click unsubscribe (RFC 8058)."""
    shown = offer.presentation
    headline = str(shown.get("headline") or "One more thing?")
    name = product_name(offer)
    price = _money(offer.unit_price, offer.currency)
    regular = _money(offer.regular_price, offer.currency)
    compare = bool(shown.get("show_value_comparison", True)) and offer.regular_price > offer.unit_price
    ends = offer.expires_at.strftime("%H:%M UTC on %d %b %Y")
    benefits = [str(b) for b in shown.get("benefits") or ()]
    number = f" #{offer.order_number}" if offer.order_number else ""

    message = EmailMessage()
    message["Subject"] = headline
    message["From"] = sender
    message["To"] = offer.customer_email or ""
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="saleor-upsell")
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    lines = [
        f"Thank you for your order{number}.",
        "",
        headline,
        f"Add {name} for {price}" + (f" (instead of {regular})." if compare else "."),
        *[f"- {b}" for b in benefits],
        "",
        f"This offer ends at {ends}.",
        f"Yes, add it: {offer_url}",
        "",
        f"No more offers by e-mail: {unsubscribe_url}",
    ]
    message.set_content("\n".join(lines))
    items = "".join(f"<li>{escape(b)}</li>" for b in benefits)
    html = (
        f'<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;color:#1a1a1a">'
        f"<p>Thank you for your order{escape(number)}.</p><h1>{escape(headline)}</h1>"
        f"<p>Add <strong>{escape(name)}</strong> for <strong>{escape(price)}</strong>"
        + (f" instead of <del>{escape(regular)}</del>" if compare else "")
        + "</p>"
        + (f"<ul>{items}</ul>" if items else "")
        + f"<p>This offer ends at {escape(ends)}.</p>"
        f'<p><a href="{escape(offer_url, quote=True)}" style="{_BUTTON}">'
        f"Yes, add it for {escape(price)}</a></p>"
        f'<p style="font-size:small;color:#333"><a href="{escape(unsubscribe_url, quote=True)}">'
        "No more offers by e-mail</a></p></body></html>"
    )
    message.add_alternative(html, subtype="html")
    return message


@dataclass(frozen=True, slots=True)
class OfferMailer:
    db: Database
    smtp: SmtpConfig
    links: OfferLinks

    async def send(self, offer: StoredOffer, now: datetime) -> str:
        """Send ``offer``'s e-mail if it is still due; the state it ends in."""
        async with self.db.transaction() as session:
            repository = PostPurchaseOfferRepository(session)
            if not await repository.move_email(offer.id, EmailState.PENDING, EmailState.SENDING, now):
                return offer.email_state or ""  # sent, or being sent, by someone else
            if not offer.customer_email or await UnsubscribeRepository(session).has(
                offer.installation_id, offer.customer_email
            ):
                await repository.move_email(offer.id, EmailState.SENDING, EmailState.SKIPPED, now)
                return EmailState.SKIPPED
        token = self.links.token(offer.installation_id, offer.id, offer.order_id, offer.expires_at)
        message = offer_message(
            offer,
            self.smtp.sender,
            self.links.url(token),
            self.links.unsubscribe_url(offer.installation_id, offer.customer_email),
        )
        try:
            await send_message(self.smtp, message)
        except MailError as exc:
            async with self.db.transaction() as session:
                await PostPurchaseOfferRepository(session).move_email(
                    offer.id, EmailState.SENDING, EmailState.PENDING, now
                )
            log.warning("offer e-mail not sent; will retry", extra={"offer_id": offer.id, "error": str(exc)})
            return EmailState.PENDING
        async with self.db.transaction() as session:
            await PostPurchaseOfferRepository(session).move_email(
                offer.id, EmailState.SENDING, EmailState.SENT, now
            )
        log.info("offer e-mail sent", extra={"offer_id": offer.id})
        return EmailState.SENT

    async def send_due(self, now: datetime) -> int:
        """Every open offer whose e-mail is still pending (the sweep's retry); how many were sent."""
        async with self.db.read() as session:
            due = await PostPurchaseOfferRepository(session).email_due(now)
        sent = 0
        for offer in due:
            sent += await self.send(offer, now) == EmailState.SENT
        return sent


@dataclass(frozen=True, slots=True)
class Unsubscribes:
    """The unsubscribe link's use case: check a link, and record its customer e-mail for its shop."""

    db: Database
    secret_key: str

    def check(self, token: str) -> UnsubscribeClaims:
        """The link's shop and e-mail; TokenInvalid for anything this app did not sign."""
        return verify_unsubscribe_token(self.secret_key, token)

    async def unsubscribe(self, token: str, now: datetime) -> UnsubscribeClaims:
        claims = self.check(token)
        async with self.db.transaction() as session:
            await UnsubscribeRepository(session).add(claims.installation_id, claims.email, now)
        log.info("offer e-mails unsubscribed", extra={"installation_id": claims.installation_id})
        return claims
