"""`python -m bitext`: the same as the `bitext` command."""

from .cli import main

main()
