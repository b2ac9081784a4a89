"""What the theme's templates need beyond the records: the security policy, the printed sheet's QR
code, and the short phone and hours of the printed lists (a mediator's handout).

Plain Python (no Pelican). The glue puts one `OutilsGabarits` per build in the templates' context as
`outils`; the build writes `entetes_http()` as output/_headers for hosts that read one.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import zxingcpp

from annuaire.domain import horaires as horaires_osm
from annuaire.domain.formats import telephone_affiche, telephone_normalise

ABREGES = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
_HOTE = re.compile(r"^(\*\.)?[A-Za-z0-9.-]+(:\d+)?$")


def origine_tuiles(tuiles_url: str) -> str:
    """The CSP source of a tile URL template: "https://*.tile.openstreetmap.fr" for
    "https://{s}.tile.openstreetmap.fr/{z}/{x}/{y}.png"; "" for tiles served by the site itself.

    A placeholder elsewhere than the first label of the host falls back to the scheme ("https:").
    """
    parties = urlsplit(tuiles_url.strip())
    if parties.scheme not in ("http", "https"):
        return ""
    hote = re.sub(r"^\{[a-z]+\}\.", "*.", parties.netloc)
    return f"{parties.scheme}://{hote}" if _HOTE.match(hote) else f"{parties.scheme}:"


def politique_securite(tuiles_url: str) -> str:
    """The Content-Security-Policy of every page: our own scripts, styles and fonts only, no inline
    script; the only other origin is the map tiles'. Pagefind needs 'wasm-unsafe-eval' (WebAssembly)."""
    images = " ".join(filter(None, ["'self'", "data:", origine_tuiles(tuiles_url)]))
    return (
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
        f"img-src {images}; font-src 'self'; connect-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'"
    )


def entetes_http(tuiles_url: str) -> str:
    """The `_headers` file (Netlify, Cloudflare Pages): the same policy as the pages' meta tag, plus
    headers a meta tag cannot carry. Framing stays allowed: other sites embed the directory."""
    entetes = {
        "Content-Security-Policy": politique_securite(tuiles_url),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "geolocation=(self), camera=(), microphone=(), payment=()",
    }
    return "/*\n" + "".join(f"  {nom}: {valeur}\n" for nom, valeur in entetes.items())


def _chemin_qr(modules: bytes, cote: int, bord: int) -> str:
    """SVG path data drawing the dark modules (0 in `modules`, `cote` per row) as horizontal runs
    of a 1-unit stroke, with relative moves: the same compact form as segno's."""
    morceaux, x_prec, y_prec = [], 0, 0
    for y in range(cote):
        ligne = modules[y * cote : (y + 1) * cote]
        x = ligne.find(0)
        while x != -1:
            fin = ligne.find(255, x)
            fin = cote if fin == -1 else fin
            dx, dy = x + bord - x_prec, y + bord - y_prec
            morceaux.append(f"m{dx} {dy}h{fin - x}" if morceaux else f"M{x + bord} {y + bord}.5h{fin - x}")
            x_prec, y_prec = fin + bord, y + bord
            x = ligne.find(0, fin)
    return "".join(morceaux)


def qr_svg(url: str) -> str:
    """An inline SVG QR code of `url` (our own markup: safe to insert as is), with no size of its
    own (the print style sheet sizes it). zxing-cpp encodes it natively (about 0.3 ms a code, ten
    times faster than a pure-Python encoder: it is on every sheet of a 30,000-place directory)."""
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=False)
    cote, bord = image.shape[0], 2
    largeur, chemin = cote + 2 * bord, _chemin_qr(bytes(memoryview(image)), cote, bord)
    return (
        f'<svg aria-hidden="true" focusable="false" viewBox="0 0 {largeur} {largeur}" class="qr">'
        f'<path stroke="#000" d="{chemin}"/></svg>'
    )


