"""The domain: fields, model, vocabularies, opening hours, text and formats (plain Python)."""
