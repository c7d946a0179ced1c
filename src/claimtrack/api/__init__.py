"""The Python API for researchers: ``claimtrack.open(path)`` returns a ``Release``."""
