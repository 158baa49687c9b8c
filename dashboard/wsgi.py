"""WSGI entry for gunicorn: ``LANDWATER_REGION=var/demo gunicorn dashboard.wsgi:server``."""

from __future__ import annotations

import os

from dashboard.app import create_app

server = create_app(os.environ.get("LANDWATER_REGION", "var/demo"), warm_up=True).server
