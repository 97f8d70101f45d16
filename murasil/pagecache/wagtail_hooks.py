from wagtail import hooks

from murasil.core.models import HomePage
from murasil.news.models import SectionPage

from .recording import depends_on


@hooks.register("before_serve_page")
def record_listed_page(page, request, serve_args, serve_kwargs) -> None:
    """The home page and section archives list articles: a new article there purges them."""
    if isinstance(page, SectionPage):
        depends_on(request, f"section:{page.pk}")
    elif isinstance(page, HomePage):
        depends_on(request, "home")
