"""`python -m caljobs_bot.cli`: the same as the `caljobs-bot` command."""

from caljobs_bot.cli import main

main()
