"""Every rule, one module per topic; importing this package registers them all."""

from paritrana.rules.formulas import (
    bpu_contributions,  # noqa: F401
    construction_contributions,  # noqa: F401
    jht_benefits,  # noqa: F401
    jkk_benefits,  # noqa: F401
    jkm_benefit,  # noqa: F401
    jkp_benefit,  # noqa: F401
    jp_benefits,  # noqa: F401
    late_payment_penalty,  # noqa: F401
    migrant_contributions,  # noqa: F401
    pu_contributions,  # noqa: F401
    scholarship,  # noqa: F401
)
