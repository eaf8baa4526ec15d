"""``python -m service`` is the ``htkg`` command."""

from service.cli import main

main()
