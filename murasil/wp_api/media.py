"""/wp/v2/media: images a reader can already see, in WordPress's attachment shape.

Seen means: the featured photo of a published article, a photo in a published article's body or on a
live page (both found through Wagtail's reference index, which records the saved, live content), or
a reporter's photo (shown on the reporter's page). An image used only by drafts never appears.
`media_details.sizes` lists the renditions that already exist; none are made on a GET.
"""

import mimetypes
import posixpath

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, IntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.html import escape

from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from murasil.core.models import StandardPage
from murasil.news.models import Article, Reporter

from .content import absolute_media_url
from .params import Arg, paging
from .public_ids import Kind, PublicIds, to_object_ids
from .resource import CURIES, Resource, first_per_key, href, rendered, wp_dates

MEDIA_ORDERBY = ("author", "date", "id", "include", "modified", "parent", "relevance", "slug", "include_slugs", "title")


def _referenced_by(model, live_ids: QuerySet) -> QuerySet:
    image_type = ContentType.objects.get_for_model(get_image_model())
    return (
        ReferenceIndex.objects.filter(
            to_content_type=image_type,
            base_content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
            object_id__in=live_ids.annotate(key=Cast("pk", CharField())).values("key"),
        )
        .annotate(image_id=Cast("to_object_id", IntegerField()))
        .values("image_id")
    )


def seen_images() -> Q:
    published = Article.objects.published()
    live_pages = StandardPage.objects.live().public()
    return (
        Q(pk__in=published.filter(featured_image__isnull=False).values("featured_image_id"))
        | Q(pk__in=_referenced_by(Article, published))
        | Q(pk__in=_referenced_by(Page, live_pages))
        | Q(pk__in=Reporter.objects.filter(photo__isnull=False).values("photo_id"))
    )


class MediaResource(Resource):
    route = "wp/v2/media"
    kind = Kind.ATTACHMENT
    date_field = "created_at"
    orderings = {
        "date": ("created_at",),
        "modified": ("created_at",),
        "id": ("pk",),
        "title": ("title",),
        "slug": ("title",),
    }
    embed_fields = (
        "id",
        "date",
        "slug",
        "type",
        "link",
        "title",
        "author",
        "featured_media",
        "caption",
        "alt_text",
        "media_type",
        "mime_type",
        "media_details",
        "source_url",
        "_links",
    )
    args = {
        **paging(),
        "after": Arg("date"),
        "before": Arg("date"),
        "order": Arg("enum", "desc", choices=("asc", "desc")),
        "orderby": Arg("enum", "date", choices=MEDIA_ORDERBY),
        "parent": Arg("int_list", []),
        "media_type": Arg("enum", None, choices=("image", "video", "text", "application", "audio")),
        "mime_type": Arg("str", ""),
        "slug": Arg("str_list", []),
        "status": Arg("enum_list", ["inherit"], choices=("inherit", "private", "trash")),
    }

    def visible(self) -> QuerySet:
        return get_image_model().objects.filter(seen_images()).prefetch_renditions()

    def check(self, values: dict) -> None:
        from .posts import PostResource

        if any(status != "inherit" for status in values["status"]):
            PostResource().check({**values, "status": ["draft"]})

    def narrow(self, queryset: QuerySet, values: dict) -> QuerySet:
        queryset = super().narrow(queryset, values)
        if values["media_type"] not in (None, "image"):
            return queryset.none()
        if values["mime_type"]:
            extensions = mimetypes.guess_all_extensions(values["mime_type"])
            condition = Q(pk__in=[])
            for extension in extensions:
                condition |= Q(file__iendswith=extension)
            queryset = queryset.filter(condition)
        if values["search"]:
            queryset = queryset.filter(title__icontains=values["search"])
        if values["parent"]:
            articles = Article.objects.published().filter(pk__in=to_object_ids(Kind.POST, values["parent"]))
            queryset = queryset.filter(pk__in=articles.values("featured_image_id"))
        return queryset

    def modified(self, image):
        return image.created_at

    def serialize(self, images: list, ids: PublicIds, fields) -> list[dict]:
        pks = [image.pk for image in images]
        # The article an image illustrates, as WordPress's "post" (the attachment's parent), and its caption.
        featured_on = first_per_key(
            Article.objects.published()
            .filter(featured_image_id__in=pks)
            .order_by("featured_image_id", "-first_published_at")
            .values_list("featured_image_id", "pk")
        )
        captions = dict(
            Article.objects.filter(pk__in=featured_on.values()).values_list(
                "featured_image_id", "featured_image_caption"
            )
        )
        ids.want(Kind.ATTACHMENT, pks)
        ids.want(Kind.POST, featured_on.values())
        ids.resolve()
        return [self.item(image, ids, featured_on, captions) for image in images]

    def item(self, image, ids: PublicIds, featured_on: dict, captions: dict) -> dict:
        public_id = ids.get(Kind.ATTACHMENT, image.pk)
        date, date_gmt = wp_dates(image.created_at)
        source = absolute_media_url(image.file.url)
        name = posixpath.basename(image.file.name)
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        caption = captions.get(image.pk, "")
        alt = image.description or caption
        sizes = {
            rendition.filter_spec: {
                "file": posixpath.basename(rendition.file.name),
                "width": rendition.width,
                "height": rendition.height,
                "mime_type": mimetypes.guess_type(rendition.file.name)[0] or mime,
                "source_url": absolute_media_url(rendition.file.url),
            }
            for rendition in (
                image.prefetched_renditions if hasattr(image, "prefetched_renditions") else image.renditions.all()
            )
        }
        sizes["full"] = {
            "file": name,
            "width": image.width,
            "height": image.height,
            "mime_type": mime,
            "source_url": source,
        }
        parent = ids.get(Kind.POST, featured_on.get(image.pk)) or None
        links = {
            **self.collection_links(public_id),
            "about": href("wp/v2/types/attachment"),
            "curies": CURIES,
        }
        title = escape(image.title)
        return {
            "id": public_id,
            "date": date,
            "date_gmt": date_gmt,
            "guid": rendered(source),
            "modified": date,
            "modified_gmt": date_gmt,
            "slug": posixpath.splitext(name)[0],
            "status": "inherit",
            "type": "attachment",
            "link": source,
            "title": rendered(title),
            "author": 0,
            "featured_media": 0,
            "comment_status": "closed",
            "ping_status": "closed",
            "template": "",
            "meta": [],
            "class_list": [f"post-{public_id}", "attachment", "type-attachment", "status-inherit", "hentry"],
            "description": rendered(
                f'<p class="attachment"><a href="{source}"><img width="{image.width}" height="{image.height}" '
                f'src="{source}" alt="{escape(alt)}"></a></p>\n'
            ),
            "caption": rendered(f"<p>{escape(caption)}</p>\n" if caption else ""),
            "alt_text": alt,
            "media_type": "image",
            "mime_type": mime,
            "media_details": {
                "width": image.width,
                "height": image.height,
                "file": image.file.name.removeprefix("original_images/"),
                "filesize": image.file_size,
                "sizes": sizes,
                "image_meta": {},
            },
            "post": parent,
            "source_url": source,
            "_links": links,
        }
