"""Importers: read_<source>(path, ...) -> graph, here the reviewers' coding sheets."""
