"""The versioned JSON API (``/api/v1/...``): models, routes, OpenAPI document, errors."""

from dashboard.api.routes import API_ROOT, register_api

__all__ = ["API_ROOT", "register_api"]
