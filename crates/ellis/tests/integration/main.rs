//! The integration suite: the real server on port 0 with a real database, mail captured from the real
//! outbox. Every test runs against SQLite, and against PostgreSQL when `ELLIS_TEST_POSTGRES_URL` names a
//! server (each test gets a database of its own). The browser test drives headless Chromium.
//!
//! A custom harness (libtest-mimic) lets tests whose tool is missing show up as *ignored*, loudly, rather
//! than pass without having run.

#[macro_use]
mod support;

mod accounts;
mod agency;
mod browser;
mod cases;
mod cli;
mod evidence;
mod instances;
mod paper;
mod profile;
mod protection;
mod reads;
mod recovery;
mod recovery_pages;
mod role_matrix;
mod second_factor;
mod seed;
mod sessions;
mod setup;
mod sign_in;
mod staff;
mod web;

use libtest_mimic::Arguments;
use support::{Backend, TestFn};

/// Every API test, run once per backend.
fn api_tests() -> Vec<(&'static str, TestFn)> {
    suite![
        accounts::sign_up_answers_check_email_and_sends_a_verification_link,
        accounts::signing_up_with_a_known_email_answers_exactly_like_a_new_one,
        accounts::sign_up_names_each_invalid_field,
        accounts::a_password_made_of_the_holders_own_details_is_refused,
        accounts::verification_link_works_once,
        accounts::verification_link_expires_after_24_hours,
        accounts::foreign_and_garbled_verification_tokens_are_refused,
        accounts::a_new_link_can_be_requested_without_revealing_anything,
        web::malformed_json_is_400_and_unknown_fields_are_422,
        web::bodies_over_the_limit_get_413_and_other_media_types_415,
        web::responses_carry_the_security_headers,
        web::every_response_carries_a_request_id_and_keeps_the_callers_own,
        web::page_forms_without_the_csrf_token_are_refused,
        web::every_path_in_the_openapi_document_is_served,
        web::unknown_pages_get_a_page_and_unknown_api_paths_a_problem,
        web::metrics_count_requests_by_route_not_by_path,
        web::a_failed_form_opens_with_a_summary_linking_to_each_field,
        web::signing_in_again_in_the_browser_replaces_the_earlier_session,
        web::the_session_cookie_gets_a_new_value_at_sign_in_and_at_the_second_factor,
        sign_in::unknown_email_and_wrong_password_answer_alike,
        sign_in::unverified_account_is_told_only_with_the_right_password,
        sign_in::parallel_wrong_passwords_lock_the_account_after_exactly_five,
        sign_in::four_wrong_passwords_do_not_lock_and_a_right_one_resets_the_count,
        sign_in::locked_account_rejects_the_right_password_until_the_wait_ends,
        sign_in::a_second_lock_lasts_twice_as_long,
        sign_in::locks_stop_doubling_at_a_day_and_the_hundredth_failure_needs_a_reset,
        setup::security_setup_assigns_a_valid_account_number_and_raises_the_session,
        setup::security_questions_need_three_distinct_known_questions,
        setup::a_wrong_code_does_not_confirm_the_authenticator,
        setup::concurrent_setups_get_distinct_account_numbers,
        setup::new_backup_codes_void_the_old_ones,
        second_factor::every_later_sign_in_needs_the_second_factor,
        second_factor::a_replayed_authenticator_code_is_refused,
        second_factor::a_backup_code_works_once,
        second_factor::an_emailed_code_works_once_and_expires_after_ten_minutes,
        second_factor::an_emailed_code_allows_five_tries,
        second_factor::an_emailed_code_is_dead_after_five_tries_even_without_a_lock,
        second_factor::wrong_codes_count_towards_the_lockout,
        second_factor::four_wrong_codes_do_not_lock_and_a_right_one_resets_the_count,
        sessions::sign_out_ends_the_session,
        sessions::sessions_end_after_fifteen_idle_minutes,
        sessions::sessions_end_after_twelve_hours_even_when_active,
        sessions::sessions_are_listed_and_can_be_ended_one_by_one,
        sessions::a_second_instance_on_the_same_database_shares_accounts_and_sessions,
        profile::profile_shows_the_account_number_apart_from_the_a_number,
        profile::profile_changes_are_validated_field_by_field,
        profile::optional_fields_can_be_cleared_with_null,
        profile::history_records_the_journey_newest_first,
        profile::only_real_changes_are_recorded_in_history,
        recovery::forgot_password_answers_alike_for_known_and_unknown_emails,
        recovery::a_reset_with_the_authenticator_sets_the_password_and_ends_every_session,
        recovery::a_reset_works_with_a_backup_code_or_an_emailed_code,
        recovery::a_reset_needs_a_second_factor_and_wrong_codes_use_up_the_link,
        recovery::a_reset_link_expires_after_thirty_minutes_and_foreign_tokens_are_refused,
        recovery::a_weak_new_password_changes_nothing,
        recovery::a_completed_reset_unlocks_the_account,
        recovery::lost_factors_recover_after_a_24_hour_wait_and_need_a_new_authenticator,
        recovery::a_recovery_can_be_cancelled_from_the_alert,
        recovery::five_wrong_answer_sets_close_the_recovery_path_for_a_day,
        recovery::forgot_username_reminds_by_account_number_or_a_number_and_says_nothing_else,
        recovery::forgot_username_names_malformed_fields,
        protection::a_compromise_report_ends_everything_and_recovery_takes_the_slow_path,
        protection::the_not_me_link_of_an_alert_secures_the_account,
        protection::the_not_me_link_expires_after_ten_days,
        protection::an_email_change_takes_effect_only_through_the_new_address,
        protection::the_old_address_can_undo_an_email_change_it_did_not_make,
        protection::an_email_change_needs_a_second_factor_from_the_last_twenty_minutes,
        protection::an_email_change_to_a_taken_address_is_refused_at_the_link,
        protection::a_pending_email_change_dies_with_a_compromise_report,
        protection::sign_out_everywhere_else_keeps_only_this_session,
        protection::a_sign_in_from_a_new_device_is_announced,
        protection::a_password_change_needs_the_current_password_and_ends_other_sessions,
        protection::email_sending_endpoints_are_limited_per_address,
        protection::history_is_hash_chained_and_downloadable,
        instances::wrong_passwords_spread_over_two_instances_lock_after_exactly_the_policy_count,
        instances::a_session_ended_on_one_instance_is_refused_by_the_other,
        instances::a_compromise_report_on_one_instance_ends_sessions_on_both,
        instances::one_reset_link_used_on_two_instances_at_once_works_exactly_once,
        recovery_pages::a_not_me_link_acts_only_when_its_button_is_pressed,
        recovery_pages::the_security_page_asks_for_the_second_factor_again_after_twenty_minutes,
        recovery_pages::a_stepped_up_session_goes_back_only_to_its_own_pages,
        recovery_pages::the_forgot_username_page_says_the_same_for_a_match_and_a_miss,
        recovery_pages::the_reset_page_offers_the_recovery_path_and_shows_the_wait,
        cases::forms_describe_themselves_with_their_online_fees,
        cases::filing_an_i90_issues_a_receipt_number_a_status_and_a_receipt_notice,
        cases::each_form_can_be_filed_and_bad_fields_are_named,
        cases::a_retry_with_the_same_idempotency_key_returns_the_same_case,
        cases::parallel_filings_get_distinct_receipt_numbers,
        cases::another_applicants_case_and_notice_are_not_found,
        cases::the_public_status_shows_title_and_description_in_english_or_spanish,
        cases::anyone_can_check_a_notices_verification_code,
        cases::a_draft_is_kept_until_the_form_is_filed,
        cases::the_form_page_saves_a_draft_names_bad_fields_and_files,
        cases::the_public_status_page_reads_like_uscis,
        paper::a_paper_case_gets_a_service_center_receipt_and_an_access_code,
        paper::the_access_code_links_the_case_once,
        paper::an_access_code_expires_after_ninety_days_and_dies_after_ten_wrong_tries,
        paper::a_paper_filing_naming_an_account_number_joins_that_account,
        paper::the_link_page_adds_the_case_and_explains_a_wrong_code,
        evidence::a_status_change_issues_its_notice_marks_the_case_unread_and_says_only_that_by_email,
        evidence::evidence_answers_the_request_and_moves_the_case_on,
        evidence::evidence_is_checked_by_content_and_size_and_kept_from_others,
        evidence::the_case_page_takes_evidence_with_its_form_token,
        staff::a_staff_member_sets_up_with_the_link_and_signs_in_with_the_authenticator,
        staff::a_setup_link_works_once_and_needs_a_strong_password,
        staff::applicant_tokens_and_password_only_staff_sessions_are_refused_on_staff_routes,
        staff::staff_sessions_end_after_fifteen_idle_minutes,
        staff::an_officer_requests_evidence_and_the_applicant_is_told,
        staff::only_officers_act_and_support_may_only_read,
        staff::an_officer_receives_a_paper_filing_with_or_without_an_account,
        staff::the_support_desk_finds_reads_and_unlocks_an_account_and_the_holder_sees_it,
        staff::the_support_desk_can_mark_an_account_compromised,
        role_matrix::every_route_answers_each_kind_of_caller_as_the_matrix_says,
        agency::admins_create_change_and_disable_staff_members,
        agency::admins_search_the_audit_by_account_and_by_staff,
        agency::the_desk_checks_a_callers_answers_and_starts_their_recovery,
        agency::a_consolidation_needs_a_second_agent_and_moves_everything,
        agency::concurrent_approvals_of_one_proposal_do_the_work_once,
        agency::a_consolidation_that_fails_half_way_changes_nothing,
        agency::the_support_desk_and_admin_pages_do_the_work_in_a_browser,
        seed::seeded_accounts_sign_in_and_own_cases_that_follow_the_catalogue,
        reads::a_request_reads_its_own_writes_and_no_snapshot_outlives_a_wait,
        reads::a_scope_gives_its_kept_connection_back_before_it_waits_for_another,
    ]
}

fn main() {
    let args = Arguments::from_args();
    let postgres = support::postgres_url();
    if postgres.is_none() {
        eprintln!(
            "\n{}\n",
            support::loud("ELLIS_TEST_POSTGRES_URL is not set: the PostgreSQL half of the suite is IGNORED (not run).")
        );
    }
    let mut trials = Vec::new();
    for (name, test) in api_tests() {
        trials.push(support::trial(format!("sqlite::{name}"), Backend::Sqlite, test, false));
        trials.push(support::trial(format!("postgres::{name}"), Backend::Postgres, test, postgres.is_none()));
    }
    trials.extend(cli::trials());
    trials.extend(browser::trials());
    libtest_mimic::run(&args, trials).exit();
}
