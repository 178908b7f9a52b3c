"""Evidence networks and figures: networkx views of the knowledge base, their metrics, exports and plots."""
