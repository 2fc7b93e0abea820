"""``python -m qualitylab`` runs the command line."""

from qualitylab.cli.app import main

if __name__ == "__main__":
    main()
