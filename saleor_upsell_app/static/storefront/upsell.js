/* saleor-upsell storefront widget: <saleor-upsell placement="product|cart|checkout|thank_you" ...>.
 * Dependency-free custom element; loads with <script async src="APP_URL/storefront/upsell.js">.
 * Attributes: saleor-api-url, channel, placement, product-id + variant-id (product), checkout-id (cart,
 * checkout; optional on product), order-id (thank_you), app-url (default: where this script came from),
 * locale (default: the page's). Events (bubbling, composed): saleor-upsell:accepted, saleor-upsell:declined,
 * saleor-upsell:checkout (a checkout the app created: adopt it), saleor-upsell:error.
 * Theme with CSS custom properties on the element: --upsell-accent, --upsell-accent-text, --upsell-bg,
 * --upsell-text, --upsell-muted, --upsell-border, --upsell-radius, --upsell-font, --upsell-gap.
 * Size budget: 15 kB gzipped (tests/placements/test_widget.py). Prices come from the server only. */
(() => {
  "use strict";
  if (!window.customElements || customElements.get("saleor-upsell")) return;
  const script = document.currentScript;
  const scriptOrigin = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  const FIELDS =
    "key kind productName imageUrl headline reason badge socialProof acceptWith offerUrl " +
    "price { amount currency } regularPrice { amount currency } why { source }";
  const QUERY =
    "query($u:String!,$c:String!,$p:Placement!,$pr:ID,$v:ID,$co:ID,$o:ID){placements(saleorApiUrl:$u," +
    "channel:$c,placement:$p,productId:$pr,variantId:$v,checkoutId:$co,orderId:$o){checkoutId offers{" +
    FIELDS + "}}}";
  const ARGS = "$u:String!,$c:String!,$placement:Placement!,$key:ID!,$checkoutId:ID,$orderId:ID";
  const PASS = "saleorApiUrl:$u,channel:$c,placement:$placement,key:$key,checkoutId:$checkoutId,orderId:$orderId";
  const ACCEPT =
    "mutation(" + ARGS + ",$productId:ID,$variantId:ID){placementAccept(" + PASS +
    ",productId:$productId,variantId:$variantId){result lineId checkoutId createdCheckout orderId " +
    "errors{code message}}}";
  const DECLINE = "mutation(" + ARGS + "){placementDecline(" + PASS + "){recorded errors{code message}}}";
  const PLACEMENTS = { product: "PRODUCT", cart: "CART", checkout: "CHECKOUT", thank_you: "THANK_YOU" };
  const TEXT = {
    region: "Recommended for you",
    add: "Add",
    addFor: "Add {name} for {price}",
    no: "No thanks",
    noFor: "No thanks to {name}",
    was: "Regular price",
    now: "Offer price",
    added: "{name} was added.",
    failed: "Sorry, this offer could not be added.",
  };
  const CSS = `
:host{display:block;font:inherit;font-family:var(--upsell-font,inherit);color:var(--upsell-text,inherit)}
:host([hidden]){display:none}
section{display:grid;gap:var(--upsell-gap,.75rem)}
h2{font-size:1rem;margin:0}
article{display:grid;grid-template-columns:auto 1fr;gap:.75rem;align-items:center;padding:.75rem;
background:var(--upsell-bg,transparent);border:1px solid var(--upsell-border,#d0d0d0);
border-radius:var(--upsell-radius,.5rem);transition:opacity .2s}
img{width:64px;height:64px;object-fit:cover;border-radius:calc(var(--upsell-radius,.5rem)/2)}
h3{font-size:1rem;margin:0 0 .25rem}
p{margin:.125rem 0}
.muted,.badge{color:var(--upsell-muted,#555);font-size:.875em}
.badge{font-weight:600;text-transform:uppercase;letter-spacing:.04em}
.price{font-weight:700}
del{color:var(--upsell-muted,#555);font-weight:400;margin-inline-start:.375rem}
.actions{display:flex;gap:.5rem;margin-top:.5rem;flex-wrap:wrap}
button{font:inherit;cursor:pointer;padding:.4rem .9rem;border-radius:var(--upsell-radius,.5rem);
border:1px solid var(--upsell-accent,#111);background:transparent;color:inherit}
button.add{background:var(--upsell-accent,#111);color:var(--upsell-accent-text,#fff)}
button:focus-visible{outline:3px solid var(--upsell-accent,#111);outline-offset:2px}
button[disabled]{opacity:.6;cursor:progress}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (prefers-reduced-motion:reduce){article{transition:none}}`;

  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
  const el = (tag, props, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k === "on") node.addEventListener("click", v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };

  class SaleorUpsell extends HTMLElement {
    static get observedAttributes() {
      return ["placement", "product-id", "variant-id", "checkout-id", "order-id", "channel", "saleor-api-url"];
    }

    constructor() {
      super();
      this.root = this.attachShadow({ mode: "open" });
      this.offers = [];
      this.loadToken = 0;
    }

    connectedCallback() {
      this.scheduleLoad();
    }

    attributeChangedCallback(_name, before, after) {
      if (before !== after && this.isConnected && !this.quiet) this.scheduleLoad();
    }

    get appUrl() {
      return (this.getAttribute("app-url") || scriptOrigin).replace(/\/$/, "");
    }

    get placement() {
      return PLACEMENTS[(this.getAttribute("placement") || "").toLowerCase().replace("-", "_")];
    }

    get storageKey() {
      return "saleor-upsell:declined:" + this.getAttribute("saleor-api-url") + ":" + this.getAttribute("channel");
    }

    declined() {
      try {
        return new Set(JSON.parse(localStorage.getItem(this.storageKey) || "[]"));
      } catch (_) {
        return new Set();
      }
    }

    remember(key) {
      const keys = this.declined();
      keys.add(key);
      try {
        localStorage.setItem(this.storageKey, JSON.stringify([...keys].slice(-200)));
      } catch (_) {
        /* storage full or blocked: the server still knows when there is a checkout */
      }
    }

    scheduleLoad() {
      // Never in the page's critical path: after the current task, and only once per batch of changes.
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.load(), 0);
    }

    async call(query, variables) {
      const response = await fetch(this.appUrl + "/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      const body = await response.json();
      if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
      return body.data;
    }

    base() {
      return { u: this.getAttribute("saleor-api-url"), c: this.getAttribute("channel") };
    }

    async load() {
      const placement = this.placement;
      if (!placement || !this.getAttribute("saleor-api-url") || !this.getAttribute("channel")) return;
      const token = ++this.loadToken;
      const attr = (name) => this.getAttribute(name) || null;
      try {
        const data = await this.call(QUERY, {
          ...this.base(),
          p: placement,
          pr: attr("product-id"),
          v: attr("variant-id"),
          co: attr("checkout-id"),
          o: attr("order-id"),
        });
        if (token !== this.loadToken) return; // a newer load (e.g. another variant) won
        const declined = this.declined();
        this.offers = data.placements.offers.filter((offer) => !declined.has(offer.key));
        this.render();
      } catch (error) {
        this.offers = [];
        this.render();
        this.emit("error", { message: String(error && error.message) });
      }
    }

    emit(name, detail) {
      this.dispatchEvent(new CustomEvent("saleor-upsell:" + name, { detail, bubbles: true, composed: true }));
    }

    money(money) {
      const locale = this.getAttribute("locale") || document.documentElement.lang || undefined;
      try {
        return new Intl.NumberFormat(locale, { style: "currency", currency: money.currency }).format(
          Number(money.amount),
        );
      } catch (_) {
        return money.amount + " " + money.currency;
      }
    }

    render() {
      const root = this.root;
      root.replaceChildren(el("style", { text: CSS }));
      this.status = el("p", { class: "sr", role: "status", "aria-live": "polite" });
      root.append(this.status);
      this.toggleAttribute("hidden", this.offers.length === 0);
      if (!this.offers.length) return;
      const title = this.getAttribute("heading") || TEXT.region;
      const heading = el("h2", { id: "h", text: title });
      const section = el("section", { "aria-labelledby": "h" }, heading);
      for (const offer of this.offers) section.append(this.card(offer));
      root.append(section);
    }

    card(offer) {
      const name = offer.productName || offer.headline;
      const price = this.money(offer.price);
      const discounted = Number(offer.regularPrice.amount) > Number(offer.price.amount);
      const priceLine = el(
        "p",
        { class: "price" },
        el("span", { class: "sr", text: TEXT.now + ": " }),
        el("span", { part: "price", text: price }),
        discounted
          ? el(
              "del",
              { part: "regular-price" },
              el("span", { class: "sr", text: TEXT.was + ": " }),
              this.money(offer.regularPrice),
            )
          : null,
      );
      const add = el("button", {
        type: "button",
        class: "add",
        part: "add",
        "aria-label": fill(TEXT.addFor, { name, price }),
        text: TEXT.add,
      });
      const no = el("button", {
        type: "button",
        class: "no",
        part: "decline",
        "aria-label": fill(TEXT.noFor, { name }),
        text: TEXT.no,
      });
      const card = el(
        "article",
        { part: "offer", "data-key": offer.key, "aria-label": name },
        this.picture(offer),
        el(
          "div",
          {},
          offer.badge ? el("p", { class: "badge", text: offer.badge }) : null,
          el("h3", { text: offer.headline }),
          offer.productName && offer.productName !== offer.headline
            ? el("p", { class: "muted", text: offer.productName })
            : null,
          offer.reason ? el("p", { text: offer.reason }) : null,
          offer.socialProof && offer.socialProof !== offer.reason
            ? el("p", { class: "muted", part: "social-proof", text: offer.socialProof })
            : null,
          priceLine,
          el("div", { class: "actions" }, add, no),
        ),
      );
      add.addEventListener("click", () => this.accept(offer, card, add, no));
      no.addEventListener("click", () => this.decline(offer, card));
      return card;
    }

    picture(offer) {
      if (!offer.imageUrl) return el("span");
      const img = el("img", { src: offer.imageUrl, alt: "", loading: "lazy", decoding: "async" });
      img.addEventListener("error", () => img.replaceWith(el("span"))); // no broken-image icon
      return img;
    }

    variables(offer) {
      const args = offer.acceptWith || {};
      const checkout = args.checkoutId || this.getAttribute("checkout-id") || null;
      return { ...this.base(), ...args, checkoutId: checkout };
    }

    async accept(offer, card, add, no) {
      add.disabled = no.disabled = true;
      card.setAttribute("aria-busy", "true");
      try {
        const data = await this.call(ACCEPT, this.variables(offer));
        const payload = data.placementAccept;
        if (payload.createdCheckout && payload.checkoutId) {
          this.quiet = true; // adopting the new checkout must not re-fetch mid-accept
          this.setAttribute("checkout-id", payload.checkoutId);
          this.quiet = false;
          this.emit("checkout", { checkoutId: payload.checkoutId, channel: this.getAttribute("channel") });
        }
        const done = !payload.errors.length || payload.errors[0].code === "ALREADY_DONE";
        if (!done) throw new Error(payload.errors[0].message);
        this.drop(offer, card, fill(TEXT.added, { name: offer.productName || offer.headline }));
        this.emit("accepted", { offer, ...payload });
      } catch (error) {
        add.disabled = no.disabled = false;
        card.removeAttribute("aria-busy");
        this.status.textContent = TEXT.failed;
        this.emit("error", { offer, message: String(error && error.message) });
      }
    }

    async decline(offer, card) {
      this.remember(offer.key);
      this.drop(offer, card, "");
      this.emit("declined", { offer });
      try {
        await this.call(DECLINE, this.variables(offer));
      } catch (_) {
        /* remembered in the browser already */
      }
    }

    drop(offer, card, message) {
      this.offers = this.offers.filter((other) => other !== offer);
      const next = card.nextElementSibling || card.previousElementSibling;
      card.remove();
      this.status.textContent = message;
      const focus = next && next.querySelector("button");
      if (focus) focus.focus();
      if (!this.offers.length) {
        const section = this.root.querySelector("section");
        if (section) section.remove();
        this.toggleAttribute("hidden", !message);
      }
    }
  }

  customElements.define("saleor-upsell", SaleorUpsell);
})();
