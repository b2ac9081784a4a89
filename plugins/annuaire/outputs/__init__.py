"""Outputs: records into files (national CSV and JSON, GeoJSON, Atom, map and open-now data)."""
