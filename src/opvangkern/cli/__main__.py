"""``python -m opvangkern.cli``: the command line (as ``python -m opvangkern``)."""

from opvangkern.cli import main

main()
