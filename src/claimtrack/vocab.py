"""Controlled vocabularies: every value of every enum, with its definition.

The definitions here are the single source for the JSON Schemas (``description``)
and for the vocabulary section of the data card.
"""

from __future__ import annotations

from enum import StrEnum


class DocumentedEnum(StrEnum):
    """A string enum whose members carry a one-sentence definition."""

    definition: str

    def __new__(cls, value: str, definition: str = "") -> DocumentedEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.definition = definition
        return member

    @classmethod
    def definitions(cls) -> dict[str, str]:
        return {member.value: member.definition for member in cls}


class DocumentType(DocumentedEnum):
    ESSAY = "essay", "An argued prose piece by a named or anonymous author."
    BOOK_EXCERPT = "book-excerpt", "A passage reproduced from a published book."
    STATEMENT = "statement", "A collective text issued by a party or organisation."
    SPEECH = "speech", "A text delivered orally: a speech, lecture or presentation."
    ARTICLE = "article", "A piece published in a newspaper, magazine or journal."
    BLOG_POST = "blog-post", "A piece published on a personal or group weblog."
    COMPILATION_NOTE = "compilation-note", "An editor's note introducing reprinted material."
    CONFERENCE_PAPER = (
        "conference-paper",
        "A paper presented to a scholarly or political conference.",
    )


class ClaimType(DocumentedEnum):
    EMPIRICAL = "empirical", "An event, state or fact that happened or exists."
    QUANTITATIVE = "quantitative", "A number, count, amount, rate or date-bound measure."
    CAUSAL = "causal", "That one thing caused, motivated or explains another."
    INTERPRETIVE = "interpretive", "A reading or evaluation of people, events or texts."
    HISTORIOGRAPHICAL = (
        "historiographical",
        "About scholars, archives, sources or what the scholarship says.",
    )
    NORMATIVE = "normative", "What should be done or valued, where the text argues it."
    COUNTERFACTUAL = "counterfactual", "What would have happened under other conditions."
    PREDICTIVE = "predictive", "What will happen."


class AttributionMode(DocumentedEnum):
    ASSERTS = "asserts", "The document's author states it in their own voice."
    QUOTES = "quotes", "The document reproduces the verbatim words of another agent."
    PARAPHRASES = "paraphrases", "The document restates another agent's words without quoting."
    REPORTS = (
        "reports",
        "The document reports what another agent found, held or said (X found that...).",
    )


class DocumentStance(DocumentedEnum):
    ENDORSES = "endorses", "The document presents the claim as true or approves of it."
    NEUTRAL = "neutral", "The document records the claim without taking a position on it."
    DISPUTES = "disputes", "The document presents the claim in order to reject or mock it."


class ModalityLevel(DocumentedEnum):
    CERTAIN = "certain", "A booster marks the claim as certain (certainly, undoubtedly, in fact)."
    PROBABLE = "probable", "A hedge marks the claim as likely (probably, likely, evidently)."
    POSSIBLE = "possible", "A hedge marks the claim as possible (perhaps, may, it appears)."
    UNMARKED = "unmarked", "No hedge or booster qualifies the claim."


class EntityRole(DocumentedEnum):
    ACTOR = "actor", "The agent does or did what the claim states."
    TARGET = "target", "The claim's action is done to the agent, or the claim judges the agent."
    SUBJECT = "subject", "The claim describes the agent's identity, views or work."
    MENTIONED = "mentioned", "The agent is named in the claim without being its focus."


class CitationIntent(DocumentedEnum):
    CITES_AS_EVIDENCE = (
        "cites_as_evidence",
        "CiTO citesAsEvidence: the work is evidence for the claim.",
    )
    QUOTES_FROM = "quotes_from", "CiTO quotesFrom: the claim's span quotes the work."
    CITES_AS_AUTHORITY = (
        "cites_as_authority",
        "CiTO citesAsAuthority: the work's author is invoked as an authority.",
    )
    CITES_FOR_INFORMATION = (
        "cites_for_information",
        "CiTO citesForInformation: the work is given for further information.",
    )
    DISPUTES = "disputes", "CiTO disputes: the document disagrees with the cited work."
    CITES_AS_RELATED = (
        "cites_as_related",
        "CiTO citesAsRelated: the work is related but not evidence.",
    )


class CitationFidelity(DocumentedEnum):
    UNCHECKED = "unchecked", "Nobody has compared the claim with the cited passage."
    ACCURATE = "accurate", "The cited work says what the document says it says."
    SELECTIVE = (
        "selective",
        "The cited work says it, but the document omits context that changes its sense.",
    )
    MISQUOTED = "misquoted", "The document's quotation differs from the cited work's wording."
    NOT_IN_SOURCE = (
        "not_in_source",
        "The cited passage does not contain what the document attributes to it.",
    )


class CitationBasis(DocumentedEnum):
    """How the citation was made: by the text itself, or assigned by an annotator."""

    FOOTNOTE_MARKER = (
        "footnote_marker",
        "A footnote or endnote marker in the span points to the cited work.",
    )
    INLINE_SOURCE_LINE = (
        "inline_source_line",
        "A source line printed in the text names the work (e.g. 'Source: Health and Hygiene, April 1935').",
    )
    IN_TEXT_MENTION = (
        "in_text_mention",
        "The running text names the work or its author as the origin of what it says.",
    )
    QUOTATION_ATTRIBUTION = (
        "quotation_attribution",
        "An attribution line under or beside a block quotation names the work (e.g. '–LENIN, CW 34').",
    )
    EXCERPT_OF = (
        "excerpt_of",
        "The document is an excerpt of the work, so everything in it comes from that work.",
    )
    ANNOTATOR_ASSIGNMENT = (
        "annotator_assignment",
        "The text gives no citation at this point; an annotator linked the work from the document's bibliography by subject. Not the text's own citation.",
    )


