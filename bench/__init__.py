"""Benchmarks of the bot against a minimal hand-written Playwright script (see README.md)."""
