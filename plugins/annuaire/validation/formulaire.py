"""The checks of `make validate` as data for the /proposer/ form's script (proposer-regles.js).

The browser cannot run Python, so the build writes here, once, what the script needs to refuse what
the validator refuses with the validator's own words: the messages (the constants of formats.py and
of regles.py), the patterns (the registry's, the e-mail pattern), the phone metadata of the
same phonenumbers release the validator uses (France and overseas regions only: the standard takes
no other number), and the hours' rewriting table of `suggerer`. The script ports the logic around
them, and tests/test_proposer_proprietes.py runs both on the same generated values, so the two
cannot drift without a failing test.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

from annuaire.domain import formats
from annuaire.domain.champs import CHAMPS_COURRIEL, CHAMPS_TEXTE_LIBRE, CHAMPS_URL, MOTIFS, REGISTRE
from annuaire.domain.horaires import JOURS_OSM, ambigus
from annuaire.domain.horaires import verification as horaires_verification
from annuaire.domain.model import MESSAGE_MAX
from annuaire.domain.texte import CITATION_MAX
from annuaire.validation import regles

# Number types phonenumbers tries, in its order (a number is valid when one of them matches).
_TYPES = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
    "mobile",
)
# The country codes the standard's pattern accepts (+33, +262…), each with its regions in
# phonenumbers' order (the first is the one it parses with).
INDICATIFS = {
    int(cc): COUNTRY_CODE_TO_REGION_CODE[int(cc)]
    for cc in re.findall(r"\\\+(\d+)", MOTIFS["telephone"].pattern)
}


def _description(desc) -> dict[str, object] | None:
    """A number description of phonenumbers' metadata: its pattern and possible lengths."""
    if desc is None or not desc.national_number_pattern:
        return None
    return {
        "motif": desc.national_number_pattern,
        "longueurs": list(desc.possible_length or ()),
        "locales": list(desc.possible_length_local_only or ()),
    }


def _region(code: str) -> dict[str, object]:
    """What parsing and checking a number of one region reads from phonenumbers' metadata."""
    meta = PhoneMetadata.metadata_for_region(code)
    types = [d for d in (_description(getattr(meta, t)) for t in _TYPES) if d]
    return {
        "indicatif": meta.country_code,
        "prefixe_national": meta.national_prefix_for_parsing or meta.national_prefix or "",
        "prefixe_international": meta.international_prefix or "",
        "general": _description(meta.general_desc),
        "types": types,
    }


def _telephone() -> dict[str, object]:
    """Phones: regions, postcode prefixes of overseas regions, the standard's pattern, messages."""
    return {
        "regions": {code: _region(code) for regions in INDICATIFS.values() for code in regions},
        "indicatifs": {str(cc): list(regions) for cc, regions in INDICATIFS.items()},
        "indicatifs_monde": sorted(COUNTRY_CODE_TO_REGION_CODE),
        "postaux": [list(paire) for paire in formats.REGIONS_TELEPHONE],
        "motif_standard": MOTIFS["telephone"].pattern,
        "messages": {
            "illisible": formats.TELEPHONE_ILLISIBLE,
            "incomplet": formats.TELEPHONE_INCOMPLET,
            "non_attribue": formats.TELEPHONE_NON_ATTRIBUE,
            "etranger": formats.TELEPHONE_ETRANGER,
        },
    }


ALPHABETS_FIN = 0x30000  # letters above (rare ideographs) count as an alphabet of their own


@cache
def _alphabets() -> dict[str, object]:
    """For url_erreur's mixed-alphabet test: the first word of each letter's Unicode name
    ("LATIN", "CYRILLIC"…) as runs of code points (-1: not a letter), as Python's unicodedata
    has them (about 1,400 runs, 12 kB)."""
    debuts: list[int] = []
    mots: list[str | None] = []
    for point in range(0x80, ALPHABETS_FIN):
        caractere = chr(point)
        mot = unicodedata.name(caractere, "?").split()[0] if caractere.isalpha() else None
        if not mots or mot != mots[-1]:
            debuts.append(point)
            mots.append(mot)
    noms = sorted({m for m in mots if m})
    rangs = [noms.index(m) if m else -1 for m in mots]
    return {"debuts": debuts, "mots": rangs, "noms": noms, "fin": ALPHABETS_FIN}