def telephone_lien(texte: str, code_postal: str = "") -> tuple[str, str] | None:
    """("tel:+33477123456", "04 77 12 34 56") for a valid number, None otherwise."""
    forme, _ = telephone_normalise(texte, code_postal) if texte else (None, "")
    return (f"tel:{forme}", telephone_affiche(forme)) if forme else None


def _plages_jours(jours) -> list[tuple[str, str, str]]:
    """Consecutive days with the same hours: [(first, last, hours)], closed days left out."""
    plages: list[tuple[str, str, str]] = []
    for abrege, jour in zip(ABREGES, jours, strict=False):
        if plages and plages[-1][2] == jour.texte:
            plages[-1] = (plages[-1][0], abrege, jour.texte)
        else:
            plages.append((abrege, abrege, jour.texte))
    return [p for p in plages if p[2] != horaires_osm.FERME]


def resume_horaires(texte: str, debut: dt.date | None = None, semaine=None) -> str:
    """Hours in one line for a printed list: "lun.–ven. 9 h – 12 h ; sam. 9 h – 12 h" (the usual
    week from `debut`, the build's date; or `semaine`, that week already worked out)."""
    if not texte:
        return ""
    semaine = semaine or horaires_osm.semaine(texte, debut)
    if not semaine.jours:
        return horaires_osm.A_VERIFIER
    plages = _plages_jours(semaine.jours)
    morceaux = [(d if d == f else f"{d}–{f}") + f" {h}" for d, f, h in plages]
    return " ; ".join(morceaux) or "fermé"


# The values a person needs to go to a place: when one of them is not confirmed, the place is
# "à vérifier" (no computed open/closed badge, a label on its cards). Field names of champs.py.
POUR_Y_ALLER = frozenset(
    {"adresse", "complement_adresse", "horaires", "telephone", "latitude", "longitude", "statut"}
)


def a_verifier(lieu) -> bool:
    """True when a place is "à vérifier": its status says so, or a value needed to go there
    (address, hours, phone, position) is listed in its `a_verifier` field."""
    return lieu.statut == "a_verifier" or not POUR_Y_ALLER.isdisjoint(lieu.a_verifier)


class OutilsGabarits:
    """The helpers of one build, memoised (many places share one hours text or one phone)."""

    def __init__(self, tuiles_url: str, jour: dt.date | None = None):
        self.politique = politique_securite(tuiles_url)
        self.jour = jour
        self.vues = None  # texte -> VueHoraires, when the build keeps them (their week is reused)
        self._horaires: dict[str, str] = {}
        self._telephones: dict[tuple[str, str], tuple[str, str] | None] = {}
        self._cartes: dict[tuple, str] = {}

    def horaires(self, texte: str) -> str:
        """`resume_horaires`, computed once per distinct text (from the build's hours views when
        it has them: working out a week is the costly part, and the sheets need it anyway)."""
        if texte not in self._horaires:
            vue = self.vues(texte) if self.vues and texte else None
            self._horaires[texte] = resume_horaires(texte, self.jour, vue.semaine if vue else None)
        return self._horaires[texte]

    def telephone(self, texte: str, code_postal: str = "") -> tuple[str, str] | None:
        """`telephone_lien`, computed once per distinct text and postcode (a place is in several lists)."""
        cle = (texte, code_postal)
        if cle not in self._telephones:
            self._telephones[cle] = telephone_lien(texte, code_postal)
        return self._telephones[cle]

    def carte(self, dessiner, lieu, SITEURL: str, niveau: int) -> str:  # noqa: N803 (Pelican's name)
        """A place's card drawn by the macro `dessiner` (macros.carte_lieu), once per place and
        heading level in each process: a place is in the lists of its commune, of each of its
        services and of its letter, and drawing its cards again and again was a third of the
        time spent rendering a national directory's pages."""
        cle = (dessiner.name, lieu.slug, SITEURL, niveau)
        if cle not in self._cartes:
            self._cartes[cle] = dessiner(lieu, SITEURL, niveau)
        return self._cartes[cle]

    qr = staticmethod(qr_svg)
    a_verifier = staticmethod(a_verifier)
