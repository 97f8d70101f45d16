"""The API's one entry point: route a request the way WordPress's REST server does.

/wp-json/                      the index (discovery)
/wp-json/wp/v2                 the namespace index
/wp-json/wp/v2/<kind>          a collection (posts, pages, categories, tags, users, comments, media)
/wp-json/wp/v2/<kind>/<id>     one object
/?rest_route=/wp/v2/…          the same, for clients on sites without pretty permalinks
Anything else, and any method but GET/HEAD, is WordPress's 404 rest_no_route: the API only reads.
"""

import re

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from . import discovery
from .embedding import embed_view
from .http import WPError, add_paging_headers, error_response, finish, json_response, newest, no_route
from .media import MediaResource
from .pages import PageResource
from .params import CONTEXT, check_context, parse
from .people import CommentResource, UserResource
from .posts import PostResource
from .public_ids import PublicIds
from .resource import Resource
from .terms import CategoryResource, TagResource

RESOURCES: dict[str, type[Resource]] = {
    "posts": PostResource,
    "pages": PageResource,
    "media": MediaResource,
    "categories": CategoryResource,
    "tags": TagResource,
    "users": UserResource,
    "comments": CommentResource,
}
ROUTE = re.compile(r"wp/v2/(?P<name>[a-z]+)(?:/(?P<id>\d+|me))?")


@csrf_exempt
def api(request: HttpRequest, route: str = "") -> HttpResponse:
    try:
        if request.method not in ("GET", "HEAD"):
            raise no_route()
        return _route(request, route.strip("/"))
    except WPError as error:
        return error_response(error)


def rest_route_or_home(request: HttpRequest) -> HttpResponse:
    """The home page at "/", or the API when asked as /?rest_route=/wp/v2/… (WordPress's plain form)."""
    if "rest_route" in request.GET:
        return api(request, request.GET["rest_route"])
    from wagtail.views import serve

    return serve(request, "")


def _route(request: HttpRequest, route: str) -> HttpResponse:
    if route == "":
        return finish(request, json_response(discovery.index(RESOURCES)), None, False)
    if route == "wp/v2":
        return finish(request, json_response(discovery.namespace(RESOURCES)), None, False)
    match = ROUTE.fullmatch(route)
    if not match or match["name"] not in RESOURCES:
        raise no_route()
    resource = RESOURCES[match["name"]]()
    if match["id"] == "me":
        if match["name"] != "users":
            raise no_route()
        raise WPError("rest_not_logged_in", "You are not currently logged in.", 401)
    if match["id"]:
        return _item(request, resource, int(match["id"]))
    return _collection(request, resource, match["name"])


def _fields(request: HttpRequest) -> list[str] | None:
    raw = request.GET.get("_fields")
    if raw is None:
        return None
    return [part.strip() for part in raw.split(",") if part.strip()]


def _filter(item: dict, fields: list[str] | None) -> dict:
    """WordPress's _fields: keep the named fields; "title.rendered" keeps part of a nested object."""
    if fields is None:
        return item
    kept: dict = {}
    for path in fields:
        source, target, parts = item, kept, path.split(".")
        for depth, part in enumerate(parts):
            if not isinstance(source, dict) or part not in source:
                break
            if depth == len(parts) - 1:
                target[part] = source[part]
            else:
                source = source[part]
                target = target.setdefault(part, {})
    return {key: kept[key] for key in item if key in kept}


def _embed_rels(request: HttpRequest, fields: list[str] | None) -> set[str] | None | bool:
    """False: no embedding; None: every embeddable link; else the link relations named."""
    if "_embed" not in request.GET:
        return False
    if fields is not None and not {"_links", "_embedded"} & {f.split(".")[0] for f in fields}:
        return False
    raw = request.GET.get("_embed", "")
    rels = {part.strip() for part in raw.split(",") if part.strip()}
    return None if not rels or rels <= {"1", "true"} else rels


def _render(request: HttpRequest, resource: Resource, objects: list, context: str) -> list[dict]:
    fields = _fields(request)
    top = {f.split(".")[0] for f in fields} if fields is not None else None
    items = resource.serialize(objects, PublicIds(), top)
    if context == "embed":
        items = embed_view(resource, items)
    rels = _embed_rels(request, fields)
    if rels is not False:
        resource.embed(items, objects, rels)
    return [_filter(item, fields) for item in items]


def _collection(request: HttpRequest, resource: Resource, name: str) -> HttpResponse:
    values = parse(request.GET, resource.args)
    check_context(values, resource.edit_message)
    resource.check(values)
    total, objects = resource.page(values)
    response = json_response(_render(request, resource, objects, values["context"]))
    add_paging_headers(response, request, resource.route, total, values["per_page"])
    return finish(request, response, newest(resource.modified(obj) for obj in objects), False)


def _item(request: HttpRequest, resource: Resource, public_id: int) -> HttpResponse:
    values = parse(request.GET, {"context": CONTEXT})
    obj = resource.find(public_id) if public_id > 0 else None
    if obj is None:
        raise WPError(*resource.invalid_id)
    check_context(values, resource.edit_message)
    item = _render(request, resource, [obj], values["context"])[0]
    response = json_response(item)
    link = item.get("link") if resource.kind in ("post", "page") else None
    if link:
        response["Link"] += f', <{link}>; rel="alternate"; type=text/html'
    return finish(request, response, resource.modified(obj), True)
