"""Figures for the briefings (matplotlib/seaborn, Agg backend; each function returns a Figure)."""
