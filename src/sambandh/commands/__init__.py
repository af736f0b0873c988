"""CLI commands: argument parsing only; each calls the library."""
