"""The models of the app label `congresses`: terms and congresses (`congresses.py`) and
committee posts and delegates (`committees.py`) here; elections and resolutions in their
packages, imported below so that Django registers them under the same app label and its
migration history stays one."""

import congresses.elections.models
import congresses.resolutions.models  # noqa: F401 - both imported to register their models
from congresses.models.committees import (
    Delegate,
    DelegateKind,
    FirstMeeting,
    ObtainedBy,
    Post,
    PostEnd,
    PostKind,
    PostQuerySet,
)
from congresses.models.congresses import (
    Body,
    BodyMember,
    Congress,
    CongressKind,
    CongressStatus,
    Document,
    DocumentKind,
    Guest,
    Term,
    document_path,
)
from congresses.models.querysets import CongressQuerySet, TermQuerySet

__all__ = [
    "Body",
    "BodyMember",
    "Congress",
    "CongressKind",
    "CongressQuerySet",
    "CongressStatus",
    "Delegate",
    "DelegateKind",
    "Document",
    "DocumentKind",
    "FirstMeeting",
    "Guest",
    "ObtainedBy",
    "Post",
    "PostEnd",
    "PostKind",
    "PostQuerySet",
    "Term",
    "TermQuerySet",
    "document_path",
]
