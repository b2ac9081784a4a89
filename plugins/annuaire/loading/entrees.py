"""Loading: entry files (YAML, or Markdown with YAML front matter) into records with positions.

Nothing here raises on bad input: every problem becomes a `Probleme` with file, line and field, and
loading goes on with the next file, so that a contributor sees all problems at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import os
import pickle
import sys
from functools import partial
from pathlib import Path

import yaml

from annuaire.build.cache import ecrire_pickle, partie, signature, signature_verifiee
from annuaire.build.parallele import en_deux, sans_ramasse_miettes
from annuaire.domain.champs import CHAMPS_CONNUS, DATES, MULTIPLES, NOMBRES
from annuaire.domain.formats import slugifier
from annuaire.domain.model import AVERTISSEMENT, Lieu, Probleme, Reseau
from annuaire.domain.texte import citer
from annuaire.loading.liens import LIEN_REFUSE, hors_du_depot
from annuaire.loading.yamlpos import ErreurYaml, MappingAvecLignes, charger_yaml

TAILLE_MAX = 256 * 1024  # an entry is a few KB; anything this large is a mistake
SUFFIXES = (".yaml", ".yml", ".md")
LIRE_EN_PARALLELE_MIN = 2000  # entries to parse: from this many, two processes share them
# Values YAML may type (numbers, dates); every other top-level value is read as written ("01000").
_TYPEES = NOMBRES | DATES


class EntreeIlisible(Exception):
    """An entry file that cannot be read at all; carries the problem to report."""

    def __init__(self, probleme: Probleme):
        super().__init__(str(probleme))
        self.probleme = probleme


def _texte(chemin: Path, nom: str, octets: bytes | None = None) -> str:
    """Read a file (or its `octets`, already read) as UTF-8 text, refusing binaries, huge files and
    other encodings."""
    donnees = chemin.read_bytes() if octets is None else octets
    if len(donnees) > TAILLE_MAX:
        taille = f"{len(donnees) // 1024} Ko"
        raise EntreeIlisible(Probleme(nom, 1, "", f"fichier trop gros ({taille}, maximum 256 Ko)"))
    if b"\x00" in donnees:
        raise EntreeIlisible(Probleme(nom, 1, "", "fichier binaire : une fiche est un texte YAML"))
    try:
        return donnees.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        ligne = donnees[: exc.start].count(b"\n") + 1
        message = "encodage invalide : enregistrez le fichier en UTF-8"
        raise EntreeIlisible(Probleme(nom, ligne, "", message)) from None


def _separer_front_matter(texte: str, nom: str) -> tuple[str, str, int]:
    """Split "---\\nYAML\\n---\\nbody" into (yaml, body, line offset of the YAML)."""
    lignes = texte.splitlines(keepends=True)
    if not lignes or lignes[0].strip() != "---":
        message = "une fiche Markdown commence par une ligne « --- » suivie des champs YAML"
        raise EntreeIlisible(Probleme(nom, 1, "", message))
    for i, ligne in enumerate(lignes[1:], start=1):
        if ligne.strip() in ("---", "..."):
            return "".join(lignes[1:i]), "".join(lignes[i + 1 :]), 1
    raise EntreeIlisible(Probleme(nom, 1, "", "la ligne « --- » qui ferme les champs YAML manque"))


def lire_mapping(chemin: Path, nom: str, octets: bytes | None = None) -> tuple[MappingAvecLignes, str]:
    """Read an entry file (or its `octets`) into (mapping with key lines, Markdown body). Raise
    EntreeIlisible."""
    texte = _texte(chemin, nom, octets)
    decalage, corps = 0, ""
    if chemin.suffix == ".md":
        texte, corps, decalage = _separer_front_matter(texte, nom)
    if not texte.strip():
        raise EntreeIlisible(Probleme(nom, 1, "", "fichier vide : une fiche contient au moins « nom »"))
    try:
        donnees = charger_yaml(texte, _TYPEES)
    except ErreurYaml as exc:
        raise EntreeIlisible(Probleme(nom, exc.ligne + decalage, exc.champ, exc.message)) from None
    if not isinstance(donnees, MappingAvecLignes):
        genre = "une liste" if isinstance(donnees, list) else "une valeur seule"
        message = f"le fichier contient {genre} ; une fiche est une suite de « champ: valeur »"
        raise EntreeIlisible(Probleme(nom, 1, "", message))
    donnees.lignes = {k: v + decalage for k, v in donnees.lignes.items()}
    return donnees, corps


def _suggestion(champ: str) -> str:
    """A "did you mean" hint for an unknown field name."""
    proches = difflib.get_close_matches(champ, sorted(CHAMPS_CONNUS), n=1, cutoff=0.6)
    return f" ; vouliez-vous dire « {proches[0]} » ?" if proches else ""


def _en_texte(valeur) -> str | None:
    """A scalar as stripped text, or None for a list or mapping."""
    if isinstance(valeur, (list, dict)):
        return None
    if isinstance(valeur, float) and valeur.is_integer():
        valeur = int(valeur)
    return "" if valeur is None else str(valeur).strip()


def _convertir_liste(valeur) -> list[str] | None:
    """A YAML list (or a lone string, split on "|") as a list of texts; None when not possible."""
    if valeur is None:
        return []
    if not isinstance(valeur, list):
        texte = _en_texte(valeur)
        return None if texte is None else [t.strip() for t in texte.split("|") if t.strip()]
    textes = [_en_texte(v) for v in valeur]
    return None if any(t is None for t in textes) else [t for t in textes if t]


def _convertir_nombre(valeur) -> float | None:
    """A number, or a text holding one (with a comma or a dot); raise ValueError otherwise (a
    number too large for a float, or written with hundreds of digits, is not a coordinate)."""
    if isinstance(valeur, bool) or len(texte := str(valeur).strip()) > 40:
        raise ValueError
    try:
        return float(valeur) if isinstance(valeur, (int, float)) else float(texte.replace(",", "."))
    except OverflowError:
        raise ValueError from None


def _convertir_date(valeur) -> dt.date:
    """A YAML date, or an ISO text "AAAA-MM-JJ"."""
    if isinstance(valeur, dt.datetime):
        return valeur.date()
    if isinstance(valeur, dt.date):
        return valeur
    return dt.date.fromisoformat(str(valeur).strip())


def _convertir(champ: str, valeur):
    """Convert one raw value to the model's type; raise ValueError with a French reason."""
    if champ in MULTIPLES:
        liste = _convertir_liste(valeur)
        if liste is None:
            raise ValueError("attendu : une liste de textes (une valeur par ligne « - … »)")
        return liste
    if valeur is None or valeur == "":
        return None
    if champ in NOMBRES:
        try:
            return _convertir_nombre(valeur)
        except ValueError:
            raise ValueError(f"« {citer(valeur)} » n'est pas un nombre décimal (ex. 45.4397)") from None
    if champ in DATES:
        try:
            return _convertir_date(valeur)
        except ValueError:
            raise ValueError(f"« {citer(valeur)} » n'est pas une date AAAA-MM-JJ") from None
    texte = _en_texte(valeur)
    if texte is None:
        raise ValueError("attendu : une seule valeur texte, pas une liste")
    return texte


