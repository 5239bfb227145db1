"""The help-sheet steps, and performing them for one record with the page objects."""
