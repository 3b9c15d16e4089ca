"""The registry's records. Every model keeps its history (who changed what, when)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Region(models.Model):
    """An administrative region with its Kemendagri code, dotted as the ministry writes it ("33.73.04")."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        REGENCY = "regency", _("regency/city")
        DISTRICT = "district", _("district")
        VILLAGE = "village", _("village")

    code = models.CharField(_("code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def province_code(self) -> str:
        return self.code[:2]


class Branch(models.Model):
    """A branch office of the agency and the regencies/cities it serves."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    regions = models.ManyToManyField(Region, related_name="branches", blank=True, verbose_name=_("regions"))
    history = HistoricalRecords(m2m_fields=[regions])

    class Meta:
        ordering = ["code"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")

    def __str__(self) -> str:
        return self.name


class SizeClass(models.TextChoices):
    MICRO = "micro", _("micro")
    SMALL = "small", _("small")
    MEDIUM = "medium", _("medium")
    LARGE = "large", _("large")


class EmployerStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    INACTIVE = "inactive", _("inactive")
    SUSPENDED = "suspended", _("suspended")


class Employer(models.Model):
    registration_number = models.CharField(_("registration number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=60)
    size_class = models.CharField(_("size class"), max_length=10, choices=SizeClass.choices)
    risk_group = models.PositiveSmallIntegerField(_("JKK risk group"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="employers", verbose_name=_("region"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="employers", verbose_name=_("branch"))
    status = models.CharField(_("status"), max_length=10, choices=EmployerStatus.choices, default=EmployerStatus.ACTIVE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["registration_number"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(risk_group__gte=1, risk_group__lte=5), name="employer_risk_group_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.name}"


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Scheme(models.TextChoices):
    PU = "PU", _("wage earner (PU)")
    BPU = "BPU", _("non-wage earner (BPU)")


class Occupation(models.TextChoices):
    EMPLOYEE = "employee", _("employee")
    FACTORY_WORKER = "factory_worker", _("factory worker")
    CONSTRUCTION_WORKER = "construction_worker", _("construction worker")
    DRIVER = "driver", _("driver")
    TEACHER = "teacher", _("teacher")
    NURSE = "nurse", _("nurse")
    CLERK = "clerk", _("clerk")
    # vulnerable, mostly informal occupations
    FARMER = "farmer", _("farmer")
    FISHER = "fisher", _("fisher")
    GARDENER = "gardener", _("gardener")
    TRADER = "trader", _("trader")
    OJEK_DRIVER = "ojek_driver", _("motorcycle-taxi driver")
    QURAN_TEACHER = "quran_teacher", _("Quran teacher")
    DOMESTIC_WORKER = "domestic_worker", _("domestic worker")
    STREET_VENDOR = "street_vendor", _("street vendor")
    LABOURER = "labourer", _("day labourer")
    ARTISAN = "artisan", _("artisan")


VULNERABLE_OCCUPATIONS = frozenset(
    {
        Occupation.FARMER,
        Occupation.FISHER,
        Occupation.GARDENER,
        Occupation.TRADER,
        Occupation.OJEK_DRIVER,
        Occupation.QURAN_TEACHER,
        Occupation.DOMESTIC_WORKER,
        Occupation.STREET_VENDOR,
        Occupation.LABOURER,
        Occupation.ARTISAN,
    }
)


class Sponsor(models.Model):
    """Who pays a worker's contributions: the worker, an employer, a regional-government programme or a CSR fund."""

    class Kind(models.TextChoices):
        SELF = "self", _("self")
        EMPLOYER = "employer", _("employer")
        REGIONAL_PROGRAMME = "regional_programme", _("regional-government programme")
        CSR = "csr", _("CSR")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="sponsors")
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="sponsors")
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")

    def __str__(self) -> str:
        return self.name


class Worker(models.Model):
    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    occupation = models.CharField(_("occupation"), max_length=30, choices=Occupation.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="workers", verbose_name=_("region of domicile")
    )
    scheme = models.CharField(_("scheme"), max_length=3, choices=Scheme.choices)
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="workers", verbose_name=_("employer")
    )
    sponsor = models.ForeignKey(
        Sponsor, null=True, blank=True, on_delete=models.PROTECT, related_name="workers", verbose_name=_("sponsor")
    )
    wage = models.BigIntegerField(_("monthly wage or declared income, rupiah"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scheme="BPU") | models.Q(employer__isnull=False), name="worker_pu_has_employer"
            ),
            models.CheckConstraint(condition=models.Q(wage__gte=0), name="worker_wage_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nik})"


class Programme(models.TextChoices):
    JKK = "JKK", _("JKK (work accident)")
    JKM = "JKM", _("JKM (death)")
    JHT = "JHT", _("JHT (old-age savings)")
    JP = "JP", _("JP (pension)")
    JKP = "JKP", _("JKP (job loss)")


class Membership(models.Model):
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="memberships")
    programme = models.CharField(_("programme"), max_length=3, choices=Programme.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["worker", "programme", "start"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="membership_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.programme} {self.start}–{self.end or ''}"


class Heir(models.Model):
    """An heir of a worker, in the order of the law (rank 1 first; PP 44/2015 art 1(15), PP 82/2019)."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("widow or widower")
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        GRANDCHILD = "grandchild", _("grandchild")
        GRANDPARENT = "grandparent", _("grandparent")
        SIBLING = "sibling", _("sibling")
        IN_LAW = "in_law", _("parent-in-law")
        APPOINTED = "appointed", _("appointed by will")

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="heirs")
    name = models.CharField(_("name"), max_length=200)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, help_text=_("optional; checked when given"))
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)
    rank = models.PositiveSmallIntegerField(_("order"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["worker", "rank", "name"]
        verbose_name = _("heir")
        verbose_name_plural = _("heirs")
        constraints = [models.CheckConstraint(condition=models.Q(rank__gte=1, rank__lte=6), name="heir_rank_1_to_6")]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation}, {self.rank})"
