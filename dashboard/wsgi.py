"""WSGI entry for gunicorn: ``LANDWATER_REGION=var/demo gunicorn dashboard.wsgi:server``."""

from __future__ import annotations

import os

from processing.kernels.numpy_env import default_to_small_pages

default_to_small_pages()  # before dashboard.app imports numpy

from dashboard.app import create_app  # noqa: E402

server = create_app(os.environ.get("LANDWATER_REGION", "var/demo"), warm_up=True).server
