"""Text for people: sanitised Markdown, French dates, small formatting helpers.

Entries come from strangers' pull requests and from other directories: Markdown is rendered with one
reused Python-Markdown instance and the HTML then goes through nh3 (Ammonia), which keeps a short
allow-list of tags and only http(s), mailto and tel links. Raw HTML in an entry never reaches a page.
"""

from __future__ import annotations

import datetime as dt
from html import unescape

import markdown
import nh3

BALISES = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "b",
        "i",
        "ul",
        "ol",
        "li",
        "a",
        "blockquote",
        "code",
        "pre",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "abbr",
    }
)
ATTRIBUTS = {"a": {"href", "title"}, "abbr": {"title"}}
# Pages of content/pages/ (about, legal notice…) come from pull requests too: the same sanitiser,
# with their second-level headings and tables.
BALISES_PAGES = BALISES | {"h2", "table", "thead", "tbody", "tr", "th", "td", "caption"}
SCHEMAS_URL = frozenset({"http", "https", "mailto", "tel"})

MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


class RenduMarkdown:
    """Markdown to safe HTML. Create one per build and reuse it (a Markdown instance is costly)."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["sane_lists"], output_format="html")

    def html(self, source: str) -> str:
        """Render `source` and sanitise the result; headings are shifted below the page's h2."""
        if not source.strip():
            return ""
        brut = self._md.reset().convert(source)
        brut = brut.replace("<h1", "<h3").replace("</h1>", "</h3>")
        brut = brut.replace("<h2", "<h4").replace("</h2>", "</h4>")
        return nettoyer_html(brut)


def nettoyer_html(html: str, balises: frozenset[str] = BALISES, rel: str = "nofollow noopener") -> str:
    """Keep only the allow-listed tags (`balises`), attributes and URL schemes; links get `rel`."""
    return nh3.clean(
        html,
        tags=set(balises),
        attributes={k: set(v) for k, v in ATTRIBUTS.items()},
        url_schemes=set(SCHEMAS_URL),
        link_rel=rel,
        strip_comments=True,
    )


def texte_brut(html: str) -> str:
    """Plain text from an HTML fragment: tags dropped (script and style with their content),
    entities decoded, white space folded. Sources sometimes put HTML in plain-text fields."""
    sans_balises = nh3.clean(
        html.replace("<br", " <br").replace("<li", " <li"), tags=set(), clean_content_tags={"script", "style"}
    )
    texte = " ".join(unescape(sans_balises).split())
    # Decoding may reveal "<" again ("&lt;script&gt;"): what still looks like a tag is dropped.
    return nh3.clean(texte, tags=set()).replace("&lt;", "‹").replace("&gt;", "›").replace("&amp;", "&")


def date_fr(jour: dt.date | None) -> str:
    """ "25 avril 2022" (or "" for no date)."""
    if jour is None:
        return ""
    premier = "1er" if jour.day == 1 else str(jour.day)
    return f"{premier} {MOIS[jour.month - 1]} {jour.year}"


def pluriel(nombre: int, singulier: str, pluriel_: str = "") -> str:
    """ "1 lieu", "3 lieux" (French plural; `pluriel_` defaults to singulier + "s")."""
    mot = singulier if nombre <= 1 else (pluriel_ or singulier + "s")
    return f"{nombre} {mot}"


CITATION_MAX = 60  # characters of a value quoted in a message


def citer(texte: object) -> str:
    """A value as quoted in a message: at most CITATION_MAX characters (entries are hostile: a
    quoted value must never carry megabytes into a terminal or a pull-request annotation)."""
    texte = str(texte)
    return texte if len(texte) <= CITATION_MAX else texte[: CITATION_MAX - 1] + "…"
