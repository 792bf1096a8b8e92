"""The store stage: the SQLAlchemy schema, its Alembic migrations and the :class:`Store`."""

from __future__ import annotations

from watchfloor.store.db import Store, create_store_engine

__all__ = ["Store", "create_store_engine"]
