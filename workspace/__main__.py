"""`python -m workspace`: the `workspace` command."""

from workspace.cli import main

main()