def lieu_depuis_mapping(
    donnees: dict, lignes: dict[str, int], nom: str, corps: str = ""
) -> tuple[Lieu, list[Probleme]]:
    """Build a Lieu from a raw mapping; unknown fields and wrong types become problems."""
    lieu = Lieu(chemin=nom, lignes=dict(lignes), corps_markdown=corps.strip())
    problemes: list[Probleme] = []
    for champ, valeur in donnees.items():
        ligne = lignes.get(champ, 1)
        if champ not in CHAMPS_CONNUS:
            message = f"champ inconnu{_suggestion(champ)}"
            problemes.append(Probleme(nom, ligne, champ, message))
            continue
        try:
            converti = _convertir(champ, valeur)
        except ValueError as exc:
            problemes.append(Probleme(nom, ligne, champ, str(exc)))
            continue
        if converti is not None:
            setattr(lieu, champ, converti)
    return lieu, problemes


def _slug_du_fichier(chemin: Path) -> str:
    return slugifier(chemin.stem) or "lieu"


def charger_lieu(
    chemin: Path, racine: Path, octets: bytes | None = None
) -> tuple[Lieu | None, list[Probleme]]:
    """Load one entry file (from its `octets` when already read); (None, [problem]) when it cannot
    be read at all."""
    nom = chemin.relative_to(racine).as_posix()
    if hors_du_depot(chemin, racine):
        return None, [Probleme(nom, 1, "", LIEN_REFUSE)]
    try:
        donnees, corps = lire_mapping(chemin, nom, octets)
    except EntreeIlisible as exc:
        return None, [exc.probleme]
    except OSError as exc:
        return None, [Probleme(nom, 1, "", f"lecture impossible : {exc.strerror}")]
    lieu, problemes = lieu_depuis_mapping(donnees, donnees.lignes, nom, corps)
    lieu.slug = _slug_du_fichier(chemin)
    lieu.id = lieu.id or lieu.slug
    if corps.strip() and lieu.presentation_detail:
        message = "décrit deux fois : gardez le texte sous les « --- » ou ce champ, pas les deux"
        ligne = lieu.ligne("presentation_detail")
        problemes.append(Probleme(nom, ligne, "presentation_detail", message, AVERTISSEMENT))
    return lieu, problemes


