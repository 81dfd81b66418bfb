"""Stage 1: raw report text -> validated tidy tables (parsers, provinces, schemas, checks, the ingest run)."""
