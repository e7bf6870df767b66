"""``python -m opvangkern``: the command line."""

from opvangkern.cli import main

main()
