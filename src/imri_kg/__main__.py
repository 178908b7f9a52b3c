"""Run the command-line interface with `python -m imri_kg`."""

from imri_kg.cli import main

main()
