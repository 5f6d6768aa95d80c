"""The inbox's per-event statements on PostgreSQL, run on the driver connection (kit.db.Database.driver):
a claim is one statement, a finish is one statement, each committing on its own. They do what
InboxRepository.claim / finish_many do in several (the SQLite path, and the reference for meaning).

A claim as one statement sees one snapshot: a row a concurrent finisher changed after it is re-checked
by the UPDATE itself (the due condition is repeated there), so a row no longer due is neither marked nor
superseded; a subject leased but left with nothing to process is released at once (a second statement,
only then).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .repository import lease_key
from .types import ClaimedEvent, NewInboxEvent, distinct_deliveries

# The due condition, on the alias `e` (as repository._due): waiting and due, or leased and expired.
_DUE = (
    "((e.status = 'pending' AND e.next_attempt_at <= $1)"
    " OR (e.status = 'processing' AND e.locked_until < $1))"
)

_CLAIM = f"""
WITH candidates AS (
    SELECT e.id, e.installation_id, e.subject_key, e.event_type, e.issued_at
    FROM inbox_events e
    WHERE {_DUE}
      AND NOT EXISTS (
          SELECT 1 FROM subject_leases l
          WHERE l.subject_key = e.installation_id::text || ':' || e.subject_key AND l.expires_at >= $1
      )
    ORDER BY e.issued_at, e.id
    LIMIT $2::integer
), firsts AS (
    SELECT DISTINCT ON (installation_id, subject_key) installation_id, subject_key, event_type, issued_at, id
    FROM candidates
    ORDER BY installation_id, subject_key, issued_at, id
), subjects AS (
    SELECT installation_id, subject_key, installation_id::text || ':' || subject_key AS lease_key,
           event_type = ANY($3::text[]) AS snapshots
    FROM firsts
    ORDER BY issued_at, id
    LIMIT $4::integer
), leased AS (
    -- In key order, as every claim and finish takes leases: no lock-order cycle between them.
    INSERT INTO subject_leases AS l (subject_key, owner, expires_at)
    SELECT lease_key, $5::varchar, $6::timestamptz FROM subjects ORDER BY lease_key
    ON CONFLICT (subject_key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
    WHERE l.expires_at < $1
    RETURNING l.subject_key
), ranked AS (
    SELECT e.id, s.lease_key, s.snapshots,
           row_number() OVER (PARTITION BY s.lease_key ORDER BY e.issued_at, e.id) AS oldest,
           row_number() OVER (PARTITION BY s.lease_key ORDER BY e.issued_at DESC, e.id DESC) AS newest
    FROM subjects s
    JOIN leased ON leased.subject_key = s.lease_key
    JOIN inbox_events e ON e.installation_id = s.installation_id AND e.subject_key = s.subject_key
    WHERE {_DUE}
), chosen AS (
    -- A snapshot subject processes its newest due event, any other its oldest.
    SELECT id, lease_key FROM ranked WHERE CASE WHEN snapshots THEN newest = 1 ELSE oldest = 1 END
), marked AS (
    UPDATE inbox_events e
    SET status = 'processing', locked_by = $5::varchar, locked_until = $6::timestamptz,
        attempts = e.attempts + 1
    FROM chosen c
    WHERE e.id = c.id AND {_DUE}
    RETURNING e.id, c.lease_key, e.installation_id, e.event_type, e.subject_key, e.issued_at, e.payload,
              e.attempts
), superseded AS (
    UPDATE inbox_events e
    SET status = 'superseded', finished_at = $1, last_error = 'superseded by event ' || c.id
    FROM ranked r JOIN chosen c ON c.lease_key = r.lease_key
    WHERE e.id = r.id AND r.snapshots AND r.newest > 1 AND {_DUE}
    RETURNING e.id, c.id AS by_id
)
SELECT leased.subject_key AS lease_key, m.id, m.installation_id, m.event_type, m.subject_key, m.issued_at,
       m.payload, m.attempts,
       ARRAY(SELECT s.id FROM superseded s WHERE s.by_id = m.id ORDER BY s.id) AS superseded_ids
FROM leased LEFT JOIN marked m ON m.lease_key = leased.subject_key
ORDER BY m.issued_at, m.id
"""

_RELEASE = "DELETE FROM subject_leases WHERE subject_key = ANY($1::varchar[]) AND owner = $2"

# Leases first (the scalar subquery runs before any event row is touched), as a claim takes them.
_FINISH = """
WITH released AS (
    DELETE FROM subject_leases WHERE subject_key = ANY($1::varchar[]) AND owner = $2 RETURNING 1
)
UPDATE inbox_events
SET status = 'done', finished_at = $3, locked_until = NULL, last_error = NULL
WHERE id = ANY($4::integer[]) AND locked_by = $2 AND (SELECT count(*) FROM released) >= 0
"""


# The ingest group commit: the whole batch as column arrays in one statement (InboxRepository's
# _UNNEST_INSERT, in $n form); it commits on its own before the batch's 2xx are sent.
_ENQUEUE = """
INSERT INTO inbox_events (installation_id, event_type, dedupe_key, subject_key, issued_at, payload,
                          status, attempts, next_attempt_at, received_at)
SELECT i, t, d, s, ia, p, 'pending', 0, r, r
FROM unnest($1::integer[], $2::varchar[], $3::varchar[], $4::varchar[], $5::timestamptz[], $6::text[],
            $7::timestamptz[]) AS batch(i, t, d, s, ia, p, r)
ON CONFLICT (installation_id, dedupe_key) DO NOTHING
RETURNING installation_id, dedupe_key
"""


async def enqueue_many(connection: Any, events: list[NewInboxEvent]) -> set[tuple[int, str]]:
    unique = distinct_deliveries(events)
    rows = await connection.fetch(
        _ENQUEUE,
        [e.installation_id for e in unique],
        [e.event_type for e in unique],
        [e.dedupe_key for e in unique],
        [e.subject_key for e in unique],
        [e.issued_at for e in unique],
        [e.payload for e in unique],
        [e.received_at for e in unique],
    )
    return {(row["installation_id"], row["dedupe_key"]) for row in rows}


async def claim(
    connection: Any,
    *,
    worker_id: str,
    now: datetime,
    lease: timedelta,
    supersedable: frozenset[str],
    limit: int,
) -> list[ClaimedEvent]:
    rows = await connection.fetch(_CLAIM, now, limit * 4, sorted(supersedable), limit, worker_id, now + lease)
    idle = [row["lease_key"] for row in rows if row["id"] is None]
    if idle:
        await connection.execute(_RELEASE, sorted(idle), worker_id)
    return [
        ClaimedEvent(
            id=row["id"],
            installation_id=row["installation_id"],
            event_type=row["event_type"],
            subject_key=row["subject_key"],
            issued_at=row["issued_at"],
            payload=row["payload"],
            attempts=row["attempts"],
            superseded_ids=tuple(row["superseded_ids"]),
        )
        for row in rows
        if row["id"] is not None
    ]


async def finish_many(connection: Any, events: list[ClaimedEvent], worker_id: str, now: datetime) -> None:
    keys = sorted(lease_key(e.installation_id, e.subject_key) for e in events)
    await connection.execute(_FINISH, keys, worker_id, now, [e.id for e in events])
