"""Crosswalks: other frameworks as SKOS schemes and SSSOM mapping sets between them and the knowledge base."""
