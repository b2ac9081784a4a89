"""The Nancy test territory's settings: the only things that differ from another territory."""

ANNUAIRE = {
    "nom": "Annuaire du numérique solidaire",
    "territoire": "Métropole du Grand Nancy",
    "slogan": "Trouver de l'aide pour le numérique dans le Grand Nancy",
    "url_publique": "https://nancy.exemple.org",
    "depot_url": "https://github.com/exemple/annuaire-nancy",
    "carte_centre": (48.6921, 6.1844),
    "carte_zoom": 12,
    "exemple_recherche": "démarches, smartphone, Vandœuvre",
    "exemple_commune": "54000 ou Nancy",
    "couleurs": {"principale": "#6a1b4d", "principale_fonce": "#3d0f2c", "accent": "#1d5e2f"},
    "communes": ["Nancy", "Vandœuvre-lès-Nancy"],
}
