"""Loading: entry files into records, with the line of every value."""
