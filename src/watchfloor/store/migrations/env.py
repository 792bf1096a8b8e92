"""Alembic environment for the watchfloor store.

``Store.open`` runs the migrations on a connection of its own engine, handed over in
``config.attributes["connection"]``, so the SQLite pragmas and the transaction it opened apply
and a failed migration rolls back whole. Run by hand (to write a new revision, say)::

    alembic -c src/watchfloor/store/alembic.ini -x url=sqlite:///var/dev.sqlite upgrade head
    alembic -c src/watchfloor/store/alembic.ini -x url=sqlite:///var/dev.sqlite \\
        revision --autogenerate -m "what changed"

The URL comes from ``-x url=...``, else ``WATCHFLOOR_DB``, else ``sqlalchemy.url`` in the ini.
"""

from __future__ import annotations

import os
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection

from watchfloor.settings import db_url_from
from watchfloor.store.db import create_store_engine, write_transaction
from watchfloor.store.schema import is_search_object, metadata

config = context.config


def _url() -> str:
    given = context.get_x_argument(as_dictionary=True).get("url")
    given = given or os.environ.get("WATCHFLOOR_DB") or config.get_main_option("sqlalchemy.url")
    if not given:
        raise SystemExit("give the database with -x url=... or WATCHFLOOR_DB")
    return db_url_from(given)


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table, and is a no-op on
        # PostgreSQL, so one migration serves both.
        render_as_batch=True,
        # Both backends roll DDL back with the transaction (on SQLite because the store issues
        # BEGIN itself); a half-applied migration would otherwise be possible.
        transactional_ddl=True,
        compare_type=True,
        # Full-text search objects are backend-specific SQL of migration 0003, not metadata.
        include_name=lambda name, _type, _parents: not is_search_object(name),
        **kwargs,
    )


def run_offline() -> None:
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_on(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    # Only by hand from the command line: then the ini's logging set-up is wanted.
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    engine = create_store_engine(_url())
    try:
        with write_transaction(engine) as conn:
            run_on(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
