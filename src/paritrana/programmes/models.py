"""Regional vulnerable-worker programmes (APBD) and their beneficiaries.

- ``Programme``: a regional government's programme for one budget year: its legal basis, budget,
  funding source, cost share, eligibility and package. Each programme is a registry ``Sponsor`` of
  kind ``regional_programme``, so the monthly billing bills it as the payer of its beneficiaries.
- ``BeneficiaryList``: an uploaded list (CSV or XLSX, e.g. a P3KE or DTKS extract) between its
  preview and its confirmation; the file is kept so the confirmation checks the very rows previewed.
- ``Beneficiary``: a person enrolled by a programme (a BPU worker sponsored by it), with the village
  and address of the list and the dates of the sponsorship.

Money is whole rupiah (``BigIntegerField``); shares are basis points (10,000 = 100 %).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from paritrana.core.models import Upload
from paritrana.registry.models import Region, Sponsor, Worker

FULL_SHARE = 10_000  # basis points


class LegalBasis(models.TextChoices):
    PERDA = "perda", _("regional regulation (Perda)")
    PERGUB = "pergub", _("governor regulation (Pergub)")
    PERBUP = "perbup", _("regent regulation (Perbup)")
    PERWALI = "perwali", _("mayor regulation (Perwali)")
    KEPGUB = "kepgub", _("governor decree (Kepgub)")
    KEPBUP = "kepbup", _("regent or mayor decree (Kepbup/Kepwali)")
    SE = "se", _("circular letter (Surat Edaran)")


class FundingSource(models.TextChoices):
    APBD = "apbd", _("regional budget (APBD)")
    DBH_CHT = "dbh_cht", _("tobacco excise revenue share (DBH-CHT)")
    VILLAGE_FUND = "village_fund", _("village fund (Dana Desa)")
    CSR = "csr", _("company CSR")


class Package(models.TextChoices):
    JKK_JKM = "jkk_jkm", _("JKK + JKM at the lowest income band (BPU)")


PACKAGE_PROGRAMMES = {Package.JKK_JKM: ("JKK", "JKM")}


class Programme(models.Model):
    sponsor = models.OneToOneField(Sponsor, on_delete=models.PROTECT, related_name="programme")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=160)
    legal_basis_type = models.CharField(_("legal basis"), max_length=10, choices=LegalBasis.choices)
    legal_basis_number = models.CharField(_("number of the legal basis"), max_length=80)
    legal_basis_date = models.DateField(_("date of the legal basis"))
    budget_year = models.PositiveSmallIntegerField(_("budget year"))
    budget_amount = models.BigIntegerField(_("budget, rupiah"))
    funding_source = models.CharField(_("funding source"), max_length=12, choices=FundingSource.choices)
    # the share of the cost the province and the regency/city pay, basis points adding up to 10,000
    province_share_bp = models.PositiveIntegerField(_("province's share, basis points"), default=0)
    regency_share_bp = models.PositiveIntegerField(_("regency's or city's share, basis points"), default=0)
    occupations = models.JSONField(_("eligible occupations"), default=list)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), default=65)
    package = models.CharField(_("package"), max_length=10, choices=Package.choices, default=Package.JKK_JKM)
    renewed_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewal", verbose_name=_("renews")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-budget_year", "name", "id"]
        verbose_name = _("regional programme")
        verbose_name_plural = _("regional programmes")
        constraints = [
            models.CheckConstraint(condition=Q(budget_amount__gt=0), name="programme_budget_positive"),
            models.CheckConstraint(
                condition=Q(province_share_bp__lte=FULL_SHARE)
                & Q(province_share_bp=FULL_SHARE - F("regency_share_bp")),
                name="programme_shares_add_up",
            ),
            models.CheckConstraint(condition=Q(min_age__lte=F("max_age")), name="programme_age_range"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.budget_year}"


class BeneficiaryList(Upload):
    class Status(models.TextChoices):
        PREVIEW = "preview", _("preview: nothing enrolled yet")
        CONFIRMED = "confirmed", _("confirmed: valid rows enrolled")
        DISCARDED = "discarded", _("discarded")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="lists")
    content = models.BinaryField(_("file"))
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    enrol_on = models.DateField(_("enrolment date"))
    valid_count = models.PositiveIntegerField(_("rows to enrol"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    reported_count = models.PositiveIntegerField(_("rows already protected"), default=0)
    # ``errors``: [{"row": 3, "field": "nik", "template": "...", "params": {...}, "message": "..."}], the first
    # UPLOAD_LIMITS errors_shown
    # rows not enrolled though valid: already enrolled by this programme, or protected elsewhere
    reported = models.JSONField(_("reported rows"), default=list, blank=True)
    enrolled_count = models.PositiveIntegerField(_("enrolled"), default=0)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta(Upload.Meta):
        verbose_name = _("beneficiary list")
        verbose_name_plural = _("beneficiary lists")


class Beneficiary(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="beneficiaries")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="beneficiaries")
    source = models.ForeignKey(BeneficiaryList, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    row = models.PositiveIntegerField(_("row in the list"), default=0)
    village_code = models.CharField(_("village code"), max_length=13)
    address = models.CharField(_("address"), max_length=300, blank=True)
    enrolled_on = models.DateField(_("enrolled on"))
    ends_on = models.DateField(_("sponsored until"))

    class Meta:
        ordering = ["programme", "worker"]
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        constraints = [
            models.UniqueConstraint(fields=["programme", "worker"], name="beneficiary_once_per_programme"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("enrolled_on")), name="beneficiary_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.worker_id}"
