"""dreamshot benchmark cases: our path against the raw SQL doing the same work."""

ALL: list = []
