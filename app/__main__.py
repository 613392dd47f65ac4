"""Allow `python -m app` as a synonym for the `touchstone` command."""

from app.cli import main

main()
