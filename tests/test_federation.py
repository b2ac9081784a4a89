"""Federation: namespaced ids, duplicate detection (national aggregator's rule), merging, provenance."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time

from annuaire.domain.model import Lieu, Provenance
from annuaire.federation.doublons import fusionner, identifiant_federe
from annuaire.federation.sources import Source, lire_source
from annuaire.validation.regles import Contexte

SISLEY_1 = "EPN des quartiers Sud-Est (Espace Sisley)"
SISLEY_2 = "Espace Alfred Sisley"


def lieu(id_: str, nom: str = "Espace numérique", **champs) -> Lieu:
    """A place in Saint-Étienne (42100), overridden by `champs`."""
    valeurs = {
        "nom": nom,
        "commune": "Saint-Étienne",
        "code_postal": "42100",
        "adresse": "19 rue Alfred Sisley",
        "latitude": 45.42474,
        "longitude": 4.41778,
        "date_maj": dt.date(2022, 1, 1),
    }
    valeurs.update(champs)
    return Lieu(id=id_, **valeurs)


def local(id_: str, nom: str = "Espace numérique", **champs) -> Lieu:
    """A local entry (content/lieux)."""
    return lieu(id_, nom, chemin=f"content/lieux/{id_}.yaml", slug=id_, **champs)


def par_id(lieux: list[Lieu]) -> dict[str, Lieu]:
    return {x.id: x for x in lieux}


def test_sisley_de_source_json_doublon_probable(dossier_shared):
    donnees = (dossier_shared / "data" / "source.json").read_bytes()
    lieux = lire_source(donnees, Source("hinaura"), "source.json", Contexte(dt.date(2025, 1, 1))).lieux
    _fusion, rapport = fusionner([], {"hinaura": lieux})
    paires = {frozenset((p.id_a, p.id_b)): p for p in rapport.paires}
    sisley = paires[frozenset(("hinaura_1020", "hinaura_466"))]
    assert not sisley.fusionnee and 83 < sisley.score <= 90
    assert "hinaura_1020" in str(sisley) and "score 84" in str(sisley)
    assert any("Espace Alfred Sisley" in ligne and "doublon probable" in ligne for ligne in rapport.lignes())


def test_identifiants_espaces_de_noms_et_provenance():
    lieux, rapport = fusionner(
        [], {"hinaura": [lieu("466")], "cnfs": [lieu("abc", "Autre", code_postal="42000")]}
    )
    assert [x.id for x in lieux] == ["cnfs_abc", "hinaura_466"]
    assert identifiant_federe("hinaura", "466") == "hinaura_466"
    hinaura = par_id(lieux)["hinaura_466"]
    assert hinaura.provenances == [Provenance("hinaura", "466", dt.date(2022, 1, 1))]
    assert hinaura.slug == "hinaura-466" and not hinaura.est_local
    assert rapport.paires == []


def test_local_gagne_et_garde_toutes_les_provenances():
    locale = local(
        "sisley", SISLEY_2, services=["Aide aux démarches administratives"], date_maj=dt.date(2021, 1, 1)
    )
    federee = lieu(
        "1020",
        SISLEY_2,
        telephone="+33477464941",
        date_maj=dt.date(2023, 5, 17),
        services=["Loisirs et créations numériques"],
        courriels=["epn@exemple.fr"],
    )
    lieux, rapport = fusionner([locale], {"hinaura": [federee]})
    (fusion,) = lieux
    assert fusion.id == "sisley" and fusion.est_local and fusion.slug == "sisley"
    assert fusion.date_maj == dt.date(2021, 1, 1)  # the local entry's own values win
    assert fusion.services == ["Aide aux démarches administratives", "Loisirs et créations numériques"]
    assert fusion.telephone == "+33477464941" and fusion.courriels == ["epn@exemple.fr"]  # gaps filled
    assert [p.source for p in fusion.provenances] == ["local", "hinaura"]
    assert fusion.provenances[0].url == "content/lieux/sisley.yaml"
    assert rapport.groupes == [["hinaura_1020", "sisley"]]


def test_fusion_entre_sources_le_plus_recent_donne_les_valeurs():
    ancien = lieu(
        "1",
        SISLEY_1,
        pivot="12345678900012",
        date_maj=dt.date(2021, 11, 16),
        services=["Aide aux démarches administratives"],
        horaires="Mo 09:00-12:00",
    )
    recent = lieu(
        "2",
        SISLEY_2,
        pivot="00000000000000",
        date_maj=dt.date(2022, 5, 17),
        services=["Loisirs et créations numériques"],
        horaires="Tu 09:00-12:00",
    )
    lieux, rapport = fusionner([], {"a": [ancien], "b": [recent]})
    (fusion,) = lieux
    assert fusion.id == "a_1__b_2"
    assert (fusion.nom, fusion.horaires) == (SISLEY_2, "Tu 09:00-12:00")
    assert fusion.pivot == "12345678900012"  # a pivot of all zeros never wins
    assert fusion.services == ["Loisirs et créations numériques", "Aide aux démarches administratives"]
    assert [p.identifiant for p in fusion.provenances] == ["2", "1"]
    assert rapport.fusionnees[0].motif == "score" and rapport.fusionnees[0].score > 83


def test_seuil_plus_haut_dans_une_meme_source():
    paire = [lieu("1", SISLEY_1), lieu("2", SISLEY_2)]
    lieux, rapport = fusionner([], {"hinaura": paire})
    assert len(lieux) == 2 and rapport.probables[0].raison == "même source : seuil 90"
    lieux, rapport = fusionner([], {"a": [lieu("1", SISLEY_1)], "b": [lieu("2", SISLEY_2)]})
    assert len(lieux) == 1 and len(rapport.fusionnees) == 1


def test_pivot_commun_seulement_au_meme_endroit():
    meme = [lieu("1", "Mairie", pivot="21420218600013"), lieu("2", "Bibliothèque", pivot="21420218600013")]
    lieux, rapport = fusionner([], {"a": meme[:1], "b": meme[1:]})
    assert len(lieux) == 1 and rapport.fusionnees[0].motif == "pivot"
    ailleurs = lieu(
        "3", "Bibliothèque", pivot="21420218600013", adresse="4 place Kosma", latitude=45.473, longitude=4.394
    )
    lieux, rapport = fusionner([], {"a": meme[:1], "b": [ailleurs]})
    assert len(lieux) == 2 and rapport.paires == []


def test_typologies_et_communes_bloquent_la_comparaison():
    bib, ccas = lieu("1", SISLEY_2, typologie=["BIB"]), lieu("2", SISLEY_2, typologie=["CCAS"])
    assert len(fusionner([], {"a": [bib], "b": [ccas]})[0]) == 2
    rfs, pimms = lieu("1", SISLEY_2, typologie=["RFS"]), lieu("2", SISLEY_2, typologie=["PIMMS"])
    assert len(fusionner([], {"a": [rfs], "b": [pimms]})[0]) == 1
    autre_commune = lieu("2", SISLEY_2, code_insee="42207")
    assert len(fusionner([], {"a": [lieu("1", SISLEY_2, code_insee="42218")], "b": [autre_commune]})[0]) == 2
    sans_insee = lieu("2", SISLEY_2)
    assert len(fusionner([], {"a": [lieu("1", SISLEY_2, code_insee="42218")], "b": [sans_insee]})[0]) == 1


def test_groupes_transitifs():
    a = lieu("1", "Maison France Services de Firminy", latitude=45.38800, longitude=4.28800)
    b = lieu("2", "France Services de Firminy", latitude=45.38806, longitude=4.28806)
    c = lieu("3", "France Services Firminy", latitude=45.38814, longitude=4.28814)
    lieux, rapport = fusionner([], {"a": [a], "b": [b], "c": [c]})
    assert [x.id for x in lieux] == ["a_1__b_2__c_3"]
    assert rapport.groupes == [["a_1", "b_2", "c_3"]]


def test_deux_fiches_locales_jamais_fusionnees():
    l1, l2 = local("epn-sisley", SISLEY_2), local("espace-sisley", SISLEY_2)
    lieux, rapport = fusionner([l1, l2], {"hinaura": [lieu("1020", SISLEY_2)]})
    assert sorted(x.id for x in lieux) == ["epn-sisley", "espace-sisley"]
    assert {p.raison for p in rapport.probables} == {"deux fiches locales"}
    assert len(rapport.fusionnees) == 1


def test_meme_identifiant_local_et_federe():
    importee = local("hinaura_466", "Nom local", adresse="Autre adresse", latitude=None, longitude=None)
    lieux, rapport = fusionner([importee], {"hinaura": [lieu("466", SISLEY_1)]})
    assert [x.id for x in lieux] == ["hinaura_466"] and lieux[0].nom == "Nom local"
    assert rapport.fusionnees[0].motif == "identifiant"


def test_slugs_uniques():
    locale = local("s-1", "Tout autre lieu", code_postal="42000")
    lieux, _ = fusionner([locale], {"s": [lieu("1")]})
    assert sorted(x.slug for x in lieux) == ["s-1", "s-1-2"]
    assert par_id(lieux)["s-1"].slug == "s-1"


TYPES = (
    "Médiathèque",
    "Centre social",
    "Mairie",
    "EPN",
    "France Services",
    "Association",
    "MJC",
    "Tiers-lieu",
    "CCAS",
    "Bibliothèque",
)
RUES = (
    "Victor Hugo",
    "de la Paix",
    "Jean Jaurès",
    "du Marché",
    "Pasteur",
    "des Écoles",
    "de la Gare",
    "Gambetta",
    "de la République",
    "du Moulin",
)


def test_rapide_sur_30000_lieux():
    """3,000 communes of 10 places in 3 sources, plus one real duplicate per commune in source d."""
    sources: dict[str, list[Lieu]] = {"a": [], "b": [], "c": [], "d": []}
    for i in range(30_000):
        commune, rang = divmod(i, 10)
        code = f"{commune + 10000:05}"
        champs = {
            "code_postal": code,
            "code_insee": code,
            "adresse": f"{rang * 7 + 1} rue {RUES[rang]}",
            "latitude": 45 + commune / 1000,
            "longitude": 4 + rang / 300,
        }
        sources["abc"[i % 3]].append(lieu(str(i), f"{TYPES[rang]} de {commune}", **champs))
        if rang == 0:
            sources["d"].append(lieu(str(i), f"{TYPES[rang]} de {commune} ", **champs))
    debut = time.perf_counter()
    lieux, rapport = fusionner([], sources)
    duree = time.perf_counter() - debut
    assert duree < 30  # about 2 s on an idle 2-core machine: comparisons stay inside a commune
    assert (rapport.entrees, rapport.sorties, len(lieux)) == (33_000, 30_000, 30_000)
    assert len(rapport.groupes) == 3_000 and not rapport.probables


def test_jugements_gardes_par_bloc_entre_constructions(tmp_path, dossier_shared):
    """With the blocks' memo, a second run gives the same report without judging again; a changed
    place is judged again, in its blocks only."""
    from annuaire.build.memo import MemoCalculs

    donnees = (dossier_shared / "data" / "source.json").read_bytes()
    lieux = lire_source(donnees, Source("hinaura"), "source.json", Contexte(dt.date(2025, 1, 1))).lieux
    sans_memo = fusionner([], {"hinaura": lieux})[1]
    memo = MemoCalculs(tmp_path)
    assert fusionner([], {"hinaura": lieux}, memo)[1] == sans_memo
    memo.enregistrer()
    memo = MemoCalculs(tmp_path)
    assert fusionner([], {"hinaura": lieux}, memo)[1] == sans_memo
    assert not any(m.nouveaux for m in memo.memos.values())
    rang = next(i for i, x in enumerate(lieux) if x.id == "466")
    lieux[rang] = dataclasses.replace(lieux[rang], nom=SISLEY_2)  # now the same name as 1020
    memo = MemoCalculs(tmp_path)  # a new build: the places' digests are worked out again
    avec_memo = fusionner([], {"hinaura": lieux}, memo)[1]
    assert avec_memo == fusionner([], {"hinaura": lieux})[1] != sans_memo
    nouveaux = [cle for m in memo.memos.values() for cle in m.nouveaux]
    assert 0 < len(nouveaux) <= 2  # its postcode, and its INSEE code when it spans several


def decisions(*lignes: tuple[str, tuple[str, ...]]):
    """Reviewed decisions (content/doublons.yaml) as the build reads them."""
    from annuaire.federation.decisions import Decision, Decisions

    return Decisions([Decision(ids, decision, rang + 1) for rang, (decision, ids) in enumerate(lignes)])


def test_lieux_differents_separe_une_fiche_et_une_source_a_la_construction():
    locale, federee = local("sisley", SISLEY_2), lieu("1020", SISLEY_2)
    assert len(fusionner([locale], {"hinaura": [federee]})[0]) == 1
    lieux, rapport = fusionner(
        [locale],
        {"hinaura": [federee]},
        decisions=decisions(("lieux différents", ("sisley", "hinaura_1020"))),
    )
    assert sorted(x.id for x in lieux) == ["hinaura_1020", "sisley"] and rapport.paires == []


def test_meme_lieu_reunit_sous_le_seuil_et_un_enregistrement_importe_rejoint_sa_source():
    loin = lieu("7", "Antenne du quartier", adresse="3 place Jean Jaurès", latitude=45.43, longitude=4.40)
    locale = local("sisley", SISLEY_2)
    assert len(fusionner([locale], {"hub": [loin]})[0]) == 2
    lieux, _rapport = fusionner(
        [locale], {"hub": [loin]}, decisions=decisions(("même lieu", ("sisley", "hub_7")))
    )
    assert [x.id for x in lieux] == ["sisley"]
    importee = local("importee", "Nom importé", identifiants_sources=["hub_7"], latitude=None, longitude=None)
    lieux, _rapport = fusionner([importee], {"hub": [loin]})
    assert [x.id for x in lieux] == ["importee"]  # the snapshot of the record it was imported from
