"""The site plan: which pages, which URLs, which data each page shows."""
