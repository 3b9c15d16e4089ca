from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paritrana.registry.regions import load_regions


class Command(BaseCommand):
    help = "Load the Kemendagri regions (idn-area-data 4, ODbL 1.0) shipped with Paritrana; safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-villages", action="store_true", help="skip the 83,762 villages")

    def handle(self, *args: Any, **options: Any) -> None:
        added = load_regions(villages=not options["no_villages"])
        self.stdout.write(", ".join(f"{level}: {n} added" for level, n in added.items()))
