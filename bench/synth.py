"""Deterministic synthetic evidence for benchmarks: studies, themes, groups and coded items with quotes and citations.

Usage: python bench/synth.py TRIPLES OUT.nq [--seed 9] [--shape kb|project]
Writes about TRIPLES quads as N-Quads into the graph <https://w3id.org/imri/graph/synthetic>, shaped like the
knowledge base (imri:Example with innovation group, theme and citation; imri:Quote with stakeholder group and
text; studies, citations, document parts; the theme -> group links a reasoner infers; the project its records come
from: a synthetic review cites every citation, and it and every study are prov:wasDerivedFrom the project, as the
papers' views state theirs), so that the library questions run on it unchanged and answer under project "synthetic". The same seed and size give the same bytes. All of it is made up: IRIs are under
<https://w3id.org/imri/synthetic/> and every label says "synthetic".

`--shape project` writes a review project instead (examples/README.md): the project `synthetic` in the graph
<https://w3id.org/imri/graph/project/synthetic/data>, with a two-level codebook (themes with subthemes), two case
dimensions (group, site), studies with DOIs under the test prefix 10.5555, and coded excerpts with one or two
subtheme codes, one case per dimension and one to three cited studies, for the matrix benchmark.
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
        project, review = f"<{B}project/synthetic-kb>", _i("review")
        emit(project, RDF_TYPE, _p("ReviewProject"))
        emit(project, "<http://purl.org/dc/terms/identifier>", '"synthetic"')
        emit(review, DERIVED, project)
        for k in range(studies):
            study = _i(f"study/{k}")
            emit(study, RDF_TYPE, _p("PrimaryStudy"))
            emit(study, DERIVED, project)
            emit(study, LABEL, _lit(f"Synthetic study {k}"))
            emit(study, _p("innovationGroup"), _i(f"group/{k % GROUPS}"))
            emit(_i(f"study/{k}/results"), PART_OF, study)
            emit(_i(f"citation/{k}"), _p("referenceNumber"), f'"{k}"^^<http://www.w3.org/2001/XMLSchema#integer>')
            emit(_i(f"citation/{k}"), "<http://purl.org/spar/cito/hasCitingEntity>", review)
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


PROJECT_THEMES, SUBTHEMES, PROJECT_GROUPS, SITES = 40, 3, 25, 12
TRIPLES_PER_EXCERPT = 8  # about what one excerpt adds below (7.8 measured)


def write_synthetic_project(path: Path, triples: int, *, seed: int = 9) -> int:
    """Write about `triples` quads of one synthetic review project to `path`; returns the exact number written."""
    rng = random.Random(seed)
    p = f"{B}project/synthetic"
    graph = f"<{B}graph/project/synthetic/data>"
    excerpts = max(1, triples // TRIPLES_PER_EXCERPT)
    studies = max(5, excerpts // 50)
    skos = "http://www.w3.org/2004/02/skos/core#"
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        def emit(s: str, pred: str, o: str) -> None:
            nonlocal n
            out.write(f"{s} {pred} {o} {graph} .\n")
            n += 1

        def node(local: str) -> str:
            return f"<{p}/{local}>" if local else f"<{p}>"

        proj = node("")
        emit(proj, RDF_TYPE, _p("ReviewProject"))
        emit(proj, "<http://www.w3.org/2000/01/rdf-schema#label>", _lit("Synthetic review project"))
        emit(proj, _p("fictional"), '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>')
        for level in ("theme", "subtheme"):
            emit(node(f"level/{level}"), RDF_TYPE, _p("CodeLevel"))
            emit(node(f"level/{level}"), "<http://www.w3.org/2000/01/rdf-schema#label>", f'"{level}"')
            emit(node(f"level/{level}"), _p("project"), proj)
        for t in range(PROJECT_THEMES):
            for sub in [None, *range(SUBTHEMES)]:
                code = node(f"code/t{t}" if sub is None else f"code/t{t}.{sub}")
                emit(code, RDF_TYPE, _p("Code"))
                emit(code, f"<{skos}prefLabel>", _lit(f"Synthetic {'theme' if sub is None else 'subtheme'} {t}"
                                                      + ("" if sub is None else f".{sub}")))
                emit(code, _p("codeLevel"), node("level/theme" if sub is None else "level/subtheme"))
                emit(code, _p("project"), proj)
                if sub is not None:
                    emit(code, f"<{skos}broader>", node(f"code/t{t}"))
        for dim, count in (("group", PROJECT_GROUPS), ("site", SITES)):
            emit(node(f"dimension/{dim}"), RDF_TYPE, _p("CaseDimension"))
            emit(node(f"dimension/{dim}"), "<http://www.w3.org/2000/01/rdf-schema#label>", _lit(f"Synthetic {dim}"))
            emit(node(f"dimension/{dim}"), _p("project"), proj)
            for k in range(count):
                case = node(f"case/{dim}/{k}")
                emit(case, RDF_TYPE, _p("Case"))
                emit(case, f"<{skos}inScheme>", node(f"dimension/{dim}"))
                emit(case, f"<{skos}prefLabel>", _lit(f"Synthetic {dim} {k}"))
                emit(case, _p("project"), proj)
        for k in range(studies):
            study = node(f"study/s{k}")
            emit(study, RDF_TYPE, _p("Study"))
            emit(study, _p("referenceNumber"), f'"{k + 1}"^^<http://www.w3.org/2001/XMLSchema#integer>')
            emit(study, "<http://purl.org/dc/terms/bibliographicCitation>",
                 f'"Synthetic A ({2000 + k % 25}). Synthetic study {k}. doi:10.5555/synthetic.{k}"')
            emit(study, "<http://purl.org/ontology/bibo/doi>", f'"10.5555/synthetic.{k}"')
            emit(study, _p("project"), proj)
            emit(node(f"case/group/{k % PROJECT_GROUPS}"), _p("includedStudy"), study)
        for k in range(excerpts):
            ex = node(f"excerpt/x{k}")
            theme = min(int(rng.paretovariate(1.2)) - 1, PROJECT_THEMES - 1)  # a few themes carry most evidence
            emit(ex, RDF_TYPE, _p("CodedExcerpt"))
            emit(ex, _p("code"), node(f"code/t{theme}.{rng.randrange(SUBTHEMES)}"))
            if k % 3 == 0:
                emit(ex, _p("code"), node(f"code/t{rng.randrange(PROJECT_THEMES)}.{rng.randrange(SUBTHEMES)}"))
            emit(ex, _p("case"), node(f"case/group/{rng.randrange(PROJECT_GROUPS)}"))
            emit(ex, _p("case"), node(f"case/site/{rng.randrange(SITES)}"))
            for _ in range(1 + (k % 4 == 0) + (k % 8 == 0)):
                emit(ex, "<http://purl.org/spar/cito/cites>", node(f"study/s{rng.randrange(studies)}"))
            words = " ".join(rng.choice(WORDS) for _ in range(12))
            emit(ex, _p("text"), _lit(f"Synthetic excerpt {k}: {words}."))
            emit(ex, _p("project"), proj)
    return n


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("triples", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--shape", choices=("kb", "project"), default="kb")
    args = parser.parse_args()
    write = write_synthetic_project if args.shape == "project" else write_synthetic
    print(write(args.out, args.triples, seed=args.seed))
