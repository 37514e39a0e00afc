"""From source documents to typed records: manifest, parsers, normalisation."""
