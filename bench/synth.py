"""Deterministic synthetic evidence for benchmarks: studies, themes, groups and coded items with quotes and citations.

Usage: python bench/synth.py TRIPLES OUT.nq [--seed 9]
Writes about TRIPLES quads as N-Quads into the graph <https://w3id.org/imri/graph/synthetic>, shaped like the
knowledge base (imri:Example with innovation group, theme and citation; imri:Quote with stakeholder group and
text; studies, citations, document parts; the theme -> group links a reasoner infers), so that the library
questions run on it unchanged. The same seed and size give the same bytes. All of it is made up: IRIs are under
<https://w3id.org/imri/synthetic/> and every label says "synthetic".
"""

import argparse
import random
from pathlib import Path

B = "https://w3id.org/imri/"
S = B + "synthetic/"
GRAPH = f"<{B}graph/synthetic>"
IMRI = "https://w3id.org/imri/ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
DERIVED = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
PART_OF = "<http://purl.org/dc/terms/isPartOf>"
THEMES, GROUPS, STAKEHOLDERS = 40, 25, 7
WORDS = ("staff", "recovery", "peer", "training", "service", "policy", "family", "planning", "support", "role",
         "information", "resources", "turnover", "commitment", "relationships", "navigation", "college", "hope")
TRIPLES_PER_ITEM = 10  # about what one coded item adds below (an example, every other one with a quote)


def _i(local: str) -> str:
    return f"<{S}{local}>"


def _p(name: str) -> str:
    return f"<{IMRI}{name}>"


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@en'


def write_synthetic(path: Path, triples: int, *, seed: int = 9) -> int:
    """Write about `triples` quads to `path`; returns the exact number written."""
    rng = random.Random(seed)
    items = max(1, triples // TRIPLES_PER_ITEM)
    studies = max(5, items // 50)
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        def emit(s: str, p: str, o: str) -> None:
            nonlocal n
            out.write(f"{s} {p} {o} {GRAPH} .\n")
            n += 1

        for kind, count, cls in (("theme", THEMES, "Theme"), ("group", GROUPS, "InnovationGroup"),
                                 ("stakeholder-group", STAKEHOLDERS, "StakeholderGroup")):
            for k in range(count):
                emit(_i(f"{kind}/{k}"), RDF_TYPE, _p(cls))
                emit(_i(f"{kind}/{k}"), LABEL, _lit(f"Synthetic {kind.replace('-', ' ')} {k}"))
        for k in range(studies):
            study = _i(f"study/{k}")
            emit(study, RDF_TYPE, _p("PrimaryStudy"))
            emit(study, LABEL, _lit(f"Synthetic study {k}"))
            emit(study, _p("innovationGroup"), _i(f"group/{k % GROUPS}"))
            emit(_i(f"study/{k}/results"), PART_OF, study)
            emit(_i(f"citation/{k}"), _p("referenceNumber"), f'"{k}"^^<http://www.w3.org/2001/XMLSchema#integer>')
        spans: set[tuple[int, int]] = set()
        for k in range(items):
            ev = _i(f"evidence/{k}")
            theme = min(int(rng.paretovariate(1.2)) - 1, THEMES - 1)  # a few themes carry most evidence
            group = rng.randrange(GROUPS)
            study = rng.randrange(studies)
            words = " ".join(rng.choice(WORDS) for _ in range(12))
            emit(ev, RDF_TYPE, _p("Example"))
            emit(ev, _p("innovationGroup"), _i(f"group/{group}"))
            emit(ev, _p("theme"), _i(f"theme/{theme}"))
            emit(ev, _p("citation"), _i(f"citation/{study}"))
            emit(ev, _p("text"), _lit(f"Synthetic coded item {k}: {words}."))
            emit(ev, DERIVED, _i(f"study/{study}/results"))
            emit(_i(f"theme/{theme}"), _p("hasEvidence"), ev)
            spans.add((theme, group))
            if k % 2 == 0:
                quote = _i(f"quote/{k}")
                emit(quote, RDF_TYPE, _p("Quote"))
                emit(quote, _p("stakeholderGroup"), _i(f"stakeholder-group/{rng.randrange(STAKEHOLDERS)}"))
                emit(quote, _p("text"), _lit(f"Synthetic quote {k}: {words}"))
                emit(quote, _p("about"), ev)
                emit(quote, DERIVED, _i(f"study/{study}/results"))
                emit(quote, _p("citation"), _i(f"citation/{study}"))
        for theme, group in sorted(spans):
            emit(_i(f"theme/{theme}"), _p("spansGroup"), _i(f"group/{group}"))
    return n


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("triples", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    print(write_synthetic(args.out, args.triples, seed=args.seed))
