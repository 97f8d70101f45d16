"""Where the analyzed tokens live, per database. Both see exactly the same tokens, so both match alike.

Every field is stored twice: the `w` form holds each word as written minus its proclitics (for
phrases and for ranking exact words first); the `a` form holds every form a word may be searched by
(word, light stem, and the forms without light10's و step). A query term matches any form in `a`,
and also names its exact word in `w`, which adds to the score of articles that use that very word.

- SQLite: an FTS5 table (rowid = article id) with columns per field and form, ranked by bm25().
- PostgreSQL: a tsvector (`simple`, nothing re-analysed) with weights A–D for title, standfirst,
  tags, body; exact words carry a "=" prefix. Ranked by ts_rank with the same weight order. The
  vectors are stored out of line but uncompressed (migration 0003): ranking reads whole vectors.
"""

from contextlib import contextmanager

from django.db import connection, transaction

from .analyzer import QueryTerm, index_forms

FIELDS = ("title", "standfirst", "tags", "body")
PG_WEIGHTS = {"title": "A", "standfirst": "B", "tags": "C", "body": "D"}
# bm25 weights per FTS5 column, in column order: w then a, per field.
BM25_WEIGHTS = {"title": 10.0, "standfirst": 5.0, "tags": 4.0, "body": 1.0}
EXACT_BONUS = 1.5
RANK_WINDOW = 2000
# Search as you type looks at the newest headline matches only (by id), then orders them by date.
SUGGEST_WINDOW = 200


def field_forms(text: str) -> tuple[list[str], list[str]]:
    """(exact words in order, every searchable form in order) for one field."""
    words, forms = [], []
    for word, word_forms in index_forms(text):
        words.append(word)
        forms.extend(sorted(word_forms))
    return words, forms


class SQLiteBackend:
    table = "search_articlefts"

    @staticmethod
    def columns() -> list[str]:
        return [f"{field}_{kind}" for field in FIELDS for kind in ("w", "a")]

    def upsert(self, article_id: int, fields: dict[str, str]) -> None:
        values = []
        for field in FIELDS:
            words, forms = field_forms(fields.get(field, ""))
            values += [" ".join(words), " ".join(forms)]
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table} WHERE rowid = %s", [article_id])  # noqa: S608
            placeholders = ", ".join(["%s"] * (len(values) + 1))
            cursor.execute(
                f"INSERT INTO {self.table} (rowid, {', '.join(self.columns())}) VALUES ({placeholders})",  # noqa: S608
                [article_id, *values],
            )

    def delete(self, article_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table} WHERE rowid = %s", [article_id])  # noqa: S608

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")  # noqa: S608

    @staticmethod
    def _quote(token: str) -> str:
        return '"' + token.replace('"', '""') + '"'

    def _term(self, term: QueryTerm) -> str:
        w_cols = " ".join(f"{f}_w" for f in FIELDS)
        if term.phrase:
            return "{" + w_cols + "}: " + self._quote(" ".join(term.words))
        a_cols = " ".join(f"{f}_a" for f in FIELDS)
        forms = " OR ".join(self._quote(f) for f in sorted(term.forms))
        return f"({{{a_cols}}}: ({forms}) OR {{{w_cols}}}: {self._quote(term.words[0])})"

    def match_expression(self, terms: list[QueryTerm], every: bool) -> str:
        joiner = " AND " if every else " OR "
        return joiner.join(f"({self._term(t)})" for t in terms)

    def search(
        self,
        terms: list[QueryTerm],
        every: bool,
        within_sql: str,
        within_params,
        order: str,
        limit: int,
        window: int = RANK_WINDOW,
    ):
        weights = []
        for field in FIELDS:
            weights += [BM25_WEIGHTS[field] * EXACT_BONUS, BM25_WEIGHTS[field]]
        rank = f"bm25({self.table}, {', '.join(str(w) for w in weights)})"
        within = f"AND a.id IN ({within_sql})" if within_sql else ""
        # Matches stream out of FTS5 newest first (rowid order, no sort), so LIMIT stops early: the
        # relevance ranking scores the newest RANK_WINDOW matches only, never every match of a
        # common word. For a news archive the newest matches are the ones worth ranking.
        inner = (
            f"SELECT f.rowid AS id, {rank} AS score, a.first_published_at AS published "  # noqa: S608
            f"FROM {self.table} f CROSS JOIN news_article a ON a.id = f.rowid "
            f"WHERE {self.table} MATCH %s {within} ORDER BY f.rowid DESC LIMIT {int(window)}"
        )
        order_by = "score, id DESC" if order == "relevance" else "published DESC, id DESC"
        sql = f"SELECT id FROM ({inner}) ORDER BY {order_by} LIMIT %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match_expression(terms, every), *within_params, limit])
            return [row[0] for row in cursor.fetchall()]

    def headlines(self, words: list[frozenset[str]], prefixes: frozenset[str], limit: int) -> list[int]:
        """Newest articles whose headline holds a form of every word and a word starting with a prefix."""
        parts = [f"({' OR '.join(self._quote(f) for f in sorted(forms))})" for forms in words]
        parts.append(f"({' OR '.join(self._quote(p) + '*' for p in sorted(prefixes))})")
        expression = "{title_a}: (" + " AND ".join(parts) + ")"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT m.id FROM (SELECT rowid AS id FROM {self.table} WHERE {self.table} MATCH %s "  # noqa: S608
                f"ORDER BY rowid DESC LIMIT {SUGGEST_WINDOW}) m JOIN news_article a ON a.id = m.id "
                "ORDER BY a.first_published_at DESC, a.id DESC LIMIT %s",
                [expression, limit],
            )
            return [row[0] for row in cursor.fetchall()]


