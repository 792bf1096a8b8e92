"""Analyze: read-only views over stored events (timelines now; rates and claim checks later)."""
