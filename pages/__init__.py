"""Page objects for the CalJOBS staff screens used to create an Exit/Outcome.

Each module holds the screen a person would name; every element is found by what a person
sees (role, caption, visible text), so the same classes drive the real site and the sandbox.
"""
