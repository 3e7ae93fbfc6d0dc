//! `/account/history`: the account's events, newest first.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::IntoResponse;

use crate::AppState;
use crate::services::history;
use crate::web::extract::{CsrfToken, PageAuth};
use crate::web::pages::{PageResult, format_time};

struct Row {
    when: String,
    what: String,
    ip: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/history.html")]
struct HistoryPage {
    entries: Vec<Row>,
    signed_in: bool,
    csrf: String,
}

pub async fn show(State(state): State<AppState>, PageAuth(auth): PageAuth, CsrfToken(csrf): CsrfToken) -> PageResult {
    let entries = history::history(&state, &auth)
        .await?
        .into_iter()
        .map(|e| Row {
            when: format_time(e.at),
            what: match e.detail {
                Some(detail) => format!("{}. {detail}", e.sentence),
                None => e.sentence.to_owned(),
            },
            ip: e.ip.unwrap_or_default(),
        })
        .collect();
    Ok(HistoryPage { entries, signed_in: true, csrf }.into_response())
}
