"""The process's Prometheus metrics (served at /metrics by web/metrics.py). Each part that has
something to count imports its metric from here; what lives in the database (inbox depth, oldest
pending event, parked events) is read when scraped, not counted here."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

# Webhooks: every answer is counted once, by event and outcome or refusal code.
WEBHOOKS_RECEIVED = Counter(
    "saleor_upsell_webhooks_received_total",
    "Webhooks answered 2xx: stored (new), duplicate, or the app's own event (ignored).",
    ["event", "outcome"],
)
WEBHOOKS_REFUSED = Counter(
    "saleor_upsell_webhooks_refused_total",
    "Webhooks refused, by the error code answered (e.g. SIGNATURE_VERIFICATION_FAILED, UNAVAILABLE).",
    ["event", "code", "status"],
)

# Inbox processing: one observation per event handled, whatever came of it.
INBOX_PROCESSING_SECONDS = Histogram(
    "saleor_upsell_inbox_processing_seconds",
    "Time an inbox handler took for one event, by event and outcome (done, retry, parked).",
    ["event", "outcome"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
INBOX_WORKER_ERRORS = Counter(
    "saleor_upsell_inbox_worker_errors_total",
    "Worker steps that failed outside a handler (claiming, recording), by kind.",
    ["kind"],
)

# Calls to Saleor's GraphQL API.
SALEOR_REQUEST_SECONDS = Histogram(
    "saleor_upsell_saleor_request_seconds",
    "Duration of GraphQL calls to Saleor, by operation.",
    ["operation"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
SALEOR_ERRORS = Counter(
    "saleor_upsell_saleor_errors_total",
    "GraphQL calls to Saleor that failed, by operation and error code (e.g. SALEOR_UNAVAILABLE).",
    ["operation", "code"],
)
