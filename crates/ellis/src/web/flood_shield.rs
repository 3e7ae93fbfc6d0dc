//! The per-IP flood shield on the public endpoints (DESIGN.md §4): a burst of requests per peer address,
//! refilled at a steady rate, and 429 with `Retry-After` beyond it. It keeps one process from being flooded;
//! it is not what stops password guessing (the lockout, counted in the database, does that), so it may
//! stay per process. The peer address is used, never `X-Forwarded-For`, which any client can write.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, Method, Response, StatusCode, header};
use axum::response::IntoResponse;
use governor::middleware::NoOpMiddleware;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::{GovernorConfig, GovernorConfigBuilder};
use tower_governor::key_extractor::PeerIpKeyExtractor;

use crate::config::Config;
use crate::services::ServiceError;
use crate::web::error::ApiError;
use crate::web::pages::MessagePage;

/// One limiter shared by every public route of the process (API and pages alike).
pub type Shield = Arc<GovernorConfig<PeerIpKeyExtractor, NoOpMiddleware>>;

/// The shield on public POSTs the configuration asks for; `None` when it is turned off.
pub fn from_config(config: &Config) -> Option<Shield> {
    limiter(config.flood_shield_burst, config.flood_shield_refill_ms, Method::POST)
}

/// The limit on public case-status look-ups (GET), which bots hammer (DOMAIN.md §8).
pub fn status_lookups(config: &Config) -> Option<Shield> {
    limiter(config.status_lookup_burst, config.status_lookup_refill_ms, Method::GET)
}

fn limiter(burst: u32, refill_ms: u64, method: Method) -> Option<Shield> {
    if burst == 0 {
        return None;
    }
    let shield = GovernorConfigBuilder::default()
        .period(Duration::from_millis(refill_ms))
        .burst_size(burst)
        .methods(vec![method])
        .finish()?;
    Some(Arc::new(shield))
}

/// The layer for JSON routes: a problem document.
pub fn api_layer(shield: &Shield) -> GovernorLayer<PeerIpKeyExtractor, NoOpMiddleware, Body> {
    GovernorLayer::new(shield.clone()).error_handler(|error| {
        let seconds = retry_after(&error);
        ApiError::from(ServiceError::RateLimited { retry_after_seconds: seconds }).into_response()
    })
}

/// The layer for pages: a page that says to wait.
pub fn page_layer(shield: &Shield) -> GovernorLayer<PeerIpKeyExtractor, NoOpMiddleware, Body> {
    GovernorLayer::new(shield.clone()).error_handler(|error| {
        let seconds = retry_after(&error);
        let page = MessagePage::new(
            "Too many attempts",
            format!("Too many requests came from your network. Wait {seconds} seconds, then try again."),
            None,
        );
        let mut response: Response<Body> = (StatusCode::TOO_MANY_REQUESTS, page).into_response();
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        response
    })
}

fn retry_after(error: &GovernorError) -> i64 {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => (*wait_time as i64).max(1),
        _ => 1,
    }
}