def fichiers_entrees(dossier: Path) -> list[Path]:
    """Entry files of a folder and its subfolders, sorted for a deterministic build (hidden files
    skipped). os.walk rather than Path.rglob: a third of the time on 30,000 files."""
    if not dossier.is_dir():
        return []
    fichiers: list[str] = []
    for racine, _dossiers, noms in os.walk(dossier):
        visibles = (
            os.path.join(racine, nom)
            for nom in noms
            if nom.endswith(SUFFIXES) and not nom.startswith((".", "_"))
        )
        fichiers += [chemin for chemin in visibles if os.path.isfile(chemin)]
    # Sorted as paths (folder by folder), but on strings: comparing 30,000 Path objects took 0.3 s.
    return [Path(chemin) for chemin in sorted(fichiers, key=lambda chemin: chemin.split(os.sep))]


class CacheEntrees:
    """Entries already read by an earlier run, keyed by each file's name and bytes.

    Reading a national directory's YAML files is the longest part of loading it (about 0.3 ms a
    file); a file whose name and content are unchanged gives the same record and problems, so the
    result is kept in .cache/annuaire/entrees-N.pickle under the project folder (git-ignored). A
    file whose signature (size, times, inode) is the one seen last time is not even read again
    (see `signature`). Files are spread over PARTS cache files by their name: changing one entry
    rewrites one sixteenth of the cache (2 MB at 30,000 places, not 32). The cache is valid for
    this package's code, YAML parser and Python only (`_version_code`); it is optional: any error
    reading or writing it means reading the files.
    """

    PARTS = 16

    def __init__(self, dossier: Path):
        self.dossier = dossier
        self.version = _version_code()
        self.anciennes = [self._lire(rang) for rang in range(self.PARTS)]  # (entries, signatures)
        self.anciens = {cle: v for entrees, _ in self.anciennes for cle, v in entrees.items()}
        self.signatures = {nom: v for _, signatures in self.anciennes for nom, v in signatures.items()}
        self.nouvelles: list[tuple[dict, dict]] = [({}, {}) for _ in range(self.PARTS)]
        self.identites: dict[Path, tuple[str, tuple | None, bytes]] = {}
        self.octets: dict[Path, bytes] = {}  # bytes read for a key, until parsed
        self.recents: set[str] = set()  # files read while too recent for a signature

    def _chemin(self, rang: int) -> Path:
        return _partie_entrees(self.dossier, rang)

    def _lire(self, rang: int) -> tuple[dict, dict]:
        try:
            with self._chemin(rang).open("rb") as fichier, sans_ramasse_miettes():
                version, entrees, signatures = pickle.load(fichier)
        except Exception:  # any unreadable cache (a class renamed since…): no cache
            return {}, {}
        return (entrees, signatures) if version == self.version else ({}, {})

    def _cle(self, chemin: Path, nom: str, vue: tuple | None) -> bytes:
        """The file's key: the hash of its name and bytes, or the one seen with the same signature.
        The bytes read are kept (`octets`): the entry is parsed from the very bytes of its key,
        even if the file is saved again meanwhile."""
        connue = self.signatures.get(nom)
        if vue is not None and connue is not None and connue[0] == vue:
            return connue[1]
        self.octets[chemin] = octets = chemin.read_bytes()
        return _cle_fichier(nom, octets)

    def _identifier(self, chemin: Path, racine: Path) -> tuple[str, tuple | None, bytes]:
        """(name, signature, key) of an entry file, worked out once; raises OSError."""
        if chemin not in self.identites:
            nom = chemin.relative_to(racine).as_posix()
            vue = signature(chemin)
            self.identites[chemin] = (nom, vue, self._cle(chemin, nom, vue))
        return self.identites[chemin]

    def _charger(self, chemin: Path, racine: Path) -> tuple[Lieu | None, list[Probleme]]:
        """`charger_lieu` from the bytes the key was made of (read again only if its signature was
        trusted: then the file has not changed since)."""
        return charger_lieu(chemin, racine, self.octets.pop(chemin, None))

    def lire_nouveaux(self, chemins: list[Path], racine: Path) -> None:
        """Parse the files the cache does not know: in two processes when there are many (a first
        build of a national directory parses 30,000 files: 8 s in one process)."""
        a_lire = []
        for chemin in chemins:
            with contextlib.suppress(OSError):  # `charger` reports it
                cle = self._identifier(chemin, racine)[2]
                if cle not in self.anciens:
                    a_lire.append((chemin, cle))
        chemins_a_lire = [chemin for chemin, _ in a_lire]
        lus = en_deux(lambda chemin: self._charger(chemin, racine), chemins_a_lire, LIRE_EN_PARALLELE_MIN)
        self.anciens.update((cle, lu) for (_, cle), lu in zip(a_lire, lus, strict=True))
        self.octets.clear()

    def charger(self, chemin: Path, racine: Path, empreintes=None) -> tuple[Lieu | None, list[Probleme]]:
        """`charger_lieu`, from the cache when this file was read before with the same bytes; the
        place and its file's key are noted in `empreintes` (an EmpreintesLieux) when given."""
        try:
            nom, vue, cle = self._identifier(chemin, racine)
        except OSError:
            return charger_lieu(chemin, racine)
        entrees, signatures = self.nouvelles[partie(nom, self.PARTS)]
        if cle not in entrees:
            entrees[cle] = self.anciens.get(cle) or self._charger(chemin, racine)
        signatures[nom] = (vue, cle)
        if vue is None:
            self.recents.add(nom)
        lieu, problemes = entrees[cle]
        if empreintes is not None and lieu is not None:
            empreintes.noter(lieu, cle + self.version.encode())  # the same bytes parsed by this code
        return lieu, problemes

    def ecrire(self) -> None:
        """Keep the entries of this run (only those) for the next one: the parts that changed, and
        the list of files too recent for a signature (`rafraichir_entrees` at the build's end)."""
        for rang, (nouvelle, ancienne) in enumerate(zip(self.nouvelles, self.anciennes, strict=True)):
            if nouvelle[0].keys() == ancienne[0].keys() and nouvelle[1] == ancienne[1]:
                continue
            with contextlib.suppress(OSError):  # a read-only project folder: no cache, same result
                ecrire_pickle(self._chemin(rang), (self.version, *nouvelle))
        with contextlib.suppress(OSError):
            if self.recents:
                ecrire_pickle(self.dossier / RECENTES, (self.version, sorted(self.recents)))
            else:
                (self.dossier / RECENTES).unlink(missing_ok=True)