class ResearchStatus(DocumentedEnum):
    """Where the search for scholarship on a claim stands (absence is data)."""

    LINKED = (
        "linked",
        "At least one historiography link bears on the claim (derived from the links).",
    )
    SEARCHED = (
        "searched",
        "Scholarship was searched for and nothing found that addresses the claim; the record says when and what was searched.",
    )
    NOT_CHECK_WORTHY = (
        "not_check_worthy",
        "Rhetoric, exhortation or self-reference that scholarship cannot confirm or refute; the record says why.",
    )
    PENDING = "pending", "Nobody has yet searched the scholarship for this claim."


class AgentKind(DocumentedEnum):
    PERSON = "person", "One named human being."
    ORGANIZATION = (
        "organization",
        "A named body: a party, state organ, publisher, newspaper or institution.",
    )
    COLLECTIVE = (
        "collective",
        "An unnamed group holding a view the document reports (e.g. Stalin's accusers).",
    )
    ANONYMOUS = "anonymous", "An author or speaker whom the text does not name."
    PSEUDONYMOUS = "pseudonymous", "An author known only by a pseudonym (e.g. Espresso Stalinist)."


class SourceType(DocumentedEnum):
    """CSL 1.0.2 item types used by the corpus."""

    BOOK = "book", "CSL book."
    CHAPTER = "chapter", "CSL chapter: a part of a book."
    ARTICLE_JOURNAL = "article-journal", "CSL article-journal: a scholarly journal article."
    ARTICLE_MAGAZINE = "article-magazine", "CSL article-magazine."
    ARTICLE_NEWSPAPER = "article-newspaper", "CSL article-newspaper."
    MANUSCRIPT = "manuscript", "CSL manuscript: an archival item or unpublished text."
    LETTER = "letter", "CSL letter."
    SPEECH = "speech", "CSL speech: a talk, report or address."
    REPORT = "report", "CSL report, including stenographic reports of congresses."
    LEGISLATION = "legislation", "CSL legislation: a constitution, law or decree."
    INTERVIEW = "interview", "CSL interview."
    PAPER_CONFERENCE = "paper-conference", "CSL paper-conference."
    WEBPAGE = "webpage", "CSL webpage."
    POST_WEBLOG = "post-weblog", "CSL post-weblog."
    DOCUMENT = "document", "CSL document: any other item."
    PERIODICAL = "periodical", "CSL periodical: an issue or run of a journal or magazine."
    THESIS = "thesis", "CSL thesis."


class HistoriographyRelation(DocumentedEnum):
    SUPPORTS = "supports", "The work presents evidence or argument for the claim."
    CONTRADICTS = "contradicts", "The work presents evidence or argument against the claim."
    QUALIFIES = (
        "qualifies",
        "The work accepts part of the claim and limits or corrects another part.",
    )
    CONTEXTUALIZES = (
        "contextualizes",
        "The work gives context needed to weigh the claim without judging it.",
    )


class VerificationLevel(DocumentedEnum):
    UNVERIFIED = "unverified", "Entered from memory; nobody has checked the reference."
    BIBLIOGRAPHIC = (
        "bibliographic",
        "The work exists as cited (author, title, year, publisher), confirmed at evidence_url.",
    )
    CONTENT = (
        "content",
        "The work's position on this point is confirmed from the work or a scholarly review.",
    )


class ClaimRelationType(DocumentedEnum):
    SAME_PROPOSITION = "same_proposition", "Both claims assert the same proposition."
    SUPPORTS = "supports", "The first claim is offered as evidence for the second."
    CONTRADICTS = "contradicts", "The claims cannot both be true."
    ELABORATES = "elaborates", "The first claim adds detail to the second."


class TableName(DocumentedEnum):
    DOCUMENTS = "documents", "Texts of the corpus."
    CLAIMS = "claims", "Attributed assertions in the documents."
    SOURCES = "sources", "Bibliographic items cited by documents or historiography links."
    AGENTS = "agents", "Persons, organisations and collectives."
    TOPICS = "topics", "The controlled topic vocabulary."
    HISTORIOGRAPHY = "historiography", "Links from scholarly works to claims."
    CLAIM_RELATIONS = "claim_relations", "Typed links between claims."
    PROPOSITIONS = (
        "propositions",
        "Clusters of claims joined by same_proposition relations (derived).",
    )
    TOMBSTONES = "tombstones", "Released ids that were removed."


ALL_VOCABULARIES: tuple[type[DocumentedEnum], ...] = (
    DocumentType,
    ClaimType,
    AttributionMode,
    DocumentStance,
    ModalityLevel,
    EntityRole,
    CitationIntent,
    CitationFidelity,
    CitationBasis,
    ResearchStatus,
    AgentKind,
    SourceType,
    HistoriographyRelation,
    VerificationLevel,
    ClaimRelationType,
    TableName,
)
