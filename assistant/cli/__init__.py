"""The `greenleaf` command line: thin commands over the library (entry point: assistant.cli.main:main)."""
