"""Serve: ways out of the store (exports now; the REST API and dashboard later)."""
