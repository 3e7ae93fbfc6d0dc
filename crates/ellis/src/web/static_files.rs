//! Static assets, compiled into the binary so one file is the whole deployment.

use axum::http::header;
use axum::response::IntoResponse;

pub async fn app_css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/app.css"),
    )
}

/// `/api/v1/openapi.json`: the API described for clients and generators. Written by hand alongside API.md;
/// the integration suite checks that every path it lists is served.
pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], include_str!("../../static/openapi.json"))
}
