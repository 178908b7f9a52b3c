"""SHACL validation: shapes files -> the report of one engine run over the whole data graph -> one Report type
(new records are checked in slices with what they reach of the store: slices.py).

`validate_records` is the one path that `imri-kg validate`, `imri-kg import` and the web upload take; the W3C
SHACL Core suite runs through it (tests/conformance/). `validate_graph` checks a whole store (`imri-kg check`).
"""

from imri_kg.validation.engines import ENGINES, run_pyshacl, run_rust, to_results
from imri_kg.validation.records import to_rdflib, validate_graph, validate_records
from imri_kg.validation.results import Report, Result, empty_report, to_report_graph
from imri_kg.validation.shapes import (
                                       SHAPES_DIR,
                                       SHAPES_NS,
                                       Shapes,
                                       project_shapes,
                                       read_shapes,
                                       shapes_graph,
                                       to_shapes,
)

__all__ = ["ENGINES", "SHAPES_DIR", "SHAPES_NS", "Report", "Result", "Shapes", "empty_report", "project_shapes",
           "read_shapes", "run_pyshacl", "run_rust", "shapes_graph", "to_rdflib", "to_report_graph", "to_results",
           "to_shapes", "validate_graph", "validate_records"]
