"""The JSON API of elections under /api/v1/elections/: set an election up with its ballot,
load a round's counts from counting software, record the congress's decisions, read the
result and certify it.

Same scope rules as the rest of the API (congresses.api): lists hold the caller's readable
subtrees, the member role lists nothing; an election outside them answers 404, one within
them but beyond the caller's role 403. Every write goes through the services
(congresses.elections.services, .rounds, .certification) with the fields they take: their refusals
are 400s with their messages under the API's field names, and a change the election cannot
take in its state (certified, recognised, waiting for a decision, complete, or a stale
`version`) is a 409. The result is congresses.elections.results.outcome, as the pages show it."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from congresses.elections import certification, rounds, services
from congresses.elections.models import Candidate, Election, ElectionKind, ElectionStatus, Round
from congresses.elections.result_serializers import ResultSerializer
from congresses.elections.results import outcome
from congresses.elections.serializers import (
    CandidateSerializer,
    CertifySerializer,
    DecideSerializer,
    ElectionSerializer,
    NewCandidateSerializer,
    ReopenSerializer,
    RoundSerializer,
    election_errors,
)
from members.models import Branch
from unionrec.api import IdFilter, ScopedViewSet, expected_version, in_subtree, path_id, unchanged

CONFLICT = OpenApiResponse(
    description="The election cannot take the change in its present state (certified, "
    "recognised, its day not come yet, waiting for a decision, complete) or was changed "
    "meanwhile (a stale version)."
)
VERSION_QUERY = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=False,
    description="The election's version the request was made from: a stale one answers 409.",
)
CANDIDATE_PATH = OpenApiParameter(
    "candidate", OpenApiTypes.INT, OpenApiParameter.PATH, description="The candidate's id."
)
ROUND_PATH = OpenApiParameter(
    "number",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="The round's number; only the last round can change.",
)
ROUND_ERRORS = (
    "Refusals of the counts are 400s under the field they concern (issued, collected, "
    "invalid, blank, votes); a candidate's votes under votes → {candidate id: [messages]}, "
    "with messages about the votes as a whole under votes → non_field_errors. An unknown "
    "name is refused by its position in the list: votes → {position: {name: [...]}}."
)


class ElectionFilter(django_filters.FilterSet):  # type: ignore[misc]
    congress = IdFilter(field_name="congress")
    branch = django_filters.CharFilter(method="in_branch", label=_("branch code (its subtree)"))
    kind = django_filters.ChoiceFilter(choices=ElectionKind.choices)
    status = django_filters.MultipleChoiceFilter(choices=ElectionStatus.choices)

    class Meta:
        model = Election
        fields = ["congress", "branch", "kind", "status"]

    def in_branch(self, queryset: QuerySet[Election], name: str, value: str) -> QuerySet[Election]:
        return in_subtree(self.request, queryset, value, "congress__term__branch__path")


def _ballot(data: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The ballot as sent, to compare with the stored one."""
    return [
        (getattr(c.get("member"), "pk", None), c.get("person_name", ""), c.get("gender", ""))
        for c in data
    ]


class ElectionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ScopedViewSet,
):
    """Elections of congresses (or of their new executive committee's first meeting) in the
    caller's readable subtrees; secretaries set them up, enter the rounds and certify them."""

    model = Election
    serializer_class = ElectionSerializer
    filterset_class = ElectionFilter
    conflicts = True  # every write: election_errors' 409 (unionrec.schema)
    branch_path = "congress__term__branch__path"

    def base_queryset(self) -> QuerySet[Election]:
        ballot = Prefetch("candidates", queryset=Candidate.objects.order_by("sort_key", "id"))
        return (
            Election.objects.select_related("congress__term__branch")
            .prefetch_related(ballot)
            .order_by("id")
        )

    def branch_of(self, obj: Election) -> Branch:
        return obj.congress.term.branch

    def _result(self, pk: int) -> dict[str, Any]:
        return ResultSerializer(outcome(self.fresh(pk))).data

    def _detail(self, pk: int) -> dict[str, Any]:
        context = self.get_serializer_context()
        return ElectionSerializer(self.fresh(pk), context=context).data

    # --- The setup ------------------------------------------------------------------------

    def perform_create(self, serializer: ElectionSerializer) -> None:  # type: ignore[override]
        """The election and its ballot in one transaction: a refused candidate (reported
        by position, as DRF reports a list: candidates → {"1": {member: [...]}}) leaves no
        election behind."""
        data = dict(serializer.validated_data)
        data.pop("version", None)
        ballot = data.pop("candidates", [])
        by = self.request.user
        with transaction.atomic():
            with election_errors():
                election = services.create_election(by=by, **data)
            for position, candidate in enumerate(ballot):
                try:
                    with election_errors():
                        services.add_candidate(election=election, by=by, **candidate)
                except ValidationError as error:
                    detail = {"candidates": {str(position): error.detail}}
                    raise ValidationError(detail) from None
        serializer.instance = self.fresh(election.pk)

    def perform_update(self, serializer: ElectionSerializer) -> None:  # type: ignore[override]
        """The setup through update_election (fields left out keep their values); the
        ballot changes through candidates/ only."""
        election = serializer.instance
        assert election is not None
        data = dict(serializer.validated_data)
        unchanged(serializer, data, "congress")
        current = [(c.member_id, c.person_name, c.gender) for c in election.candidates.all()]
        if "candidates" in data and _ballot(data.pop("candidates")) != current:
            raise ValidationError(
                {"candidates": [_("Add or remove candidates through candidates/.")]}
            )
        version = data.pop("version", None)
        with election_errors():
            services.update_election(
                election=election, expected_version=version, by=self.request.user, **data
            )
        serializer.instance = self.fresh(election.pk)

    @extend_schema(responses={204: None, 409: CONFLICT})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete an election never certified, with its ballot and rounds."""
        election = self.get_object()
        with election_errors():
            services.delete_election(election=election, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=NewCandidateSerializer, responses={201: CandidateSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"], url_path="candidates")
    def add_candidate(self, request: Request, pk: str) -> Response:
        """Add a name to the ballot (before the first round): a member by id, or someone
        named."""
        election = self.get_object()
        body = NewCandidateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("version", None)
        with election_errors():
            candidate = services.add_candidate(
                election=election, expected_version=version, by=request.user, **data
            )
        context = self.get_serializer_context()
        return Response(CandidateSerializer(candidate, context=context).data, status=201)

    @extend_schema(
        parameters=[CANDIDATE_PATH, VERSION_QUERY],
        request=None,
        responses={204: None, 409: CONFLICT},
    )
    @action(detail=True, methods=["delete"], url_path=r"candidates/(?P<candidate>[^/.]+)")
    def remove_candidate(self, request: Request, pk: str, candidate: str) -> Response:
        """Take a name off the ballot (before the first round)."""
        election = self.get_object()
        found = election.candidates.filter(pk=path_id(candidate)).first()
        if found is None:
            raise Http404
        version = expected_version(request.query_params)
        with election_errors():
            services.remove_candidate(candidate=found, expected_version=version, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- Rounds and decisions -------------------------------------------------------------

    @extend_schema(
        request=RoundSerializer,
        responses={201: ResultSerializer, 409: CONFLICT},
        description="Enter the next round's counts; the answer is the result after it. "
        + ROUND_ERRORS,
    )
    @action(detail=True, methods=["post"], url_path="rounds")
    def enter_round(self, request: Request, pk: str) -> Response:
        election = self.get_object()
        data = self._counts(request, election)
        version = data.pop("version", None)
        with election_errors():
            rounds.enter_round(election=election, expected_version=version, by=request.user, **data)
        return Response(self._result(election.pk), status=201)

    def _counts(
        self, request: Request, election: Election, stored: Round | None = None
    ) -> dict[str, Any]:
        """The counts of the body; for a PATCH of `stored`, its stored counts and votes where
        the body leaves them out."""
        partial = stored is not None and request.method == "PATCH"
        context = {"request": request, "election": election}
        body = RoundSerializer(data=request.data, partial=partial, context=context)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if partial:
            assert stored is not None
            before = {v.candidate_id: v.votes for v in stored.votes.all()}
            data["votes"] = before | data.get("votes", {})
            for name in ("issued", "collected", "valid", "invalid", "blank"):
                data.setdefault(name, getattr(stored, name))
        return data

    @extend_schema(
        methods=["PUT", "PATCH"],
        parameters=[ROUND_PATH],
        request=RoundSerializer,
        responses={200: ResultSerializer, 409: CONFLICT},
        description="Correct the last round's counts (PATCH: only those given, the others "
        "stay); the answer is the result after it. " + ROUND_ERRORS,
    )
    @action(detail=True, methods=["put", "patch"], url_path=r"rounds/(?P<number>[^/.]+)")
    def correct_round(self, request: Request, pk: str, number: str) -> Response:
        election = self.get_object()
        stored = election.rounds.filter(number=path_id(number)).first()
        if stored is None:
            raise Http404
        data = self._counts(request, election, stored)
        version = data.pop("version", None)
        with election_errors():
            rounds.correct_round(round=stored, expected_version=version, by=request.user, **data)
        return Response(self._result(election.pk))

    @extend_schema(
        parameters=[ROUND_PATH, VERSION_QUERY],
        request=None,
        responses={204: None, 409: CONFLICT},
    )
    @correct_round.mapping.delete
    def delete_round(self, request: Request, pk: str, number: str) -> Response:
        """Delete the last round (entered by mistake); the step before it is due again."""
        election = self.get_object()
        stored = election.rounds.filter(number=path_id(number)).first()
        if stored is None:
            raise Http404
        version = expected_version(request.query_params)
        with election_errors():
            rounds.delete_round(round=stored, expected_version=version, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=DecideSerializer, responses={200: ResultSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """Record what the congress decided after the last round: vote again for the open
        seats, leave them vacant, or who drew the seats by lot."""
        election = self.get_object()
        body = DecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("version", None)
        with election_errors():
            rounds.record_decision(
                election=election, expected_version=version, by=request.user, **data
            )
        return Response(self._result(election.pk))

    @extend_schema(responses=ResultSerializer)
    @action(detail=True, methods=["get"])
    def result(self, request: Request, pk: str) -> Response:
        """Where the election stands: each round's count, the elected in the order they won
        their seats, the vacancies, and what is due next."""
        return Response(ResultSerializer(outcome(self.get_object())).data)

    # --- Certification ----------------------------------------------------------------------

    @extend_schema(request=CertifySerializer, responses={200: ElectionSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def certify(self, request: Request, pk: str) -> Response:
        """entered → certified on `certified_on` (today by default; a 400 under certified_on
        for a day before the election or in the future): the result becomes read-only and
        sealed with a digest; the elected hold their posts (or delegate seats) from the
        election day. A result is certified only once the count is complete and the
        election's day has come (409 otherwise)."""
        election = self.get_object()
        body = CertifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with election_errors():
            certification.certify(
                election=election,
                certified_on=body.validated_data.get("certified_on"),
                by=request.user,
                expected_version=body.validated_data.get("version"),
            )
        return Response(self._detail(election.pk))

    @extend_schema(request=ReopenSerializer, responses={200: ElectionSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        """certified → entered, for a correction: administrators only, with a reason kept in
        the history."""
        election = self.get_object()
        body = ReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with election_errors():
            certification.reopen(election=election, by=request.user, **body.validated_data)
        return Response(self._detail(election.pk))
