"""Where the bot works and as whom: settings files, credentials, saved sessions, browsers."""
