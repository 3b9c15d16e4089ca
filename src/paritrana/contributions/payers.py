"""Who pays a worker's contributions, and the ``Payer`` row of that party."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from paritrana.contributions.models import Payer
from paritrana.registry.models import Employer, Scheme, Sponsor, Worker


def payer_party(worker: Worker) -> Employer | Worker | Sponsor:
    """The party billed for ``worker``: its employer (PU), itself (self-paid BPU) or its sponsor (sponsored BPU)."""
    if worker.scheme == Scheme.PU:
        if worker.employer is None:
            raise ValueError(f"PU worker {worker.pk} has no employer")
        return worker.employer
    if worker.sponsor is None or worker.sponsor.kind == Sponsor.Kind.SELF:
        return worker
    return worker.sponsor


def payer_of(party: Employer | Worker | Sponsor) -> Payer:
    """The payer row of ``party``, created on first use (safe when two transactions race to create it)."""
    if isinstance(party, Employer):
        lookup = {"kind": Payer.Kind.EMPLOYER, "employer": party}
    elif isinstance(party, Worker):
        lookup = {"kind": Payer.Kind.WORKER, "worker": party}
    else:
        lookup = {"kind": Payer.Kind.SPONSOR, "sponsor": party}
    found = Payer.objects.filter(**lookup).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Payer.objects.create(**lookup)
    except IntegrityError:
        return Payer.objects.get(**lookup)
