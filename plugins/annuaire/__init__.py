"""The directory of digital-mediation places: domain code, and its Pelican plugin entry point.

The domain modules (model, loading, validation, horaires, exports, federation, directory) never
import Pelican. Pelican calls `register()`, which loads the thin glue only then.
"""


def register() -> None:
    """Pelican plugin hook: connect the directory's generator and signals."""
    from annuaire.build.pelican_glue import connecter

    connecter()
