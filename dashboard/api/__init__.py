"""The versioned JSON API (``/api/v1/...``).

``models`` (pydantic requests and answers), ``routes`` (thin handlers and
:func:`~dashboard.api.routes.register_api`), ``openapi`` (the document made from the models),
``errors`` (JSON errors) and ``docs`` (the offline documentation page).
"""
