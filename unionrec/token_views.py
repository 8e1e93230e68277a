"""The API's token endpoints (unionrec.tokens): issue a token for a username and password,
revoke the token a request sends, list a user's tokens and revoke one of them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import lockout, tokens
from .api import path_id
from .models import ApiToken


class IssuedTokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text=_("The key: send it as `Authorization: Token KEY`."))
    expires_at = serializers.DateTimeField(
        help_text=_("When the token ends (UNIONREC_TOKEN_HOURS after it was issued).")
    )


class TokenSerializer(serializers.ModelSerializer[ApiToken]):
    current = serializers.SerializerMethodField(
        help_text=_("Whether this is the token the request was sent with.")
    )

    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "created_at", "expires_at", "current"]

    def get_current(self, token: ApiToken) -> bool:
        sent = getattr(self.context.get("request"), "auth", None)
        return isinstance(sent, ApiToken) and sent.pk == token.pk


class TokenView(APIView):
    """`POST /api/v1/auth/token/`: a new token for a username and password, answering 429
    with the lockout's message while the username or the address is locked. `DELETE`: the
    token the request is sent with is revoked. JSON only, as the whole API."""

    parser_classes = (JSONParser,)

    def _issuing(self) -> bool:
        return getattr(self.request, "method", None) == "POST"  # None: the schema's generator

    def get_authenticators(self) -> list[BaseAuthentication]:
        # Issuing reads no credentials but the body's (no session, so no CSRF check);
        # revoking reads the token alone.
        return [] if self._issuing() else [tokens.TokenAuthentication()]

    def get_permissions(self) -> list[BasePermission]:
        return [] if self._issuing() else [IsAuthenticated()]

    @extend_schema(
        auth=[],
        request=AuthTokenSerializer,
        responses={
            200: IssuedTokenSerializer,
            429: OpenApiResponse(
                description="The username or the address is locked after failed logins; the "
                "detail says for how long."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        credentials = AuthTokenSerializer(data=request.data, context={"request": request})
        credentials.is_valid(raise_exception=True)
        key, token = tokens.issue(credentials.validated_data["user"])
        issued = {"token": key, "expires_at": token.expires_at}
        return Response(IssuedTokenSerializer(issued).data)  # times as the lists write them

    @extend_schema(responses={204: None})
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, ApiToken):
            raise exceptions.NotAuthenticated(
                _("Send the token to revoke: Authorization: Token KEY.")
            )
        tokens.revoke(request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def handle_exception(self, exc: Exception) -> Response:
        response: Response = super().handle_exception(exc)
        if response.status_code == status.HTTP_400_BAD_REQUEST:
            data = self.request.data
            username = data.get("username") if isinstance(data, dict) else None
            lock = lockout.lock_for(username, lockout.client_ip(self.request._request))
            if lock is not None:
                return Response(
                    {"detail": lock.message()}, status=status.HTTP_429_TOO_MANY_REQUESTS
                )
        return response


def _owner(request: Request) -> Any:
    """Whose tokens a request reads: the caller's, or for a superuser the user `?user=`
    names (404 for a name that does not exist)."""
    name = request.query_params.get("user")
    if not name or name == request.user.get_username():
        return request.user
    if not request.user.is_superuser:
        raise exceptions.PermissionDenied(_("Only an administrator lists another user's tokens."))
    found = get_user_model().objects.filter(username=name).first()
    if found is None:
        raise exceptions.NotFound(_("No user has this name."))
    return found


class TokenListView(APIView):
    """`GET /api/v1/auth/tokens/`: the caller's tokens, newest first (an administrator's
    `?user=NAME` lists that user's); `DELETE /api/v1/auth/tokens/ID/` revokes one of them."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "user",
                OpenApiTypes.STR,
                description=_("An administrator's: the username whose tokens to list."),
            )
        ],
        responses=TokenSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        found = ApiToken.objects.filter(user=_owner(request))
        return Response(TokenSerializer(found, many=True, context={"request": request}).data)


class TokenDetailView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        """Revoke a token: its owner's, or any for an administrator (404 otherwise)."""
        found = ApiToken.objects.filter(pk=path_id(str(pk)))
        caller: Any = request.user  # authenticated (IsAuthenticated)
        if not caller.is_superuser:
            found = found.filter(user=caller)
        token = found.first()
        if token is None:
            raise exceptions.NotFound()
        tokens.revoke(token)
        return Response(status=status.HTTP_204_NO_CONTENT)