class PostgresBackend:
    @staticmethod
    def _lexeme(token: str) -> str:
        return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"

    def vector_literal(self, fields: dict[str, str]) -> str:
        positions: dict[str, list[str]] = {}
        position = 0
        for field in FIELDS:
            weight = PG_WEIGHTS[field]
            for word, word_forms in index_forms(fields.get(field, "")):
                position = min(position + 1, 16383)  # tsvector's largest position
                for form in {*word_forms, "=" + word}:
                    positions.setdefault(form, []).append(f"{position}{weight}")
            position += 10  # fields never form phrases across their border
        return " ".join(f"{self._lexeme(form)}:{','.join(places[:256])}" for form, places in positions.items())

    def upsert(self, article_id: int, fields: dict[str, str]) -> None:
        # One statement for both tables; the headline vector is the title field's part (weight A).
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH document AS (INSERT INTO murasil_search_searchdocument (article_id, vector) "
                "VALUES (%s, %s::tsvector) ON CONFLICT (article_id) DO UPDATE SET vector = EXCLUDED.vector "
                "RETURNING article_id, vector) "
                "INSERT INTO murasil_search_headline (article_id, vector) "
                "SELECT article_id, ts_filter(vector, '{a}') FROM document "
                "ON CONFLICT (article_id) DO UPDATE SET vector = EXCLUDED.vector",
                [article_id, self.vector_literal(fields)],
            )

    # Both tables in one transaction, document first as upsert writes them (the same lock order, so
    # a publish and a delete of one article never deadlock; the headline's foreign key is checked at
    # commit, and the database does not cascade it: only Django's ORM does).
    def delete(self, article_id: int) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM murasil_search_searchdocument WHERE article_id = %s", [article_id])
            cursor.execute("DELETE FROM murasil_search_headline WHERE article_id = %s", [article_id])

    def clear(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM murasil_search_searchdocument")
            cursor.execute("DELETE FROM murasil_search_headline")

    def _term(self, term: QueryTerm, loose: bool = False) -> str:
        if term.phrase:
            # Loose: every word of the phrase anywhere, which the GIN index answers without reading the
            # vectors; the word order is then checked on the newest candidates only.
            joiner = " & " if loose else " <-> "
            return "(" + joiner.join(self._lexeme("=" + w) for w in term.words) + ")"
        forms = [self._lexeme(f) for f in sorted(term.forms)]
        if not loose:
            # The exact word only adds to the score: an article holding "=word" also holds "word",
            # one of the forms, so matching leaves it out (fewer posting lists for the GIN index).
            forms.append(self._lexeme("=" + term.words[0]))
        return "(" + " | ".join(forms) + ")"

    def query_literal(self, terms: list[QueryTerm], every: bool, loose: bool = False) -> str:
        return (" & " if every else " | ").join(self._term(t, loose) for t in terms)

    def search(
        self,
        terms: list[QueryTerm],
        every: bool,
        within_sql: str,
        within_params,
        order: str,
        limit: int,
        window: int = RANK_WINDOW,
    ):
        # As on SQLite, only the newest `window` matches are ranked. Finding the matches is a GIN
        # bitmap scan that never reads a vector (a phrase is looked up as its words, then its word
        # order is checked on the newest candidates only, until `window` of them pass); only
        # ts_rank reads the vectors, stored uncompressed (migration 0003) so that is cheap.
        # ts_rank weights are {D, C, B, A}: body, tags, standfirst, title — SQLite's bm25 order.
        query = self.query_literal(terms, every)
        loose = self.query_literal(terms, every, loose=True)
        phrase = any(t.phrase for t in terms)
        within = f"AND d.article_id IN ({within_sql})" if within_sql else ""
        # The bitmap scan reads no vector, only each match's id and its vector's TOAST pointer; OFFSET 0
        # keeps the planner from walking the primary key instead, reading vectors as it goes.
        matched = (
            "SELECT d.article_id, d.vector FROM murasil_search_searchdocument d "  # noqa: S608
            f"WHERE d.vector @@ %s::tsquery {within} OFFSET 0"
        )
        if phrase:  # candidates stream out newest first until `window` of them pass the word-order check
            newest = (
                f"SELECT * FROM (SELECT * FROM ({matched}) m ORDER BY m.article_id DESC OFFSET 0) m "  # noqa: S608
                f"WHERE m.vector @@ %s::tsquery LIMIT {int(window)}"
            )
        else:  # every candidate matches: a top-N sort
            newest = f"SELECT * FROM ({matched}) m ORDER BY m.article_id DESC LIMIT {int(window)}"  # noqa: S608
        params = [loose, *within_params, *([query] if phrase else [])]
        if order == "relevance":
            sql = (
                "SELECT w.article_id FROM (" + newest + ") w "  # noqa: S608
                "ORDER BY ts_rank('{0.1, 0.4, 0.5, 1.0}', w.vector, %s::tsquery) DESC, w.article_id DESC LIMIT %s"
            )
        else:
            sql = (
                "SELECT w.article_id FROM (" + newest + ") w JOIN news_article a ON a.id = w.article_id "  # noqa: S608
                "ORDER BY a.first_published_at DESC, a.id DESC LIMIT %s"
            )
        params += [query, limit] if order == "relevance" else [limit]
        with _index_steered() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def headlines(self, words: list[frozenset[str]], prefixes: frozenset[str], limit: int) -> list[int]:
        """As on SQLite, through the headline table (migration 0005) and its own small GIN index."""
        parts = ["(" + " | ".join(self._lexeme(f) for f in sorted(forms)) + ")" for forms in words]
        parts.append("(" + " | ".join(self._lexeme(p) + ":*" for p in sorted(prefixes)) + ")")
        with _index_steered() as cursor:
            cursor.execute(
                # OFFSET 0 keeps the planner on the GIN index rather than walking the primary key,
                # which reads every headline when few or none match.
                "SELECT m.article_id FROM (SELECT * FROM (SELECT article_id FROM murasil_search_headline "  # noqa: S608
                f"WHERE vector @@ %s::tsquery OFFSET 0) h ORDER BY article_id DESC LIMIT {SUGGEST_WINDOW}) m "
                "JOIN news_article a ON a.id = m.article_id ORDER BY a.first_published_at DESC, a.id DESC LIMIT %s",
                [" & ".join(parts), limit],
            )
            return [row[0] for row in cursor.fetchall()]


@contextmanager
def _index_steered():
    """A cursor for queries that must find matches through the GIN index. The vectors live out of
    line (TOAST), so the planner takes scanning the table for cheap and skips the index; reading
    every vector is what is expensive (1.8 s against 20 ms at 100k)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield cursor


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()


def count_matching(term: str) -> int:
    """How many indexed articles contain `term` in any form (a document frequency)."""
    if connection.vendor == "postgresql":
        with _index_steered() as cursor:
            cursor.execute(
                "SELECT count(*) FROM murasil_search_searchdocument WHERE vector @@ %s::tsquery",
                [PostgresBackend._lexeme(term)],
            )
            return cursor.fetchone()[0]
    a_cols = " ".join(f"{f}_a" for f in FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {SQLiteBackend.table} WHERE {SQLiteBackend.table} MATCH %s",  # noqa: S608
            ["{" + a_cols + "}: " + SQLiteBackend._quote(term)],
        )
        return cursor.fetchone()[0]


def count_documents() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM murasil_search_searchdocument")
        else:
            # FTS5's own count(*) reads every row's text (0.7 s at 100k); its docsize table has one
            # small row per document.
            cursor.execute(f"SELECT count(*) FROM {SQLiteBackend.table}_docsize")  # noqa: S608
        return cursor.fetchone()[0]
