"""Following a keyset pager's links (core/keyset.py) the way a user clicks them."""

import html
import re


def pager_link(base_url: str, content: str, rel: str) -> str | None:
    """The page's Next (rel="next") or Previous (rel="prev") link, or None."""
    found = re.search(rf'rel="{rel}" href="([^"]*)"', content)
    return base_url + html.unescape(found[1]) if found else None


def walk(client, base_url: str, url: str, rel: str) -> tuple[list[int], list[str]]:
    """The ids of every page's rows in list order, following `rel` links from `url`,
    and the URLs visited."""
    seen, urls = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page = [row.pk for row in response.context["page_obj"]]
        seen = seen + page if rel == "next" else page + seen
        urls.append(url)
        url = pager_link(base_url, response.content.decode(), rel)
    return seen, urls
