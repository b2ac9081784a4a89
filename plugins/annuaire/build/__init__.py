"""The build layer: Pelican glue, caches, processes, publication, incremental index."""
