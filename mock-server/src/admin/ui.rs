//! The dashboard at `/__admin/ui`: one HTML page, a stylesheet and a script, compiled into the
//! binary (no front-end toolchain, nothing fetched from the internet). The page reads and drives
//! the admin API itself, so it sits behind the same guard (loopback, or the admin token).

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// fintwin's stylesheet, shared with the conformance runner's HTML report.
pub const STYLE: &str = include_str!("ui/style.css");
const PAGE: &str = include_str!("ui/dashboard.html");
const SCRIPT: &str = include_str!("ui/dashboard.js");

/// `/ui`, `/ui/style.css`, `/ui/dashboard.js` (nested under `/__admin`).
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/ui", get(page))
        .route("/ui/", get(page))
        .route("/ui/style.css", get(|| async { asset("text/css; charset=utf-8", STYLE) }))
        .route("/ui/dashboard.js", get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }))
}

/// Whether `path` (inside `/__admin`) is one of the dashboard's own files, which hold no data.
pub fn is_shell(path: &str) -> bool {
    matches!(path, "/ui" | "/ui/" | "/ui/style.css" | "/ui/dashboard.js")
}

async fn page() -> Response {
    // What the script needs from the twins' own constants, so it never keeps a copy of them.
    let meta = serde_json::json!({ "taler_statuses": crate::providers::taler::model::STATUSES });
    // `</` cannot appear in JSON from these constants; escaped anyway so the script block stays closed.
    let meta = meta.to_string().replace("</", "<\\/");
    // Links to each API's OpenAPI document, for tools that import one (Postman, Insomnia, Prism).
    let links: Vec<String> = crate::providers::TARGET_NAMES
        .iter()
        .map(|name| format!("<a href=\"/__admin/openapi/{name}.json\">{name}</a>"))
        .collect();
    let html = PAGE.replace("{{META}}", &meta).replace("{{OPENAPI}}", &links.join(" · "));
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], html).into_response()
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    #[tokio::test]
    async fn the_page_names_its_assets_and_carries_the_taler_statuses() -> Result<(), Box<dyn std::error::Error>> {
        let app: Router = router();
        let response = app.clone().oneshot(Request::get("/ui").body(Body::empty())?).await?;
        assert_eq!(response.status(), StatusCode::OK);
        let html = String::from_utf8(axum::body::to_bytes(response.into_body(), usize::MAX).await?.to_vec())?;
        assert!(html.contains("/__admin/ui/dashboard.js") && html.contains("/__admin/ui/style.css"));
        assert!(html.contains("\"kyc-required\"") && !html.contains("{{META}}"));
        assert!(html.contains("href=\"/__admin/openapi/pti-v1.json\"") && !html.contains("{{OPENAPI}}"));
        for (path, kind) in [("/ui/style.css", "text/css"), ("/ui/dashboard.js", "text/javascript")] {
            let response = app.clone().oneshot(Request::get(path).body(Body::empty())?).await?;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert!(response.headers()[header::CONTENT_TYPE].to_str()?.starts_with(kind), "{path}");
        }
        Ok(())
    }
}
