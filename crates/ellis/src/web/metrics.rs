//! Prometheus metrics at `/metrics`: requests by route and status, and their latency. Routes are the
//! router's patterns (`/api/v1/me/sessions/{id}`), never raw paths, so the series stay few and carry no
//! personal data.

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock, RwLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics::{Counter, Histogram};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// The process's recorder, installed once: metrics belong to the process, however many apps it runs.
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        // Fails only if another recorder was installed first; then this handle simply renders nothing.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

pub async fn render() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle().render())
}

/// Each route's series handles, registered on first use: looking a labelled series up in the registry on
/// every request (three label strings allocated, hashed and compared) cost more than the request's own
/// routing. Keyed by the route pattern, so the map holds one entry per route.
#[derive(Default)]
struct RouteSeries {
    durations: Vec<(Method, Histogram)>,
    requests: Vec<(Method, u16, Counter)>,
}

static SERIES: LazyLock<RwLock<HashMap<String, RouteSeries>>> = LazyLock::new(Default::default);

fn lookup(route: &str, method: &Method, status: u16) -> Option<(Histogram, Counter)> {
    let series = SERIES.read().ok()?;
    let route = series.get(route)?;
    let duration = route.durations.iter().find(|(m, _)| m == method)?.1.clone();
    let requests = route.requests.iter().find(|(m, s, _)| m == method && *s == status)?.2.clone();
    Some((duration, requests))
}

fn register(route: &str, method: &Method, status: u16) -> (Histogram, Counter) {
    let duration = metrics::histogram!("ellis_http_request_duration_seconds",
        "method" => method.to_string(), "route" => route.to_owned());
    let requests = metrics::counter!("ellis_http_requests_total",
        "method" => method.to_string(), "route" => route.to_owned(), "status" => status.to_string());
    if let Ok(mut series) = SERIES.write() {
        let entry = series.entry(route.to_owned()).or_default();
        if !entry.durations.iter().any(|(m, _)| m == method) {
            entry.durations.push((method.clone(), duration.clone()));
        }
        if !entry.requests.iter().any(|(m, s, _)| m == method && *s == status) {
            entry.requests.push((method.clone(), status, requests.clone()));
        }
    }
    (duration, requests)
}

pub async fn record(request: Request, next: Next) -> Response {
    handle();
    let route = request.extensions().get::<MatchedPath>().cloned();
    let method = request.method().clone();
    let started = Instant::now();
    let response = next.run(request).await;
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    let status = response.status().as_u16();
    let (duration, requests) = lookup(route, &method, status).unwrap_or_else(|| register(route, &method, status));
    requests.increment(1);
    duration.record(started.elapsed().as_secs_f64());
    response
}
