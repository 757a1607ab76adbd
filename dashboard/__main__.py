"""`python -m dashboard` is the same as the `contested-map` command."""

from dashboard.cli import main

if __name__ == "__main__":
    main()
