"""Wagtail's own search (the admin's page, image, user and snippet search boxes) on its database backend,
without the table scans it makes on every save on PostgreSQL.

Readers, the article listing and the API search through murasil.search.index; this backend only
serves Wagtail's admin screens. On PostgreSQL the stock backend follows every indexed save with a
pass over the whole index table: the average title length, then an update of every entry whose
`title_norm` is still 1.0. Publishing an article indexes it several times (page, revision, reference
index), so that pass ran about four times a publish and cost 150 ms each at 100k entries. Here new
entries keep the norm of an average-length title (1.0) until `murasil update_index` (or any rebuild)
sets every norm at once, which the stock rebuilders already do. SQLite and others use the stock
backend unchanged.
"""

from typing import Any

from django.db import connection

from wagtail.search.backends.database import SearchBackend as database_backend
from wagtail.search.backends.database.postgres.postgres import PostgresIndex, PostgresSearchBackend


class NormsOnRebuildIndex(PostgresIndex):
    def _refresh_title_norms(self, full: bool = False) -> None:
        if full:
            super()._refresh_title_norms(full=True)


class NormsOnRebuildBackend(PostgresSearchBackend):
    index_class = NormsOnRebuildIndex


def SearchBackend(params: dict[str, Any]):  # Wagtail looks this name up in a backend module
    """The stock database backend for this database, with the norms pass moved to rebuilds on PostgreSQL."""
    if connection.vendor == "postgresql":
        return NormsOnRebuildBackend(params)
    return database_backend(params)
