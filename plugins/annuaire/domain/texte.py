"""Text for people: sanitised Markdown, French dates, small formatting helpers.

Entries come from strangers' pull requests and from other directories: Markdown is rendered with one
reused Python-Markdown instance and the HTML then goes through nh3 (Ammonia), which keeps a short
allow-list of tags and only http(s), mailto and tel links. Raw HTML in an entry never reaches a page.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
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


# A link whose URL the sanitiser removed (javascript:…): an <a> without href is invalid HTML and
# not a link for anyone, so only its text is kept. nh3 escapes ">" inside attribute values.
_LIEN_SANS_ADRESSE = re.compile(r'<a(?![^>]*\shref=")(?:\s[^>]*)?>(.*?)</a>', re.DOTALL)


def nettoyer_html(html: str, balises: frozenset[str] = BALISES, rel: str = "nofollow noopener") -> str:
    """Keep only the allow-listed tags (`balises`), attributes and URL schemes; links get `rel`;
    a link left without an address keeps only its text."""
    propre = nh3.clean(
        html,
        tags=set(balises),
        attributes={k: set(v) for k, v in ATTRIBUTS.items()},
        url_schemes=set(SCHEMAS_URL),
        link_rel=rel,
        strip_comments=True,
    )
    return _LIEN_SANS_ADRESSE.sub(r"\1", propre)


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


# Letters NFKD does not split ("œ" is not "o" + a mark): written as French readers sort them.
_LIGATURES_TRI = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})
_SEPARATEURS_TRI = re.compile(r"[\W_]+")


def _sans_accents(texte: str) -> str:
    """Lower case, no accent, ligatures spelt out: "Œuvre d'Été" → "oeuvre d'ete"."""
    decompose = unicodedata.normalize("NFKD", texte.casefold())
    return "".join(c for c in decompose if not unicodedata.combining(c)).translate(_LIGATURES_TRI)


def cle_tri(texte: str) -> tuple[str, str, str]:
    """The sort key of a name in French order, for every list people read (places, communes,
    networks, services). Three levels, as the Unicode Collation Algorithm has: the letters without
    accent or case ("École" sorts with "ecole", before "Eglise"; "Œuvre" as "oeuvre"), then the
    accents, then the text itself (the order is total: two spellings never swap from one build to
    the next). Punctuation and spaces are one word break, sorted before digits and letters, as
    French directories do: "L'Atelier" is filed under L, before "La Poste" ("L" then "Atelier").
    Leading quotes and signs are skipped, as `initiale` does.

    Why not a collation library: pyuca (pure Python) costs about 150 µs a name, 4.6 s for
    30,000 places; this key costs a tenth of it. tests/test_tri.py checks, on real names, that it
    orders every pair as pyuca's first level does."""
    propre = unicodedata.normalize("NFC", texte.strip())
    debut = next((i for i, c in enumerate(propre) if c.isalnum()), 0)  # « Cyber » files as Cyber
    propre = propre[debut:]
    primaire = _SEPARATEURS_TRI.sub(" ", _sans_accents(propre)).strip()
    return primaire, unicodedata.normalize("NFD", propre.casefold()), propre


_LIGATURES = {"œ": "o", "æ": "a", "ß": "s"}


def initiale(texte: str) -> str:
    """The A–Z letter a name is filed under: its first letter without accent ("É" → "e",
    "Œ" → "o"), skipping quotes and punctuation; "0-9" when it starts with a digit or another
    alphabet."""
    premier = next((c for c in texte if c.isalnum()), "")
    base = unicodedata.normalize("NFKD", premier.casefold())[:1]
    base = _LIGATURES.get(base, base)
    return base if "a" <= base <= "z" else "0-9"
