"""JSON errors of the API: {"error": {"code", "message", "fields"}} for every failure."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask.sansio.app import App
from werkzeug.exceptions import HTTPException, InternalServerError

from keyproj.errors import (
    CalendarYearMissing,
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from web.inputs import MAX_BODY_TEXT

PREFIX = "/api/"
HTTP_ERRORS = {
    400: ("bad_request", "请求无效：内容不完整或格式不正确"),
    401: ("unauthorized", "需要有效的访问令牌"),
    403: ("forbidden", "当前账号没有执行此操作的权限"),
    404: ("not_found", "请求的资源不存在，或不在当前账号的查看范围内"),
    405: ("method_not_allowed", "该接口不支持此请求方式"),
    409: ("conflict", "请求与当前数据状态冲突"),
    413: ("payload_too_large", f"请求体过大：不能超过 {MAX_BODY_TEXT}"),
    415: ("unsupported_media_type", "请求体须为 JSON（Content-Type: application/json）"),
    422: ("validation_failed", "提交的数据未通过校验"),
    500: ("internal_error", "系统处理请求时出错，请稍后重试；如多次出现请联系系统管理员"),
}


class ApiError(Exception):
    """An error the API reports as is: status, code, Chinese message and per-field reasons."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def error_response(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> Response:
    """The JSON error body with ``status``; a 401 also names the bearer scheme."""
    response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="keyproj"'
    return response


def http_error(status: int, message: str | None = None) -> Response:
    """The JSON error of an HTTP status, with its default Chinese message unless one is given."""
    code, default = HTTP_ERRORS.get(status, ("error", "请求未能完成"))
    return error_response(status, code, message or default)


def register(bp: Blueprint) -> None:
    """Install the handlers on the API blueprint, and JSON for unrouted /api/ paths on the app."""

    @bp.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.fields)

    @bp.errorhandler(ValidationError)
    def invalid(exc: ValidationError) -> Response:
        return error_response(422, "validation_failed", f"提交的数据有误：{exc}", exc.by_field())

    @bp.errorhandler(NotFound)
    def not_found(exc: NotFound) -> Response:
        return http_error(404, str(exc) or None)

    @bp.errorhandler(PermissionDenied)
    def denied(exc: PermissionDenied) -> Response:
        return http_error(403, str(exc) or None)

    @bp.errorhandler(Conflict)
    def conflict(exc: Conflict) -> Response:
        return http_error(409, str(exc) or None)

    @bp.errorhandler(CalendarYearMissing)
    def calendar_missing(exc: CalendarYearMissing) -> Response:
        return error_response(409, "calendar_year_missing", str(exc))

    @bp.errorhandler(DomainError)
    def domain_error(exc: DomainError) -> Response:
        return error_response(400, "domain_error", str(exc))

    @bp.errorhandler(InternalServerError)
    def internal(_exc: InternalServerError) -> Response:
        return http_error(500)  # Flask has logged the exception already

    @bp.errorhandler(HTTPException)
    def http_exception(exc: HTTPException) -> Response:
        return http_error(exc.code or 500)

    # Flask prefers a handler for the exact status, even the app's HTML one, over a handler
    # for HTTPException: so the API claims each status it answers (a 413 body, a 400 …).
    for status in HTTP_ERRORS:
        if status != 500:
            bp.register_error_handler(status, http_exception)

    bp.record_once(lambda setup: _route_errors_as_json(setup.app))


def _route_errors_as_json(app: App) -> None:
    """An unknown /api/ path or method is answered in JSON, before the CSRF and login checks.

    Routing errors never reach a blueprint's handlers (no endpoint matched), so the app-wide
    hook is put first in the before-request chain.
    """

    def reject_unrouted() -> Response | None:
        exc = request.routing_exception
        if exc is None or not request.path.startswith(PREFIX):
            return None
        status = exc.code if isinstance(exc, HTTPException) and exc.code else 404
        if status in (301, 302, 307, 308):
            return None  # a redirect (e.g. a missing trailing slash) is not an error
        response = http_error(status)
        if status == 405 and isinstance(exc, HTTPException):
            allowed = exc.get_headers()
            response.headers.extend([(k, v) for k, v in allowed if k == "Allow"])
        return response

    app.before_request_funcs.setdefault(None, []).insert(0, reject_unrouted)
