#!/usr/bin/env python
"""Django's command-line utility for the PTCE portal."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptce.settings")
    import django

    django.setup()
    from django.core.management import execute_from_command_line

    from audit.context import audit_context
    from audit.models import Origin

    # What a command writes (cron, the task worker, an operator) is signed with its name.
    name = sys.argv[1] if len(sys.argv) > 1 else "manage.py"
    with audit_context(origin=Origin.COMMAND, actor=None, actor_label=f"commande {name}"):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