def _python_vers_js(remplacement: str) -> str:
    r"""A re.sub replacement in JavaScript's spelling: \1 becomes $1."""
    return remplacement.replace("$", "$$").replace("\\", "$")


def _horaires() -> dict[str, object]:
    """Hours: the example, the days, and the rewriting table `suggerer` applies first."""
    return {
        "jours": list(JOURS_OSM),
        # Shared with the validator's suggestions (verification.py): French days, then slips.
        "jours_fr": dict(horaires_verification._JOURS_FR_VERS_OSM),
        "retouches": [[m, _python_vers_js(r)] for m, r in horaires_verification._RETOUCHES],
        "mots_vides": sorted(horaires_verification._MOTS_VIDES - {"et"}),
        "message": horaires_verification.PAS_AU_FORMAT,
        "ambigu": horaires_verification.LU_DEUX_FACONS,
        # Valid writings both parsers read otherwise (ambigus.py): what is wrong, where, the fix
        # (a replacement, or null for "drop the zero-length ranges").
        "ambiguites": [
            [message, motif.pattern, remplacement]
            for (message, _), (motif, remplacement) in zip(
                ambigus.AMBIGUITES,
                (
                    (ambigus._JOURS_ESPACES, "$1,"),
                    (ambigus._REGLE_SANS_JOUR, "$1,"),
                    (ambigus._LISTE_PLAGES, None),
                ),
                strict=True,
            )
        ],
        "proposition": regles.PROPOSITION,
    }


def _champs() -> dict[str, object]:
    """Per field of the form: pattern and expected format, maximum length, vocabulary."""
    regles: dict[str, object] = {}
    for champ in REGISTRE:
        if not champ.formulaire:
            continue
        regle: dict[str, object] = {}
        if champ.motif is not None and champ.format_attendu:
            regle.update(motif=champ.motif.pattern, format=champ.format_attendu)
        if champ.longueur_max:
            regle["longueur_max"] = champ.longueur_max
        if champ.valeurs:
            regle["valeurs"] = sorted(champ.acceptees)
            # The row's message, less the closest value (boxes of the form only give known ones).
            regle["inconnu"] = (
                champ.inconnu.replace("{valeur}", "{}")
                .replace("{indice}", "")
                .replace("{possibles}", ", ".join(champ.valeurs))
            )
        regles[champ.nom] = regle
    return regles


def regles_navigateur() -> dict[str, object]:
    """Everything proposer-regles.js checks, as JSON-ready data."""
    return {
        "champs": _champs(),
        # Free text (no formula, no tag, no invisible character), e-mail and URL fields.
        "textes_libres": list(CHAMPS_TEXTE_LIBRE),
        "courriels": list(CHAMPS_COURRIEL),
        "urls": list(CHAMPS_URL),
        "citation_max": CITATION_MAX,
        "message_max": MESSAGE_MAX,
        "messages": {
            "hors_format": regles.HORS_FORMAT,
            "trop_long": regles.TROP_LONG,
            "formule": regles.FORMULE,
            "balise": regles.BALISE,
            "invisible": regles.INVISIBLE,
            "url": regles.URL_FAUSSE,
        },
        "telephone": _telephone(),
        "courriel": {
            "motif": formats._COURRIEL.pattern,
            "max": formats.COURRIEL_MAX,
            "debuts_interdits": formats.COURRIEL_DEBUTS_INTERDITS,
            "message": formats.COURRIEL_INVALIDE,
        },
        "url": {
            "alphabets": _alphabets(),
            "max": formats.URL_MAX,
            "interdits": formats.URL_INTERDITS,
            "messages": {
                "trop_longue": formats.URL_TROP_LONGUE,
                "caractere": formats.URL_CARACTERE,
                "illisible": formats.URL_ILLISIBLE,
                "pas_http": formats.URL_PAS_HTTP,
                "alphabets": formats.URL_ALPHABETS,
            },
        },
        "texte": {
            "balise": formats._BALISE.pattern,
            "direction": "".join(sorted(formats._DIRECTION)),
        },
        "horaires": _horaires(),
    }
