"""Forms of the registration pages. They only collect values; the use cases check them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from paritrana.registry.models import Branch, Employer, Occupation, Region, Scheme, Sex, SizeClass
from paritrana.registry.nik import InvalidNIK, parse_nik
from paritrana.web.domain_text import translate_message
from paritrana.web.money_input import RupiahField


class RegionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class EmployerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.registration_number} {obj.name}"


def regencies(within: QuerySet[Region] | None = None) -> QuerySet[Region]:
    qs = within if within is not None else Region.objects.all()
    return qs.filter(level=Region.Level.REGENCY).order_by("code")


class WorkerForm(forms.Form):
    scheme = forms.ChoiceField(label=_("scheme"), choices=Scheme.choices, widget=forms.RadioSelect)
    employer = EmployerChoiceField(
        label=_("employer"),
        queryset=Employer.objects.none(),
        required=False,
        help_text=_("a wage earner (PU) is registered through an employer; leave empty for a non-wage earner (BPU)"),
    )
    nik = forms.CharField(
        label=_("NIK"),
        max_length=32,
        help_text=_("the 16-digit population number (Nomor Induk Kependudukan)"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("name"), max_length=200)
    birth_date = forms.DateField(
        label=_("birth date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    sex = forms.ChoiceField(label=_("sex"), choices=Sex.choices, widget=forms.RadioSelect)
    occupation = forms.ChoiceField(label=_("occupation"), choices=Occupation.choices)
    region = RegionChoiceField(
        label=_("region of domicile"), queryset=Region.objects.none(), help_text=_("regency or city")
    )
    wage = RupiahField(label=_("monthly wage or declared income, rupiah"), min_value=0, required=False, initial=0)

    def __init__(self, *args: Any, employers: QuerySet[Employer], fixed_employer: Employer | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        employer_field = self.fields["employer"]
        assert isinstance(employer_field, forms.ModelChoiceField)
        employer_field.queryset = employers.order_by("registration_number")
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = regencies()
        if fixed_employer is not None:
            # employer HR registers its own wage earners only
            self.fields["scheme"].initial = Scheme.PU
            self.fields["scheme"].choices = [(Scheme.PU.value, Scheme.PU.label)]  # type: ignore[attr-defined]
            employer_field.initial = fixed_employer.pk
            employer_field.required = True
            employer_field.empty_label = None

    def clean_nik(self) -> str:
        """The NIK's form (16 digits, a possible date) at once, with the other fields' errors; the use case checks the rest."""
        nik = str(self.cleaned_data["nik"]).strip()
        try:
            parse_nik(nik)
        except InvalidNIK as err:
            raise forms.ValidationError(translate_message(err.reason)) from None
        return nik

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data.get("wage") is None:
            data["wage"] = 0
        if data.get("employer") is None:
            data.pop("employer", None)
        return data


class EmployerForm(forms.Form):
    registration_number = forms.CharField(label=_("registration number"), max_length=20)
    name = forms.CharField(label=_("name"), max_length=200)
    sector = forms.CharField(label=_("sector"), max_length=60)
    size_class = forms.ChoiceField(label=_("size class"), choices=SizeClass.choices)
    risk_group = forms.TypedChoiceField(
        label=_("JKK risk group"),
        choices=[(str(i), str(i)) for i in range(1, 6)],
        coerce=int,
        help_text=_("1 (very low) to 5 (very high)"),
    )
    region = RegionChoiceField(label=_("region"), queryset=Region.objects.none(), help_text=_("regency or city"))
    branch = forms.ModelChoiceField(label=_("branch"), queryset=Branch.objects.none())

    def __init__(self, *args: Any, regions: QuerySet[Region], branches: QuerySet[Branch], **kwargs: Any):
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = regencies(regions)
        branch_field = self.fields["branch"]
        assert isinstance(branch_field, forms.ModelChoiceField)
        branch_field.queryset = branches
        if branches.count() == 1:
            branch_field.initial = branches.first()
            branch_field.empty_label = None
