"""The calculator page: a form generated for every rule, results with their explanation, errors by field."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from paritrana.accounts.models import Profile, Role
from paritrana.rules import all_rules


@pytest.fixture
def client(db: None) -> Client:
    user = get_user_model().objects.create(username="penilai")
    Profile.objects.create(user=user, role=Role.ASSESSOR)
    c = Client()
    c.force_login(user)
    return c


def html(response: Any) -> str:
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_list_links_every_rule(client: Client) -> None:
    page = html(client.get("/calculator/"))
    for rule in all_rules():
        assert f'href="/calculator/{rule.name}/"' in page


@pytest.mark.parametrize("name", [r.name for r in all_rules()])
def test_every_rule_has_a_form_with_every_input(client: Client, name: str) -> None:
    page = html(client.get(f"/calculator/{name}/"))
    rule = next(r for r in all_rules() if r.name == name)
    assert 'name="date"' in page
    for field in rule.inputs:
        assert f'name="{field.name}"' in page, field.name


def test_a_result_shows_outputs_and_the_parameters_with_their_references(client: Client) -> None:
    page = html(
        client.post(
            "/calculator/pu_contributions/",
            {
                "date": "2024-05-01",
                "wage": "5000000",
                "risk_group": "1",
                "in_jp": "true",
                "in_jkp": "true",
                "employer_in_arrears": "false",
                "labour_intensive_relief": "false",
            },
            HTTP_ACCEPT_LANGUAGE="id",
        )
    )
    assert 'id="outputs"' in page
    assert "12.000" in page  # JKK 0.24 % of Rp 5,000,000, digits grouped the Indonesian way
    assert "462.000" in page  # the total
    # the parameter in Indonesian words (never its key, nor its English name), its regulation, the date it is in
    # force from in Indonesian
    assert "tarif JKK PU" in page and "JKK PU rate" not in page and "jkk.pu.rate" not in page
    assert "PP 44/2015" in page and "1 Juli 2015" in page
    assert "0,24 %" in page  # the rate of risk group 1, as a percentage


def test_an_uncertain_parameter_is_marked(client: Client) -> None:
    page = html(
        client.get(
            "/calculator/jp_old_age_benefit/?date=2021-06-01&contribution_months=200"
            "&average_wage=5000000&birth_date=1960-01-01&lump_sum=0"
        )
    )
    # the JP minimum and maximum of 2021 are derived values (grade C), marked uncertain in jp.yaml
    # shown with a plain note, never the words "uncertain" or a grade
    assert "nilai belum dipastikan oleh peraturan yang diterbitkan" in page
    text = re.sub(r"<[^>]+>", " ", page)
    assert "uncertain" not in text and "grade" not in text


def test_an_input_below_its_minimum_is_shown_next_to_the_field(client: Client) -> None:
    page = html(
        client.post(
            "/calculator/pu_contributions/",
            {
                "date": "2024-05-01",
                "wage": "-5",
                "risk_group": "1",
                "in_jp": "true",
                "in_jkp": "true",
                "employer_in_arrears": "false",
                "labour_intensive_relief": "false",
            },
        )
    )
    assert 'id="error-wage"' in page
    assert 'id="outputs"' not in page


def test_a_date_before_the_law_is_an_error_on_the_date(client: Client) -> None:
    page = html(
        client.post(
            "/calculator/pu_contributions/",
            {
                "date": "2010-01-01",
                "wage": "5000000",
                "risk_group": "1",
                "in_jp": "true",
                "in_jkp": "true",
                "employer_in_arrears": "false",
                "labour_intensive_relief": "false",
            },
        )
    )
    assert 'id="error-date"' in page
    assert "belum memiliki nilai yang berlaku" in page  # Indonesian, from the rules' English message
    # the parameter by its Indonesian name and the dates in words, never the key or an ISO date
    assert "tarif JKK PU belum memiliki nilai yang berlaku pada 1 Januari 2010" in page
    assert "berlaku mulai 1 Juli 2015" in page and "2015-07-01" not in page and "jkk.pu.rate" not in page


def test_an_unknown_rule_is_not_found(client: Client) -> None:
    assert client.get("/calculator/no_such_rule/").status_code == 404
