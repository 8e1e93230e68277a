"""The OpenAPI schema of the JSON API (/api/schema/): drf-spectacular's, with the refusals every
operation can answer written in one place instead of on each of them (issue 18, item 3).

- 400: a write, or a request with query parameters, that does not validate. The body names
  the fields, as DRF reports a serializer's errors: `{"field": ["message", ...]}`, messages
  not about one field under `non_field_errors`, nested records nested the same way
  (`{"candidates": {"1": {"member": [...]}}}`); a body that is not JSON answers `{"detail": ...}`.
- 401: no credentials, for token clients (with `WWW-Authenticate`); 403: credentials, but not
  the role the operation needs (a session without credentials answers 403 too, as DRF does).
- 404: the record does not exist or lies outside the caller's reach (unionrec.access), a
  branch named in a filter too, or a page past the end.
- Query parameters: an optional number, boolean, day or choice may be sent empty, which reads
  as absent (`allowEmptyValue`): HTML forms send the fields left unfilled so. Any other value
  it cannot read answers 400 under its name (unionrec.query).
- 409: on the writes a viewset names in `conflicts` (True: every write): the record's state
  does not take the change now, or it changed since the client read it (a stale `version`).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, build_basic_type
from drf_spectacular.types import OpenApiTypes

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong."}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": (
        "The refused fields, each with its messages; messages about the request as a whole "
        "under non_field_errors. A nested record's (or a list's item's) errors are nested the "
        "same way, under its field and, in a list, its position."
    ),
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
        ]
    },
}

REFUSALS = {
    "400": "The request does not validate: the body names each refused field with its "
    "messages (or, for a body that is not JSON, a detail).",
    "401": "No credentials: send `Authorization: Token <key>` (or log in for a session).",
    "403": "The caller's role does not allow this here.",
    "404": "Not found, or outside the caller's reach (which looks the same).",
    "409": "The record cannot take this change in its present state (read-only, a step its "
    "lifecycle does not allow now), or it was changed meanwhile (a stale version).",
}


def may_conflict(view: Any, method: str) -> bool:
    """Whether the operation can answer 409: the view's `conflicts` names its action, or is
    True and the operation writes."""
    conflicts = getattr(view, "conflicts", False)
    if method in SAFE_METHODS or not conflicts:
        return False
    return conflicts is True or getattr(view, "action", None) in conflicts


def read_empty_as_absent(parameter: dict[str, Any]) -> bool:
    """Whether an empty value of this query parameter is documented as read like an absent
    one (unionrec.query): an optional number, boolean, day or choice. Not a text (a search
    for nothing is still a search), nor a list of choices (`?status=`: an empty choice, which
    is none of them; leave the parameter out)."""
    schema = parameter.get("schema", {})
    text = schema.get("type") == "string" and not ({"format", "enum"} & set(schema))
    return not parameter.get("required") and not text and schema.get("type") != "array"


class ApiSchema(AutoSchema):
    """drf-spectacular's AutoSchema (REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS), adding to each
    operation the refusals it can answer, with their bodies, and keeping what an operation
    says of one itself (its description is completed, not replaced)."""

    def get_operation(
        self,
        path: str,
        path_regex: str,
        path_prefix: str,
        method: str,
        registry: Any,
    ) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and read_empty_as_absent(parameter):
                parameter["allowEmptyValue"] = True
        responses = operation["responses"]
        for code in self.refusals(operation):
            response = responses.setdefault(code, {"description": ""})
            if not response.get("description"):
                response["description"] = REFUSALS[code]
            response.setdefault("content", {"application/json": {"schema": self._body(code)}})
            if code == "401":
                response["headers"] = {
                    "WWW-Authenticate": {
                        "schema": build_basic_type(OpenApiTypes.STR),
                        "description": "The scheme to authenticate with: `Token`.",
                    }
                }
        for code, response in responses.items():  # a refusal an operation declares itself
            if code.startswith("4") and "content" not in response:
                response["content"] = {"application/json": {"schema": self._body(code)}}
        return operation

    def refusals(self, operation: dict[str, Any]) -> list[str]:
        """The status codes of the refusals this operation can answer."""
        writes = self.method not in SAFE_METHODS
        queried = any(p["in"] == "query" for p in operation.get("parameters", []))
        codes = ["400"] if writes or queried or "requestBody" in operation else []
        if self.view.get_permissions():
            codes += ["401", "403", "404"]
        if may_conflict(self.view, self.method):
            codes.append("409")
        return codes

    def _body(self, code: str) -> dict[str, Any]:
        detail = self._component("ErrorDetail", DETAIL)
        if code != "400":
            return detail
        return {"anyOf": [self._component("FieldErrors", FIELD_ERRORS), detail]}

    def _component(self, name: str, schema: dict[str, Any]) -> dict[str, Any]:
        component = ResolvedComponent(  # type: ignore[no-untyped-call]
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        ref: dict[str, Any] = component.ref
        return ref
