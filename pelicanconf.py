"""Settings of the Saint-Étienne directory (plain data: no logic, no imports of ours)."""

AUTHOR = "Annuaire de la médiation numérique"
SITENAME = "Annuaire de la médiation numérique – Saint-Étienne"
SITEURL = ""
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["annuaire"]

# Pelican renders only content/pages/; places and networks are rendered by the annuaire plugin.
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = []
STATIC_PATHS = []
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DIRECT_TEMPLATES = []
ARTICLE_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
RELATIVE_URLS = False
CACHE_CONTENT = False
SLUGIFY_SOURCE = "basename"

# Autoescape: every value from an entry is escaped unless a template says otherwise.
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}

# The territory: everything specific to Saint-Étienne is here and in content/.
ANNUAIRE = {
    "nom": "Annuaire de la médiation numérique",
    "territoire": "Saint-Étienne",
    "slogan": "Où trouver de l'aide pour utiliser un ordinateur, un téléphone ou internet",
    # Empty: the GitHub Pages address and the repository of the checkout (GITHUB_REPOSITORY in
    # Actions, the `origin` git remote locally), else http://localhost:8000 and no edit links.
    "url_publique": "",
    "depot_url": "",
    "carte_centre": (45.4397, 4.3872),
    "carte_zoom": 13,
    "exemple_recherche": "démarches, smartphone, Montreynaud",
    "exemple_commune": "42100 ou Saint-Étienne",
    "couleurs": {"principale": "#0b5394", "principale_fonce": "#073763", "accent": "#b8410f"},
    "communes": ["Saint-Étienne"],
    # Imports and sources: nominative e-mails and personal mobiles are not published (CONTRIBUTING.md).
    "contacts_personnels": False,
    # Imports and sources: records that offer no digital-mediation service are not imported.
    "hors_perimetre": False,
}

# Federated sources (see README, « Données ouvertes »). Empty: the directory holds only its entries.
ANNUAIRE_SOURCES = []
