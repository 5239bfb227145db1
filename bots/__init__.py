"""Bots that read job files and follow the help-sheet steps, and the command line."""
