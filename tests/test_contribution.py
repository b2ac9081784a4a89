"""Contributing: scaffolded entries validate, workflows call the README's make targets, links are right."""

from __future__ import annotations

import datetime as dt
import re

import yaml
from annuaire.cli.nouvelle_fiche import creer_fiche, texte_fiche
from annuaire.directory import construire_annuaire
from conftest import RACINE, construire_site_test


def test_fiche_creee_valide(tmp_path):
    lieux = tmp_path / "content" / "lieux"
    chemin = creer_fiche(
        lieux,
        "Espace numérique du Soleil",
        adresse="24 rue Beaunier",
        code_postal="42000",
        commune="Saint-Étienne",
    )
    assert chemin.name == "espace-numerique-du-soleil.yaml"
    annuaire = construire_annuaire(tmp_path / "content", tmp_path)
    assert annuaire.erreurs == [] and annuaire.lieux[0].nom == "Espace numérique du Soleil"


def test_fiche_creee_contient_chaque_champ_du_standard():
    from annuaire.domain.champs import CHAMPS_STANDARD

    texte = texte_fiche("X", aujourd_hui=dt.date(2026, 1, 1))
    absents = [c for c in CHAMPS_STANDARD if c not in ("id",) and not re.search(rf"\b{c}:", texte)]
    assert absents == []


def test_fiche_creee_sans_ecraser(tmp_path):
    creer_fiche(tmp_path, "Lieu")
    try:
        creer_fiche(tmp_path, "Lieu")
    except FileExistsError as exc:
        assert "existe déjà" in str(exc)
    else:
        raise AssertionError("une fiche existante a été écrasée")


def cibles_make() -> set[str]:
    """Targets defined in the Makefile."""
    texte = (RACINE / "Makefile").read_text()
    return set(re.findall(r"^([a-z][a-z-]*):", texte, re.M))


def test_workflows_appellent_les_cibles_du_readme():
    readme = (RACINE / "README.md").read_text()
    for nom in ("verifier.yml", "publier.yml"):
        flux = yaml.safe_load((RACINE / ".github" / "workflows" / nom).read_text())
        commandes = [e.get("run", "") for job in flux["jobs"].values() for e in job["steps"]]
        cibles = {m for c in commandes for m in re.findall(r"\bmake (\w+)", c)}
        assert cibles and cibles <= cibles_make(), (nom, cibles)
        assert all(f"make {c}" in readme for c in cibles), cibles
        for job in flux["jobs"].values():
            for etape in job["steps"]:
                if "uses" in etape:
                    assert re.search(r"@[0-9a-f]{40}$", etape["uses"]), etape["uses"]  # see test_workflows


def test_ci_lance_make_test():
    assert "make test" in (RACINE / ".ci" / "run").read_text()


def test_codeowners_designe_des_fichiers_existants():
    for ligne in (RACINE / ".github" / "CODEOWNERS").read_text().splitlines():
        if not ligne.strip() or ligne.startswith("#"):
            continue
        motif = ligne.split()[0]
        if motif != "*":
            assert list(RACINE.glob(motif.strip("/").rstrip("/") or ".")), motif


def test_liens_modifier_et_signaler(tmp_path):
    sortie = tmp_path / "output"
    depot = "https://github.com/exemple/annuaire"
    reglages = {"depot_url": depot, "url_publique": "https://exemple.org"}
    construire_site_test(RACINE / "tests" / "site" / "content", sortie, ANNUAIRE=reglages)
    html = (sortie / "lieux" / "espace-test" / "index.html").read_text()
    assert f'href="{depot}/edit/main/content/lieux/espace-test.yaml"' in html
    assert f'href="{depot}/issues/new?title=' in html
    assert "content/lieux/espace-test.yaml" in html.split("issues/new?")[1].split('"')[0].replace("%2F", "/")


def test_formulaire_produit_une_fiche_valide(navigateur, url_site_test, tmp_path):
    base = url_site_test
    page = navigateur.new_page()
    page.goto(f"{base}/proposer/")
    for champ, valeur in {
        "f-nom": "Espace « Test » & Cie",
        "f-adresse": "3 rue du Formulaire",
        "f-code_postal": "42000",
        "f-commune": "Saint-Étienne",
        "f-telephone": "04 77 12 34 56",
        "f-courriel": "contact@exemple.fr",
        "f-site": "https://exemple.fr",
        "f-horaires": "Mo-Fr 09:00-12:00",
        "f-resume": "Aide pour le smartphone.",
        "f-source": "Le lieu lui-même",
    }.items():
        page.fill(f"#{champ}", valeur)
    page.check("#f-services-1")
    page.check("#f-frais_a_charge-1")
    page.click("#proposer button[type=submit]")
    page.wait_for_selector("#proposer-resultat:not([hidden])")
    texte = page.input_value("#proposer-yaml")
    nom_fichier = page.inner_text("#proposer-fichier")
    page.close()
    assert nom_fichier == "content/lieux/espace-test-cie.yaml"
    chemin = tmp_path / nom_fichier
    chemin.parent.mkdir(parents=True)
    chemin.write_text(texte, encoding="utf-8")
    annuaire = construire_annuaire(tmp_path / "content", tmp_path)
    assert [str(p) for p in annuaire.erreurs] == []
    (lieu,) = annuaire.lieux
    assert lieu.nom == "Espace « Test » & Cie" and lieu.services == ["Aide aux démarches administratives"]
