"""Full-page cache for anonymous readers with exact purge (see docs/architecture.md, "The page cache").

Public names: `depends_on(request, *tags)` for a view that shows something the cache cannot see
(recording.py), `reader_page` to mark a view outside dependencies.READER_VIEWS as cacheable, and
`purge.changed(tags, urls)` with the `purge.*_change()` functions for code that changes content
without the signals (bulk imports).
"""
