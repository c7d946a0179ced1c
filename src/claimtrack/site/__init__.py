"""The claims explorer: a static site generated from a release folder's tables."""
