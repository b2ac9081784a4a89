"""Federation: importing files of the national standard, sources, duplicates and merge."""
