"""Local AWS endpoint for onwatch tests: moto plus the gaps onwatch needs."""
