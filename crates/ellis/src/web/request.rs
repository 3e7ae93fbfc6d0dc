//! What wraps every request, in one middleware: an `x-request-id` (the caller's, or a new one) on the request
//! and its response, a trace span carrying it, the security headers, and one database read snapshot for the
//! whole request (`Store::read_scope`). These were five tower layers, each a boxed service and future per
//! request, and the request id was a fresh random UUID; one function does the same work with less.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::web::security_headers;

static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A new request id: this process's random prefix and a counter, 24 hex digits. Unique across instances
/// (the prefix) without a random draw per request; ids are for finding log lines, never secrets.
fn new_request_id() -> HeaderValue {
    static PREFIX: LazyLock<u32> = LazyLock::new(rand::random);
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let id = format!("{:08x}{n:016x}", *PREFIX);
    HeaderValue::from_str(&id).unwrap_or_else(|_| HeaderValue::from_static("-"))
}

/// A caller's own id is kept when it is short and printable.
fn callers_id(request: &Request) -> Option<HeaderValue> {
    let value = request.headers().get(&X_REQUEST_ID)?;
    let ok = !value.is_empty() && value.len() <= 128 && value.as_bytes().iter().all(|b| b.is_ascii_graphic());
    ok.then(|| value.clone())
}

pub async fn wrap(mut request: Request, next: Next) -> Response {
    let id = match callers_id(&request) {
        Some(id) => id,
        None => {
            let id = new_request_id();
            request.headers_mut().insert(X_REQUEST_ID.clone(), id.clone());
            id
        }
    };
    let is_static = request.uri().path().starts_with("/static/");
    let span = tracing::info_span!(
        "request",
        http.method = %request.method(),
        http.path = %request.uri().path(),
        request.id = id.to_str().unwrap_or("-"),
    );
    let started = Instant::now();
    let mut response = ellis_store::Store::read_scope(next.run(request)).instrument(span.clone()).await;
    let status = response.status();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    if status.is_server_error() {
        tracing::error!(parent: &span, status = status.as_u16(), latency_ms, "request failed");
    } else {
        tracing::debug!(parent: &span, status = status.as_u16(), latency_ms, "request finished");
    }
    let headers = response.headers_mut();
    headers.insert(X_REQUEST_ID.clone(), id);
    security_headers::apply(headers, is_static);
    response
}
