"""``python -m ccsim``: the command line (see :mod:`ccsim.cli`)."""

from ccsim.cli import main

raise SystemExit(main())
