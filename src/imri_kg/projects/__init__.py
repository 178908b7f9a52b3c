"""Review projects: a folder of plain files (examples/README.md) read, checked and loaded into graphs of its own."""
