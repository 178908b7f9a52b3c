"""Vocabularies: the closed IMRI namespace (checked against ontology/imri.ttl by a test) and the borrowed ones."""

from pyoxigraph import NamedNode

ONTOLOGY_IRI = "https://w3id.org/imri/ontology"


class _Namespace:
    """A namespace whose terms are NamedNodes: `SKOS.prefLabel`."""

    def __init__(self, iri: str) -> None:
        self.iri = iri

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return NamedNode(self.iri + name)


class _ClosedNamespace(_Namespace):
    """A namespace that refuses terms it does not define, so a typo fails at once."""

    def __init__(self, iri: str, terms: str) -> None:
        super().__init__(iri)
        self.terms = frozenset(terms.split())

    def __getattr__(self, name: str) -> NamedNode:
        if name not in self.terms:
            raise AttributeError(f"{name} is not a term of the imri ontology")
        return NamedNode(self.iri + name)


IMRI = _ClosedNamespace(ONTOLOGY_IRI + "#", """
    RecoveryInnovation InnovationType InnovationGroup Theme CFIRDomain CFIRConstruct Impact ImpactCategory
    ImpactScope StakeholderGroup Study PrimaryStudy Review DocumentPart SourcePart Reference Citation Site ParticipantCount
    PrintedTotal SharedParticipant TableNote InterviewQuestion CodedEvidence Example Quote EditorialNote
    theme hasEvidence innovationGroup spansGroup impact innovationType stakeholderGroup site citation cfirDomain
    codedToConstruct category scope includedStudy addedBy hasNote appearsIn countedInTotalOf totalOf about
    text asPrinted codesAsPrinted namedIn referenceNumber participants notApplicable number order synthesised province serviceKind
    fundingModel implementationStatus status confidence basis scopeConfidence scopeBasis possibleScope
    ReviewProject Codebook Code CodeLevel CodeAttribute CaseDimension Case CaseAttribute CodedExcerpt ProjectDocument
    ProjectImport RecordCount project codebook caseDimension codeLevel code case recordCount citationKey venue
    location startPosition endPosition sourceDocument color codable guid fictional countBefore countAfter
    ReviewFinding AppraisalTool DesignCategory AppraisalCriterion AnswerOption Appraisal AppraisalAnswer
    CERQualComponent ConcernLevel ConfidenceLevel CERQualAssessment ComponentAssessment statement synthesises
    namedStudy contributingStudy appraisedStudy appraisalTool designCategory hasAnswer criterion answer answerScale
    assessedFinding componentAssessment component concern overallConfidence explanation agreed
    FindingEvidence finding evidenceDigest AttributeVocabulary AttributeValue valueConcept
    GuideQuestion addedTo addedUnder underTopConcept
""")

RDF = _Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = _Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = _Namespace("http://www.w3.org/2002/07/owl#")
XSD = _Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = _Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = _Namespace("http://www.w3.org/ns/prov#")
DCTERMS = _Namespace("http://purl.org/dc/terms/")
BIBO = _Namespace("http://purl.org/ontology/bibo/")
CITO = _Namespace("http://purl.org/spar/cito/")

PREFIXES = {
    "imri": IMRI.iri, "rdf": RDF.iri, "rdfs": RDFS.iri, "owl": OWL.iri, "xsd": XSD.iri, "skos": SKOS.iri,
    "prov": PROV.iri, "dcterms": DCTERMS.iri, "bibo": BIBO.iri, "cito": CITO.iri,
}
