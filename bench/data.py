"""Cases of the data platform: vector search, the outbox, enqueue, the embedding backfill."""

ALL: list = []
