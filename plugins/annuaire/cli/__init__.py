"""The command line: python -m annuaire validate | build | nouveau | rapport | import | sync."""
