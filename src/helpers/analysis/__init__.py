"""Statistics computed from the validated tables (pure functions: DataFrames in, DataFrames or small frozen dataclasses out)."""
