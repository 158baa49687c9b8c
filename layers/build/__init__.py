"""Building region folders: the synthetic demo, `landwater init` from raw files, profiles."""