RECENTES = "entrees-recentes.pickle"


def _partie_entrees(dossier: Path, rang: int) -> Path:
    """One of the PARTS files of the entries' cache."""
    return dossier / f"entrees-{rang}.pickle"


def _cle_fichier(nom: str, octets: bytes) -> bytes:
    """An entry file's key in the cache: the hash of its name and bytes."""
    return hashlib.sha256(nom.encode() + b"\0" + octets).digest()


def rafraichir_entrees(racine: Path) -> int:
    """At the end of a build: record the signature of the entries read while too recent for one
    (files written just before the build: a clone, an import) that are old enough now, once their
    bytes are checked to be those of their key (`cache.signature_verifiee`). Without it, the next
    build reads and hashes them all again. Only the cache files holding them are rewritten.
    Returns how many entries were refreshed."""
    dossier = racine / ".cache" / "annuaire"
    try:
        with (dossier / RECENTES).open("rb") as fichier:
            version, noms = pickle.load(fichier)
        (dossier / RECENTES).unlink()
    except Exception:  # none, or unreadable: nothing to refresh
        return 0
    if version != _version_code():
        return 0
    par_partie: dict[int, list[str]] = {}
    for nom in noms:
        par_partie.setdefault(partie(nom, CacheEntrees.PARTS), []).append(nom)
    return sum(
        _rafraichir_partie(racine, _partie_entrees(dossier, rang), version, liste)
        for rang, liste in sorted(par_partie.items())
    )


