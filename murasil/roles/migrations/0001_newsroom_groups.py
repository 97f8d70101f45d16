"""The newsroom's groups and their permissions. Safe to run again; reversing removes the three groups.

- مراسل (reporter): open the admin, add articles and edit their own (news/permissions.py), upload and
  choose photos and documents, pick reporters for the byline. No publish, no delete, nobody else's work.
- محرر (editor): edit, publish, lock and unlock every article; moderate and answer comments; tags.
- رئيس التحرير (editor-in-chief): everything editorial: articles (including delete), sections and static
  pages (page permissions on the home page's subtree), reporters, newsroom and comment settings,
  comments and the blocklist, tags, search synonyms, all photos and documents.

Permissions that Django or Wagtail would create only after all migrations (post_migrate), such as
``publish_article``, are created here with the same codename and name, so they are found, not doubled.
"""

from django.db import migrations

REPORTER = "مراسل"
EDITOR = "محرر"
EDITOR_IN_CHIEF = "رئيس التحرير"

ACCESS_ADMIN = [("wagtailadmin", "admin", "access_admin")]


def model(app_label: str, model_name: str, *actions: str) -> list[tuple[str, str, str]]:
    return [(app_label, model_name, f"{action}_{model_name}") for action in actions]


ARTICLE_ALL = ("add", "change", "delete", "view", "publish", "lock", "unlock")

MODEL_PERMISSIONS = {
    REPORTER: [
        *ACCESS_ADMIN,
        *model("news", "article", "add"),
        *model("news", "reporter", "view"),
    ],
    EDITOR: [
        *ACCESS_ADMIN,
        *model("news", "article", "add", "change", "view", "publish", "lock", "unlock"),
        *model("news", "reporter", "view"),
        *model("comments", "comment", "add", "change", "view"),
        *model("taggit", "tag", "add", "change", "delete", "view"),
    ],
    EDITOR_IN_CHIEF: [
        *ACCESS_ADMIN,
        *model("news", "article", *ARTICLE_ALL),
        *model("news", "reporter", "add", "change", "delete", "view"),
        *model("comments", "comment", "add", "change", "delete", "view"),
        *model("comments", "blockedterm", "add", "change", "delete", "view"),
        *model("comments", "commentsettings", "change"),
        *model("core", "newsroomsettings", "change"),
        *model("taggit", "tag", "add", "change", "delete", "view"),
        *model("murasil_search", "synonym", "add", "change", "delete", "view"),
    ],
}

# Granted on the root collection (and so on every collection).
UPLOAD = [*model("wagtailimages", "image", "add", "choose"), *model("wagtaildocs", "document", "add", "choose")]
COLLECTION_PERMISSIONS = {
    REPORTER: UPLOAD,
    EDITOR: UPLOAD,
    EDITOR_IN_CHIEF: [
        *model("wagtailimages", "image", "add", "choose", "change", "delete"),
        *model("wagtaildocs", "document", "add", "choose", "change", "delete"),
    ],
}

# Granted on the home page: the sections and static pages beneath it.
PAGE_PERMISSIONS = {
    EDITOR_IN_CHIEF: model("wagtailcore", "page", "add", "change", "publish", "bulk_delete", "lock", "unlock"),
}

SPECIAL_NAMES = {"access_admin": "Can access Wagtail admin", "bulk_delete_page": "Delete pages with children"}


def get_permission(apps, app_label: str, model_name: str, codename: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
    permission = Permission.objects.filter(content_type=content_type, codename=codename).first()
    if permission is None:
        try:
            verbose_name = apps.get_model(app_label, model_name)._meta.verbose_name_raw
        except LookupError:
            verbose_name = model_name
        action = codename.removesuffix(f"_{model_name}")
        name = SPECIAL_NAMES.get(codename, f"Can {action} {verbose_name}")
        permission = Permission.objects.create(content_type=content_type, codename=codename, name=name)
    return permission


def create_groups(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page = apps.get_model("wagtailcore", "Page")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    home = Page.objects.filter(depth=2).order_by("path").first()
    for name, grants in MODEL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*(get_permission(apps, *grant) for grant in grants))
        if root_collection is not None:
            for grant in COLLECTION_PERMISSIONS.get(name, []):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=get_permission(apps, *grant)
                )
        if home is not None:
            for grant in PAGE_PERMISSIONS.get(name, []):
                GroupPagePermission.objects.get_or_create(
                    group=group, page=home, permission=get_permission(apps, *grant)
                )


def remove_groups(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=list(MODEL_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0005_article_owner"),
        ("comments", "0001_initial"),
        ("core", "0005_newsroom_sharing_and_feeds"),
        ("murasil_search", "0003_vector_storage_external"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
