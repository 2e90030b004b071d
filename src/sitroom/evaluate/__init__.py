"""Scorers that measure sitroom's stages on public benchmark data (read from ``../shared/data``)."""
