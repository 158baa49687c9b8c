"""landwater: land and water resource planning for smallholder farming programmes."""

__version__ = "0.1.0"
