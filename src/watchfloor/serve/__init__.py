"""Serve: ways out of the store: exports (export.py) and the REST API (api.py); the dashboard
later."""
