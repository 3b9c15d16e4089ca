"""Pages of the web application."""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path

from paritrana.web.views import accounts as accounts
from paritrana.web.views import award as award
from paritrana.web.views import award_panel, calculator, home
from paritrana.web.views import bank as bank
from paritrana.web.views import bills as bills
from paritrana.web.views import claim_officers as claim_officers
from paritrana.web.views import claims as claims
from paritrana.web.views import coverage as coverage
from paritrana.web.views import employers as employers
from paritrana.web.views import programmes as programmes
from paritrana.web.views import progress as progress
from paritrana.web.views import projection as projection
from paritrana.web.views import scenarios as scenarios
from paritrana.web.views import wages as wages
from paritrana.web.views import workers as workers

app_name = "web"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", home.home, name="home"),
    path("progress/<str:token>/", progress.progress, name="progress"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("employers/", employers.employer_list, name="employers"),
    path("employers/new/", employers.register, name="register_employer"),
    path("employers/<int:pk>/", employers.detail, name="employer"),
    path("workers/", workers.search, name="workers"),
    path("workers/new/", workers.register, name="register_worker"),
    path("workers/<int:pk>/", workers.detail, name="worker"),
    path("calculator/", calculator.rule_list, name="calculator"),
    path("calculator/<slug:name>/", calculator.rule_page, name="calculator_rule"),
    path("bills/", bills.bill_list, name="bills"),
    path("bills/<int:pk>/", bills.bill_detail, name="bill"),
    path("bills/<int:pk>/pdf", bills.bill_pdf, name="bill_pdf"),
    path("payers/<int:pk>/", bills.payer_detail, name="payer"),
    path("payers/<int:pk>/payments/", bills.record_payment, name="record_payment"),
    path("arrears/", bills.arrears_list, name="arrears"),
    path("bank/", bank.exceptions, name="bank_exceptions"),
    path("bank/exceptions/<int:pk>/resolve/", bank.resolve, name="bank_resolve"),
    path("bank/statements/", bank.statements, name="bank_statements"),
    path("bank/manual/", bank.manual_list, name="bank_manual"),
    path("bank/manual/<int:pk>/confirm/", bank.manual_confirm, name="bank_manual_confirm"),
    path("bank/manual/<int:pk>/reject/", bank.manual_reject, name="bank_manual_reject"),
    path("bank/manual/<int:pk>/evidence", bank.manual_evidence, name="bank_manual_evidence"),
    path("bank/reconciliation/", bank.reconciliation, name="bank_reconciliation"),
    path("employers/<int:pk>/wages/", wages.wage_list, name="wages"),
    path("employers/<int:pk>/wages/report/", wages.report, name="wage_report"),
    path("employers/<int:pk>/wages/upload/", wages.upload, name="wage_file"),
    path("employers/<int:pk>/wages/template/", wages.template_file, name="wage_template"),
    path("wage-uploads/<int:pk>/", wages.upload_detail, name="wage_upload"),
    path("wage-uploads/<int:pk>/store-valid/", wages.store_valid, name="wage_store_valid"),
    path("wage-uploads/<int:pk>/errors.csv", wages.upload_errors_csv, name="wage_upload_errors"),
    path("workers/<int:pk>/statement/", accounts.statement, name="statement"),
    path("workers/<int:pk>/statement/pdf", accounts.statement_pdf, name="statement_pdf"),
    path("workers/<int:pk>/contributions/", accounts.month_status, name="worker_status"),
    path("employers/<int:pk>/compliance/", accounts.compliance, name="compliance"),
    path("claims/", claims.claim_list, name="claims"),
    path("claims/new/", claims.new_claim, name="new_claim"),
    path("claims/report/", claim_officers.report, name="claims_report"),
    path("claims/<int:pk>/", claims.claim_detail, name="claim"),
    path("claims/<int:pk>/documents/<int:doc_id>", claims.claim_document, name="claim_document"),
    path("claims/<int:pk>/documents/", claim_officers.add_document, name="claim_add_document"),
    path("claims/<int:pk>/letter.pdf", claims.claim_letter, name="claim_letter"),
    path("claims/<int:pk>/verify/", claim_officers.verify, name="claim_verify"),
    path("claims/<int:pk>/approve/", claim_officers.approve, name="claim_approve"),
    path("claims/<int:pk>/pay/", claim_officers.pay, name="claim_pay"),
    path("claims/<int:pk>/approve-and-pay/", claim_officers.approve_and_pay, name="claim_approve_pay"),
    path("claims/<int:pk>/reject/", claim_officers.reject, name="claim_reject"),
    path("claims/<int:pk>/stop/", claim_officers.stop_instalments, name="claim_stop"),
    path("coverage/", coverage.national, name="coverage"),
    path("projection/", projection.projection, name="projection"),
    path("scenarios/", scenarios.scenario_list, name="scenarios"),
    path("scenarios/<int:scenario_id>/", scenarios.scenario_detail, name="scenario"),
    path("scenario-runs/<int:run_id>/brief.pdf", scenarios.scenario_brief, name="scenario_brief"),
    path("coverage/export.xlsx", coverage.export, name="coverage_export"),
    path("coverage/workforce/", coverage.workforce_page, name="coverage_workforce"),
    path("coverage/<str:code>/", coverage.region, name="coverage_region"),
    path("coverage/<str:code>/segments/", coverage.segments, name="coverage_segments"),
    path("programmes/", programmes.programme_list, name="programmes"),
    path("programmes/new/", programmes.programme_new, name="programme_new"),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme"),
    path("programmes/<int:pk>/lists/", programmes.programme_upload, name="programme_upload"),
    path("programmes/<int:pk>/beneficiaries/", programmes.beneficiary_list, name="programme_beneficiaries"),
    path("programmes/<int:pk>/planner/", programmes.planner, name="programme_planner"),
    path("programmes/<int:pk>/renew/", programmes.programme_renew, name="programme_renew"),
    path("beneficiary-lists/<int:pk>/", programmes.list_detail, name="beneficiary_list"),
    path("beneficiary-lists/<int:pk>/confirm/", programmes.list_confirm, name="beneficiary_list_confirm"),
    path("beneficiary-lists/<int:pk>/rows.csv", programmes.list_errors_csv, name="beneficiary_list_rows"),
    path("follow-up/", programmes.follow_up, name="follow_up"),
    path("award/", award.index, name="award"),
    path("award/results/", award.public_results, name="award_results"),
    path("award/rounds/<int:pk>/", award.round_page, name="award_round"),
    path("award/rounds/<int:pk>/close/", award.close_round, name="award_close"),
    path("award/rounds/<int:pk>/compute/", award.compute_round, name="award_compute"),
    path("award/rounds/<int:pk>/panel/seat/", award_panel.seat, name="award_seat"),
    path("award/rounds/<int:pk>/panel/unseat/", award_panel.unseat, name="award_unseat"),
    path("award/rounds/<int:pk>/nominate/", award_panel.nominate, name="award_nominate"),
    path("award/self-nominate/", award_panel.self_nominate, name="award_self_nominate"),
    path("award/rankings/<int:pk>/publish/", award.publish, name="award_publish"),
    path("award/rankings/<int:pk>/report.<str:fmt>", award.report, name="award_report"),
    path("award/editions/<int:pk>/promote/", award.promote, name="award_promote"),
    path("award/candidates/<int:pk>/", award.candidate_page, name="award_candidate"),
    path("award/candidates/<int:pk>/scorecard.pdf", award.scorecard_pdf, name="award_scorecard"),
    path("award/submissions/<int:pk>/file", award.submission_file, name="award_submission_file"),
]
