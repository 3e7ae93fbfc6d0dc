//! Every URL ellis serves, by area: the JSON API, the HTML pages, static files and health checks.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Uri;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::csrf::CsrfLayer;

use std::sync::Arc;

use crate::AppState;
use crate::config::Config;
use crate::web::error::ApiError;
use crate::web::routes::Routes;
use crate::web::{api, extract, flood_shield, health, metrics, pages, request, static_files};

pub fn router(state: AppState) -> Router {
    all_routes(&state.config)
        .into_router()
        .fallback(not_found)
        .route_layer(middleware::from_fn(metrics::record))
        .layer(DefaultBodyLimit::max(state.config.body_limit_bytes))
        .layer(middleware::from_fn(request::wrap))
        .with_state(state)
}

/// Every route, with the limits and form checks that belong to each area, before the layers that wrap all.
fn all_routes(config: &Arc<Config>) -> Routes {
    let shield = flood_shield::from_config(config);
    let status_limit = flood_shield::status_lookups(config);
    let public_api = api::v1::public_routes().map(|r| match &shield {
        Some(shield) => r.layer(flood_shield::api_layer(shield)),
        None => r,
    });
    let status_api = api::v1::status_routes().map(|r| match &status_limit {
        Some(limit) => r.layer(flood_shield::api_layer(limit)),
        None => r,
    });
    let public_pages = pages::public_routes().map(|r| match &shield {
        Some(shield) => r.layer(flood_shield::page_layer(shield)),
        None => r,
    });
    let status_pages = pages::status_routes().map(|r| match &status_limit {
        Some(limit) => r.layer(flood_shield::page_layer(limit)),
        None => r,
    });
    // Pages: the origin check (Origin / Sec-Fetch-Site) first, then the form token.
    let pages = pages::routes().merge(public_pages).merge(status_pages).map(|r| {
        r.layer(middleware::from_fn_with_state(config.clone(), extract::csrf::protect)).layer(CsrfLayer::new())
    });
    Routes::new()
        .merge(api::v1::routes())
        .merge(public_api)
        .merge(status_api)
        .merge(pages)
        .route("/health", get(health::live))
        .route("/ready", get(health::ready))
        .route("/metrics", get(metrics::render))
        .route("/static/app.css", get(static_files::app_css))
        .route("/api/v1/openapi.json", get(static_files::openapi))
}

/// Every path ellis serves (axum's syntax: `/cases/{receipt}`), for the role-matrix test.
pub fn route_paths(config: &Arc<Config>) -> Vec<&'static str> {
    all_routes(config).paths().to_vec()
}

/// Unknown URLs: a problem document under `/api/`, a page everywhere else.
async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::RouteNotFound.into_response()
    } else {
        pages::PageError::from(crate::services::ServiceError::NotFound).into_response()
    }
}
