"""Every rule, one module per topic; importing this package registers them all."""

from paritrana.rules.formulas import pu_contributions  # noqa: F401
