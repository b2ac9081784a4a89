"""Validation: records into problems (file, line, field, message), and the quality report."""
