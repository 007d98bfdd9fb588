"""Domain errors and HTTP errors turned into Chinese error pages."""

from __future__ import annotations

from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from keyproj.errors import NotFound, PermissionDenied, ValidationError
from web.inputs import MAX_BODY_TEXT

MESSAGES = {
    400: ("请求无效", "请求的内容不完整或格式不正确。"),
    403: ("无权访问", "当前账号没有查看或执行此操作的权限。"),
    404: ("页面不存在", "您要查看的页面或项目不存在，或不在您的查看范围内。"),
    405: ("请求方式不允许", "该页面不支持此请求方式。"),
    413: ("提交内容过大", f"提交的内容超过 {MAX_BODY_TEXT}，请删减后重试。"),
    500: ("系统内部错误", "系统处理请求时出错，请稍后重试；如多次出现请联系系统管理员。"),
}


def error_page(
    status: int, message: str | None = None, retry_url: str | None = None
) -> tuple[str, int]:
    """The Chinese error page for ``status``, with an optional specific message and a way back."""
    title, default = MESSAGES.get(status, ("出错了", "请求未能完成。"))
    return render_template(
        "error.html", status=status, title=title, message=message or default, retry_url=retry_url
    ), status


def register(app: Flask) -> None:
    """Install the handlers on ``app``."""

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound) -> tuple[str, int]:
        return error_page(404, str(exc) or None)

    @app.errorhandler(PermissionDenied)
    def permission_denied(exc: PermissionDenied) -> tuple[str, int]:
        return error_page(403, str(exc) or None)

    @app.errorhandler(ValidationError)
    def invalid(exc: ValidationError) -> tuple[str, int]:
        # Input no form shows beside a field (a filter or page in the address, a control character):
        # the page says which parameter and why, and offers the page without its filters.
        return error_page(400, f"输入有误：{exc}", request.path)

    @app.errorhandler(CSRFError)
    def csrf_failed(_exc: CSRFError) -> tuple[str, int]:
        return error_page(400, "页面已过期或缺少安全校验信息，请返回后刷新页面再试。")

    for status in MESSAGES:

        @app.errorhandler(status)
        def http_error(exc: HTTPException) -> tuple[str, int]:
            if exc.code == 413 and "upload_limit_mb" in g:
                limit = g.upload_limit_mb
                return error_page(413, f"附件：文件大小超过上限 {limit} MB，请压缩或拆分后重试。")
            return error_page(exc.code or 500)
