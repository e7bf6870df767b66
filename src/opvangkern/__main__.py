"""``python -m opvangkern``: the command line."""

from .cli import main

main()
