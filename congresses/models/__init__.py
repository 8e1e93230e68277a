"""Models of terms, congresses and committees (congresses.py) and of elections
(elections.py)."""

from .congresses import (
    Body,
    BodyMember,
    Congress,
    CongressKind,
    CongressQuerySet,
    CongressStatus,
    Delegate,
    DelegateKind,
    Document,
    DocumentKind,
    Guest,
    ObtainedBy,
    Post,
    PostEnd,
    PostKind,
    PostQuerySet,
    Term,
    TermQuerySet,
    document_path,
)
from .elections import (
    Candidate,
    Decision,
    Denominator,
    Election,
    ElectionKind,
    ElectionQuerySet,
    ElectionStatus,
    Elector,
    Round,
    RoundVote,
    RulePreset,
    Threshold,
    TieBreak,
)

__all__ = [
    "Body", "BodyMember", "Candidate", "Congress", "CongressKind", "CongressQuerySet",
    "CongressStatus", "Decision", "Delegate", "DelegateKind", "Denominator", "Document",
    "DocumentKind", "Election", "ElectionKind", "ElectionQuerySet", "ElectionStatus", "Elector",
    "Guest", "ObtainedBy", "Post", "PostEnd", "PostKind", "PostQuerySet", "Round", "RoundVote",
    "RulePreset", "Term", "TermQuerySet", "Threshold", "TieBreak", "document_path",
]  # fmt: skip
