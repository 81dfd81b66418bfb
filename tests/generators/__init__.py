"""Generators of raw reports for tests and the benchmark: OCR damage of a clean report
(ocr_damage) and plausible next-day reports of every kind (next_day). They write text
files only; the tests put them through the real parsers, ingest and CLI."""
