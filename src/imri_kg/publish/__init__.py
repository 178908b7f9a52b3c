"""Publishing: exports in every RDF format, the dataset description, HTML docs, regenerated tables, the release."""
