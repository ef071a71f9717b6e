"""`python -m opad` is `opad`."""

from opad.cli import main

main()
