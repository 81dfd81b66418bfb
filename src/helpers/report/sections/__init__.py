"""Sections of the briefing, by topic."""
