"""The /wp-json/ index and the /wp-json/wp/v2 namespace index: what a client reads to find its way."""

from django.conf import settings
from django.utils import timezone

from murasil.core.models import NewsroomSettings

from .http import route_url
from .params import CONTEXT, Arg

_TYPES = {"int": "integer", "str": "string", "bool": "boolean", "enum": "string", "date": "string"}


def arg_schema(arg: Arg) -> dict:
    if arg.kind.endswith("_list"):
        item_type = {"int_list": "integer"}.get(arg.kind, "string")
        items: dict = {"type": item_type}
        if arg.choices:
            items["enum"] = list(arg.choices)
        schema: dict = {"type": "array", "items": items}
    else:
        schema = {"type": _TYPES[arg.kind]}
        if arg.choices:
            schema["enum"] = list(arg.choices)
        if arg.kind == "date":
            schema["format"] = "date-time"
    if arg.default is not None:
        schema["default"] = arg.default
    if arg.minimum is not None:
        schema["minimum"] = arg.minimum
    if arg.maximum is not None:
        schema["maximum"] = arg.maximum
    return {**schema, "required": False}


def routes(resources: dict) -> dict:
    found = {
        "/wp/v2": {
            "namespace": "wp/v2",
            "methods": ["GET"],
            "endpoints": [{"methods": ["GET"], "args": {"namespace": {"default": "wp/v2", "required": False}}}],
            "_links": {"self": [{"href": route_url("wp/v2")}]},
        }
    }
    for name, resource_class in resources.items():
        resource = resource_class()
        route = f"/wp/v2/{name}"
        found[route] = {
            "namespace": "wp/v2",
            "methods": ["GET"],
            "endpoints": [{"methods": ["GET"], "args": {key: arg_schema(arg) for key, arg in resource.args.items()}}],
            "_links": {"self": [{"href": route_url(route)}]},
        }
        item_args = {"id": {"description": "Unique identifier for the object.", "type": "integer", "required": False}}
        found[route + "/(?P<id>[\\d]+)"] = {
            "namespace": "wp/v2",
            "methods": ["GET"],
            "endpoints": [{"methods": ["GET"], "args": {**item_args, "context": arg_schema(CONTEXT)}}],
        }
    return found


def index(resources: dict) -> dict:
    conf = NewsroomSettings.load()
    offset = timezone.localtime().utcoffset()
    hours = offset.total_seconds() / 3600 if offset else 0
    return {
        "name": conf.outlet_name,
        "description": conf.tagline,
        "url": settings.MURASIL_SITE_URL,
        "home": settings.MURASIL_SITE_URL,
        "gmt_offset": int(hours) if hours == int(hours) else hours,
        "timezone_string": settings.TIME_ZONE,
        "page_for_posts": 0,
        "page_on_front": 0,
        "show_on_front": "posts",
        "namespaces": ["wp/v2"],
        "authentication": [],
        "routes": {
            "/": {
                "namespace": "",
                "methods": ["GET"],
                "endpoints": [{"methods": ["GET"], "args": {}}],
                "_links": {"self": [{"href": route_url("")}]},
            },
            **routes(resources),
        },
        "site_logo": 0,
        "site_icon": 0,
        "site_icon_url": "",
        "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
    }


def namespace(resources: dict) -> dict:
    return {"namespace": "wp/v2", "routes": routes(resources), "_links": {"up": [{"href": route_url("")}]}}
