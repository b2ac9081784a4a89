"""Checks and normal forms of single values: phone numbers, e-mails, URLs, slugs.

Each function is pure and says, in French, what is wrong. Used by validation (to report), by the
exports (to write the standard's form) and by the templates (to build tel:/mailto: links only from
values that passed).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import phonenumbers

from annuaire.domain.champs import MOTIFS

_COURRIEL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)  # noqa: E501


# Overseas France dials its own country codes: a local number "0262 …" of a place in La Réunion is
# +262 262 …, not +33 262 …. The region comes from the place's postcode (longest prefix first).
REGIONS_TELEPHONE = (
    ("97133", "BL"),  # Saint-Barthélemy
    ("97150", "MF"),  # Saint-Martin
    ("971", "GP"),
    ("972", "MQ"),
    ("973", "GF"),
    ("974", "RE"),
    ("975", "PM"),
    ("976", "YT"),
    ("986", "WF"),
    ("987", "PF"),
    ("988", "NC"),
)


def region_telephone(code_postal: str) -> str:
    """The phone region of a postcode: "FR" for metropolitan France, its own for overseas."""
    code = str(code_postal or "").strip()
    return next((region for prefixe, region in REGIONS_TELEPHONE if code.startswith(prefixe)), "FR")


# Messages, kept once: the /proposer/ form's script shows the same words (domain/regles_formulaire.py).
TELEPHONE_ILLISIBLE = "« {} » n'est pas un numéro de téléphone"
TELEPHONE_INCOMPLET = "« {} » n'est pas un numéro complet"
TELEPHONE_NON_ATTRIBUE = "« {} » n'est pas un numéro attribué"
TELEPHONE_ETRANGER = "« {} » : le standard n'accepte que les numéros français (+33, DOM, COM)"
COURRIEL_INVALIDE = "« {} » n'est pas une adresse e-mail valide"
COURRIEL_MAX = 254
COURRIEL_DEBUTS_INTERDITS = "=+-@"


def telephone_normalise(texte: str, code_postal: str = "") -> tuple[str | None, str]:
    """Return (the standard's form "+33477...", "") or (None, French reason).

    Accepts common French input such as "04 77 12 34 56" or "+33 (0)4 77 12 34 56"; a local number
    is read in the region of `code_postal` (overseas numbers get their own country code).
    """
    brut = texte.strip()
    if not brut:
        return None, "numéro vide"
    try:
        numero = phonenumbers.parse(brut, region_telephone(code_postal))
    except phonenumbers.NumberParseException:
        return None, TELEPHONE_ILLISIBLE.format(brut)
    if not phonenumbers.is_possible_number(numero):
        return None, TELEPHONE_INCOMPLET.format(brut)
    if not phonenumbers.is_valid_number(numero):
        return None, TELEPHONE_NON_ATTRIBUE.format(brut)
    forme = phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.E164)
    if not MOTIFS["telephone"].match(forme):
        return None, TELEPHONE_ETRANGER.format(brut)
    return forme, ""


def telephone_affiche(forme_standard: str) -> str:
    """Format "+33477933226" as "04 77 93 32 26" for people to read."""
    try:
        numero = phonenumbers.parse(forme_standard, "FR")
    except phonenumbers.NumberParseException:
        return forme_standard
    return phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.NATIONAL)


def courriel_valide(texte: str) -> bool:
    """True for a plain address "name@domain.tld" (no display name, no spaces, and no local part
    starting like a spreadsheet formula: "=cmd|…@x.fr" is legal for RFC 5322, never a real box)."""
    return (
        len(texte) <= COURRIEL_MAX
        and texte[:1] not in COURRIEL_DEBUTS_INTERDITS
        and bool(_COURRIEL.match(texte))
    )


URL_MAX = 2000
URL_TROP_LONGUE = f"adresse web trop longue ({URL_MAX} caractères au plus)"
URL_CARACTERE = "caractère {} interdit dans une adresse web (espace, caractère invisible ou de contrôle)"
URL_ILLISIBLE = "adresse web illisible"
URL_PAS_HTTP = "n'est pas une adresse web http:// ou https://"
URL_ALPHABETS = "le nom du site mélange plusieurs alphabets (lettres qui imitent d'autres lettres)"
URL_INTERDITS = '<>"`\\'


def _alphabets(mot: str) -> set[str]:
    """The scripts of a word's letters, from their Unicode names ("LATIN", "CYRILLIC", "GREEK"…)."""
    return {unicodedata.name(c, "?").split()[0] for c in mot if c.isalpha()}


def _caractere_interdit_url(texte: str) -> str:
    """The first character a URL field must not hold (space, control, invisible or direction
    character, or one a URL must percent-encode), as text for a message; "" when there is none."""
    for caractere in texte:
        if (
            caractere.isspace()
            or unicodedata.category(caractere) in ("Cc", "Cf")
            or caractere in URL_INTERDITS
        ):
            return f"U+{ord(caractere):04X}" if not caractere.isprintable() else f"« {caractere} »"
    return ""


def url_erreur(texte: str) -> str:
    """Why `texte` is not a safe absolute http(s) URL, in French; "" when it is one. The one check
    for every URL field of every content type (places, networks, sources)."""
    if len(texte) > URL_MAX:
        return URL_TROP_LONGUE
    if interdit := _caractere_interdit_url(texte):
        return URL_CARACTERE.format(interdit)
    try:
        parties = urlsplit(texte)
        hote = parties.hostname or ""
    except ValueError:
        return URL_ILLISIBLE
    if parties.scheme not in ("http", "https") or not hote or "." not in parties.netloc:
        return URL_PAS_HTTP
    if any(len(_alphabets(etiquette)) > 1 for etiquette in hote.split(".")):
        return URL_ALPHABETS
    return ""


def url_valide(texte: str) -> bool:
    """True for a safe absolute http(s) URL (see `url_erreur`)."""
    return not url_erreur(texte)


_BALISE = re.compile(r"<\s*[a-zA-Z!/?]|javascript\s*:", re.IGNORECASE)
_DIRECTION = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")  # bidi overrides


def contient_balise(texte: str) -> bool:
    """True for plain text holding something that looks like an HTML tag or a javascript: URL."""
    return bool(_BALISE.search(texte))


def caractere_invisible(texte: str) -> str:
    """ "U+0000" for the first control or text-direction character of `texte` (tab and line breaks
    allowed), "" when there is none: such characters hide or reorder what people read."""
    for caractere in texte:
        if caractere in "\t\n\r":
            continue
        if unicodedata.category(caractere) == "Cc" or caractere in _DIRECTION:
            return f"U+{ord(caractere):04X}"
    return ""


def json_sur(texte_json: str) -> str:
    """Escape <, > and & in JSON text (as \\u003c…) so that it stays inert if pasted into HTML."""
    # Three replace() calls: str.translate with a mapping is about 20 times slower on the
    # megabytes of a national directory's JSON.
    return texte_json.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def slugifier(texte: str) -> str:
    """ASCII slug for URLs and file names: "Espace Alfred Sisley" -> "espace-alfred-sisley"."""
    decompose = unicodedata.normalize("NFKD", texte)
    ascii_ = decompose.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:80].strip("-")


def ressemble_formule(texte: str) -> bool:
    """True for free text a spreadsheet would run as a formula (=, @, or +/- not before a digit)."""
    if not texte:
        return False
    premier = texte[0]
    if premier in "=@\t\r":
        return True
    return premier in "+-" and not (len(texte) > 1 and texte[1].isdigit())
