from wagtail import hooks

from .dashboard import NewsroomQueuesPanel, ReadershipPanel


@hooks.register("construct_homepage_panels")
def add_newsroom_panels(request, panels) -> None:
    panels[:0] = [ReadershipPanel(), NewsroomQueuesPanel()]
