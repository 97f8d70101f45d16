"""A newsroom with one of everything a backup must keep, and ways to compare two sites row by row."""

import datetime
import hashlib
import importlib
import io
import json
import subprocess
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Collection
from wagtail.rich_text import RichText

from murasil.comments.models import BlockedTerm, Comment, CommentSettings
from murasil.core.models import NewsroomSettings
from murasil.search.models import Synonym
from tests.factories import ensure_site, make_article, make_image, make_reporter, make_section, make_static_page
from tests.faults.server import MURASIL, ROOT


def build_site() -> list[str]:
    """Every kind of thing a newsroom keeps; returns the public paths to compare after a restore."""
    ensure_site()
    now = timezone.now()
    conf = NewsroomSettings.load()
    conf.outlet_name = "صحيفة الضفتين"
    conf.default_source = "الضفتين"
    conf.save()
    comments_conf = CommentSettings.load()
    comments_conf.per_ip_per_hour = 7
    comments_conf.notify_emails = "desk@example.org"
    comments_conf.save()

    world = make_section("العالم", "world")
    gulf = make_section("الخليج", "gulf", parent=world)
    photo = make_image("ميناء عند الفجر")
    photo.get_rendition("fill-480x270|format-webp")
    photo.get_rendition("width-960")
    rasha = make_reporter("رشا الكبيسي", "rasha", job_title="مراسلة", photo=make_image("رشا"))
    omar = make_reporter("عمر النعيمي", "omar")

    lead = make_article(
        gulf,
        "توسعة ميناء الدوحة تكتمل قبل موعدها",
        reporters=(rasha, omar),
        tags=("الموانئ", "التجارة"),
        published_at=now - datetime.timedelta(hours=3),
        featured_image=photo,
        featured_image_caption="الرصيف الجديد",
        standfirst="الميناء يستقبل ثلاث سفن إضافية يومياً.",
    )
    # A second revision of the lead: revisions must come back too, not only the live row.
    lead.title = "توسعة ميناء الدوحة تكتمل قبل موعدها بشهرين"
    lead.save_revision().publish()
    other = make_article(
        world,
        "أسعار الشحن البحري تتراجع للشهر الثالث",
        tags=("التجارة",),
        published_at=now - datetime.timedelta(days=1),
    )
    draft = make_article(world, "مسودة: حوار مع وزير النقل", publish=False, reporters=(omar,))
    scheduled = make_article(world, "تقرير مجدول عن موسم الصيد", publish=False)
    scheduled.go_live_at = now + datetime.timedelta(days=2)
    scheduled.body = [("paragraph", RichText("<p>ينشر بعد يومين.</p>"))]
    scheduled.save_revision(approved_go_live_at=scheduled.go_live_at)
    make_static_page("من نحن", "about", "<p>صحيفة مستقلة.</p>")

    Comment.objects.create(
        article=lead,
        name="قارئ",
        email="reader@example.org",
        text="متى تبدأ المرحلة الثانية؟",
        ip_address="203.0.113.7",
    )
    approved = Comment.objects.create(
        article=lead, name="سلمى", email="salma@example.org", text="خبر مفرح.", status=Comment.Status.APPROVED
    )
    Comment.objects.create(
        article=lead, name="رد", email="r@example.org", text="أوافقك.", parent=approved, status=Comment.Status.APPROVED
    )
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.WORD, value="كازينو")
    Synonym.objects.create(terms="الدوحة, Doha")

    document = get_document_model()(title="التقرير السنوي", collection=Collection.get_first_root_node())
    document.file.save("annual-report.pdf", ContentFile(b"%PDF-1.4\n% report\n" + bytes(range(256))), save=False)
    document.save()

    editor = get_user_model().objects.create_user("hala", "hala@example.org", "كلمة-سر-المحررة")
    # Transactional tests empty the tables the roles migration filled: make its groups again.
    importlib.import_module("murasil.roles.migrations.0001_newsroom_groups").create_groups(apps, None)
    editor.groups.add(Group.objects.get(name="محرر"))
    Group.objects.create(name="مكتب الخليج")
    return [
        "/",
        lead.get_absolute_url(),
        other.get_absolute_url(),
        gulf.get_url(),
        "/author/rasha/",
        f"/tag/{lead.tags.first().slug}/",
        "/feed/",
        "/search/?q=الميناء",
        draft.get_absolute_url(),  # a 404 on both sides: drafts stay unpublished
        f"/comments/mine/{lead.pk}/",
    ]


def murasil(args: list[str], env: dict, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([*MURASIL, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"murasil {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def rows(dump: list[dict]) -> dict:
    """dumpdata output as {model: {pk: fields}}."""
    by_model: dict = {}
    for item in dump:
        by_model.setdefault(item["model"], {})[json.dumps(item.get("pk"))] = item["fields"]
    return by_model


def dump_here() -> dict:
    out = io.StringIO()
    call_command("dumpdata", all=True, stdout=out)
    return rows(json.loads(out.getvalue()))


def dump_there(env: dict) -> dict:
    return rows(json.loads(murasil(["dumpdata", "--all"], env).stdout))


def media_digest(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


PROBE = """
import hashlib, json, sys
from django.test import Client
client = Client()
pages = {}
for path in json.loads(sys.argv[-1]):
    response = client.get(path)
    pages[path] = [response.status_code, response.content.decode()]
print(json.dumps(pages))
"""


def pages_here(paths: list[str]) -> dict:
    client = Client()
    return {path: [(r := client.get(path)).status_code, r.content.decode()] for path in paths}


def pages_there(env: dict, paths: list[str], media: Path) -> dict:
    """The same pages from the restored site, rendered with the same (test) settings as here."""
    env = {**env, "DJANGO_SETTINGS_MODULE": "murasil.settings.test", "PROBE_MEDIA_ROOT": str(media)}
    result = subprocess.run(
        [str(Path(MURASIL[0])), "-c", _probe_script(), json.dumps(paths)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise AssertionError(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _probe_script() -> str:
    # The test settings put media in a new temporary folder: point them at the restored one instead.
    return (
        "import os, django\nfrom django.conf import settings\n"
        "settings.MEDIA_ROOT = os.environ['PROBE_MEDIA_ROOT']\ndjango.setup()\n" + PROBE
    )
