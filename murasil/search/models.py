"""Murasil's own article search index (see backends.py for how each database stores it)."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel


class SearchDocument(models.Model):
    """One row per published article. PostgreSQL keeps its weighted tsvector here; SQLite keeps the
    same analyzed tokens in the FTS5 table `search_articlefts` (created by migration 0002)."""

    article = models.OneToOneField("news.Article", on_delete=models.CASCADE, primary_key=True, related_name="+")
    vector = SearchVectorField(null=True)
    # PostgreSQL only: its GIN index comes from migration 0002, its uncompressed storage from 0003.

    def __str__(self) -> str:
        return f"search document {self.article_id}"


class SearchHeadline(models.Model):
    """PostgreSQL only: the title's lexemes of each search document, for search as you type, with a
    GIN index of their own (migration 0005). Apart from the documents so that a search's visit of
    its matches' rows reads small rows; backends.PostgresBackend writes both together."""

    document = models.OneToOneField(
        SearchDocument, on_delete=models.CASCADE, primary_key=True, db_column="article_id", related_name="+"
    )
    vector = SearchVectorField()

    class Meta:
        db_table = "murasil_search_headline"

    def __str__(self) -> str:
        return f"search headline {self.document_id}"


class Synonym(models.Model):
    """Words a reader may type for one another: أوبك ↔ OPEC, سوريا ↔ سورية."""

    terms = models.CharField(
        _("words"),
        max_length=300,
        help_text=_("Two or more single words or names that mean the same, separated by commas: أوبك, OPEC"),
    )

    panels = [FieldPanel("terms")]

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self) -> str:
        return self.terms
