"""The knowledge graph: resolution, merging, RDF, validation, dumps and the CLI."""
