"""Errors of the JSON API: always ``{"error": {"code": ..., "message": ...}}``, never HTML.

Routes raise :class:`ApiError`; a workspace that cannot be written (a read-only file, a
full disk) is a 503 naming the fix; Flask's own errors under ``/api/`` (an unknown path, a wrong
method, a body over the size limit) and any unexpected failure are answered in the same
shape, the unexpected ones without a traceback (it goes to the server's log).
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from dashboard.api.models import ErrorBody, ErrorResponse
from layers.workspace import WorkspaceWriteError

API_PREFIX = "/api/"
MAX_PROBLEMS_LISTED = 10  # validation problems named in one message

CODES = {
    400: "bad_request",
    401: "login_required",
    403: "read_only",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    500: "internal",
    503: "workspace_unavailable",
}


class ApiError(Exception):
    """An answer other than success: an HTTP status and a message naming the input and fix.

    Parameters
    ----------
    status : int
        HTTP status.
    message : str
        For a person: what was wrong with which input, and what to do.
    code : str, optional
        Machine-readable code; the status's usual one (:data:`CODES`) when omitted.
    """

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or CODES.get(status, "error")


def error_response(status: int, message: str, code: str | None = None) -> Response:
    """The JSON answer of an error."""
    body = ErrorResponse(error=ErrorBody(code=code or CODES.get(status, "error"), message=message))
    return Response(body.model_dump_json(), status, mimetype="application/json")


def validation_message(exc: ValidationError, what: str) -> str:
    """One line naming each invalid field of ``what`` (the query or the body) and why."""
    parts = []
    for err in exc.errors()[:MAX_PROBLEMS_LISTED]:
        where = ".".join(str(p) for p in err["loc"]) or what
        parts.append(f"{where}: {err['msg']}")
    more = len(exc.errors()) - MAX_PROBLEMS_LISTED
    if more > 0:
        parts.append(f"and {more} more")
    return f"invalid {what}: " + "; ".join(parts)


def register_errors(server: Flask, blueprint: Blueprint) -> None:
    """Answer every error of the API's routes, and of unknown ``/api/`` paths, in JSON."""

    @blueprint.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.message, exc.code)

    @blueprint.errorhandler(WorkspaceWriteError)
    def workspace_write(exc: WorkspaceWriteError) -> Response:
        return error_response(503, str(exc))  # names the database and the fix

    @blueprint.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            return _http_error(exc)
        current_app.logger.exception("API request %s failed", request.path)
        return error_response(
            500, "the server failed on this request; its log has the details (report it)"
        )

    @server.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response | HTTPException:
        if not request.path.startswith(API_PREFIX):
            return exc  # the dashboard's pages keep Flask's own answers
        return _http_error(exc)


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    messages = {
        404: f"no API route {request.path}: see /api/v1/openapi.json for the routes",
        405: f"{request.method} is not allowed on {request.path}: see /api/v1/openapi.json",
        413: "the request body is too large: send fewer items (see the limits in the document)",
    }
    resp = error_response(status, messages.get(status, exc.description or exc.name))
    if status == 405 and exc.get_headers():
        for key, value in exc.get_headers():
            if key.lower() == "allow":
                resp.headers["Allow"] = value
    return resp
