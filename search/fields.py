"""The facets people narrow a search by, declared once: the query language
(``person:"to lam"``), the API's parameters, the facet counts and the search
box all take their names (and the box its titles) from here."""

from __future__ import annotations

__all__ = ["FACETS", "FACET_TITLES"]

# name -> (English title, Vietnamese title); in the order the box shows them
FACET_TITLES = {
    "person": ("People", "Nhân vật"),
    "topic": ("Topics", "Chủ đề"),
    "year": ("Year", "Năm"),
    "month": ("Month", "Tháng"),
    "lang": ("Language", "Ngôn ngữ"),
    "source": ("Source", "Nguồn"),
}
FACETS = tuple(FACET_TITLES)
