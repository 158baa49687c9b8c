"""The synthetic demo region generator (``landwater demo``)."""
