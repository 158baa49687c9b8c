"""The API's interactive documentation page, served offline.

Swagger UI's files come from the ``swagger-ui-bundle`` package installed with the server
(no CDN, so the page works on a programme's closed network); the page and its start-up
script are ours and point it at the API's own OpenAPI document.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, send_from_directory

DOCS_FILES = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"})
DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>landwater API</title>
<link rel="stylesheet" href="docs/static/swagger-ui.css">
<link rel="icon" href="docs/static/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="docs/static/swagger-ui-bundle.js"></script>
<script src="docs/start.js"></script></body></html>
"""
START_SCRIPT = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({url: "%s", dom_id: "#swagger-ui", deepLinking: true});
});
"""


def swagger_ui_folder() -> Path:
    """The folder of Swagger UI's files in the installed ``swagger-ui-bundle`` package."""
    from swagger_ui_bundle import swagger_ui_path  # loaded when the page is first asked for

    return Path(str(swagger_ui_path))


def register_docs(bp: Blueprint, document_url: str) -> None:
    """``docs`` (the page), ``docs/start.js`` and ``docs/static/<file>`` on the blueprint."""

    @bp.route("/docs")
    def docs() -> Response:
        return Response(DOCS_PAGE, mimetype="text/html")

    @bp.route("/docs/start.js")
    def docs_start() -> Response:
        return Response(START_SCRIPT % document_url, mimetype="text/javascript")

    @bp.route("/docs/static/<name>")
    def docs_static(name: str) -> Response:
        if name not in DOCS_FILES:  # looked up, never joined onto a path from the request
            abort(404)
        return send_from_directory(swagger_ui_folder(), name, max_age=3600)