def _rafraichir_partie(racine: Path, chemin: Path, version: str, noms: list[str]) -> int:
    """`rafraichir_entrees` for one cache file; the entries refreshed."""
    try:
        with chemin.open("rb") as fichier, sans_ramasse_miettes():
            trouvee, entrees, signatures = pickle.load(fichier)
    except Exception:
        return 0
    recents = [nom for nom in noms if trouvee == version and nom in signatures and signatures[nom][0] is None]
    frais = 0
    for nom in recents:
        cle = signatures[nom][1]
        if nouvelle := signature_verifiee(racine / nom, cle, partial(_cle_fichier, nom)):
            signatures[nom] = (nouvelle, cle)
            frais += 1
    if frais:
        with contextlib.suppress(OSError):
            ecrire_pickle(chemin, (version, entrees, signatures))
    return frais


def _version_code() -> str:
    """What the cached records depend on: this package's code, PyYAML's version and whether it
    parses with libyaml, and Python's version."""
    empreinte = hashlib.sha256(f"{yaml.__version__} {yaml.__with_libyaml__} {sys.version}".encode())
    for source in sorted(Path(__file__).resolve().parents[1].rglob("*.py")):
        empreinte.update(source.read_bytes())
    return empreinte.hexdigest()


def charger_lieux(dossier: Path, racine: Path, empreintes=None) -> tuple[list[Lieu], list[Probleme]]:
    """Load every entry of content/lieux/ (through the cache of entries read before); each place
    and its file's key are noted in `empreintes` (an EmpreintesLieux) when given."""
    lieux: list[Lieu] = []
    problemes: list[Probleme] = []
    cache = CacheEntrees(racine / ".cache" / "annuaire")
    chemins = fichiers_entrees(dossier)
    cache.lire_nouveaux(chemins, racine)
    for chemin in chemins:
        lieu, trouves = cache.charger(chemin, racine, empreintes)
        problemes.extend(trouves)
        if lieu is not None:
            lieux.append(lieu)
    cache.ecrire()
    return lieux, problemes


_CHAMPS_RESEAU = {"nom", "description", "coordination", "site_web", "references"}


def _reseau(donnees: MappingAvecLignes, nom: str, slug: str) -> tuple[Reseau, list[Probleme]]:
    """Build a Reseau from its mapping, reporting unknown fields and wrong types."""
    reseau = Reseau(slug=slug, nom="", chemin=nom, lignes=dict(donnees.lignes))
    problemes = []
    for champ, valeur in donnees.items():
        ligne = donnees.lignes.get(champ, 1)
        if champ not in _CHAMPS_RESEAU:
            proches = difflib.get_close_matches(champ, sorted(_CHAMPS_RESEAU), n=1)
            indice = f" ; vouliez-vous dire « {proches[0]} » ?" if proches else ""
            problemes.append(Probleme(nom, ligne, champ, f"champ inconnu{indice}"))
            continue
        converti = _convertir_liste(valeur) if champ in ("coordination", "references") else _en_texte(valeur)
        if converti is None:
            problemes.append(Probleme(nom, ligne, champ, "type de valeur inattendu"))
            continue
        setattr(reseau, champ, converti)
    return reseau, problemes


def charger_reseaux(dossier: Path, racine: Path) -> tuple[list[Reseau], list[Probleme]]:
    """Load every network of content/reseaux/."""
    reseaux, problemes = [], []
    for chemin in fichiers_entrees(dossier):
        nom = chemin.relative_to(racine).as_posix()
        if hors_du_depot(chemin, racine):
            problemes.append(Probleme(nom, 1, "", LIEN_REFUSE))
            continue
        try:
            donnees, corps = lire_mapping(chemin, nom)
        except EntreeIlisible as exc:
            problemes.append(exc.probleme)
            continue
        reseau, trouves = _reseau(donnees, nom, _slug_du_fichier(chemin))
        reseau.description = reseau.description or corps.strip()
        reseaux.append(reseau)
        problemes.extend(trouves)
    return reseaux, problemes
