"""Search: the Pagefind index of the built sheets."""
