"""`python -m caljobs_bot.jobfile`: see `main`."""

import sys

from caljobs_bot.jobfile import main

sys.exit(main())
