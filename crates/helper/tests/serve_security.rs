//! The localhost server's security rules, each proven by sending the forbidden request.
//!
//! Most tests call the router directly with `oneshot`; `real_server_*` binds a socket.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use acr_health_helper::command::HostEnv;
use acr_health_helper::pairing::PairingSecret;
use acr_health_helper::registry::proxy::ProxyEnv;
use acr_health_helper::run::RunContext;
use acr_health_helper::serve::{self, app, Limits, Origin, ServeConfig};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, Response, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

const PORT: u16 = 8765;
const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const PORTAL: &str = "https://portal.example";

fn dist() -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("acr-health-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create dist");
    std::fs::write(dir.join("index.html"), "<!doctype html><h1>page</h1>").expect("index");
    std::fs::write(dir.join("app.js"), "export const x = 1;").expect("js");
    std::fs::write(dir.join("app_bg.wasm"), b"\0asm\x01\0\0\0").expect("wasm");
    dir
}

fn config(limits: Limits) -> ServeConfig {
    ServeConfig {
        port: PORT,
        dist: dist(),
        extra_origins: vec![Origin::parse(PORTAL).expect("valid origin")],
        secret: PairingSecret::from_value(SECRET),
        limits,
        context: Arc::new(
            RunContext::new(
                HostEnv::default(),
                ProxyEnv::default(),
                None,
                Duration::from_secs(2),
            )
            .expect("TLS roots load"),
        ),
    }
}

fn get(path: &str) -> axum::http::request::Builder {
    Request::get(path)
        .header(header::HOST, format!("127.0.0.1:{PORT}"))
        .extension(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 50000))))
}

fn post(path: &str) -> axum::http::request::Builder {
    Request::post(path)
        .header(header::HOST, format!("127.0.0.1:{PORT}"))
        .header(header::CONTENT_TYPE, "application/json")
        .extension(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 50000))))
}

async fn send(request: Request<Body>) -> Response<Body> {
    app(&config(Limits::default()))
        .oneshot(request)
        .await
        .expect("router is infallible")
}

async fn body_text(response: Response<Body>) -> String {
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    String::from_utf8(bytes.to_vec()).expect("utf-8 body")
}

const RUN_BODY: &str = r#"{"registry":"127.0.0.1:1","cloud":"AzureCloud","credential":{"kind":"anonymous"},"pull":{"consent":false,"image":null}}"#;

#[tokio::test]
async fn page_served_at_root() {
    let response = send(get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(body_text(response).await.contains("<h1>page</h1>"));
}

#[tokio::test]
async fn wasm_served_as_application_wasm() {
    let response = send(get("/app_bg.wasm").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/wasm");
}

#[tokio::test]
async fn js_served_as_javascript() {
    let response = send(get("/app.js").body(Body::empty()).unwrap()).await;
    let content_type = response.headers()[header::CONTENT_TYPE].to_str().unwrap();
    assert!(content_type.contains("javascript"), "{content_type}");
}

#[tokio::test]
async fn path_traversal_not_served() {
    let response = send(get("/../../etc/passwd").body(Body::empty()).unwrap()).await;
    assert_ne!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn capabilities_need_no_pairing() {
    let response = send(get("/api/v1/capabilities").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(json["api"], 1);
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["pairing"], "required");
    let checks = json["checks"].as_array().expect("checks array");
    assert!(checks.iter().any(|c| c == "docker_daemon"));
}

#[tokio::test]
async fn host_rebinding_rejected() {
    for host in [
        "evil.test:8765".to_owned(),
        "127.0.0.1".to_owned(),
        "127.0.0.1:8766".to_owned(),
        "localhost.evil.test:8765".to_owned(),
        "127.0.0.2:8765".to_owned(),
    ] {
        let request = Request::get("/api/v1/capabilities")
            .header(header::HOST, &host)
            .body(Body::empty())
            .unwrap();
        let response = send(request).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "host {host}");
    }
}

#[tokio::test]
async fn host_missing_rejected() {
    let request = Request::get("/").body(Body::empty()).unwrap();
    assert_eq!(send(request).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn host_loopback_names_accepted() {
    for host in [
        "127.0.0.1:8765",
        "localhost:8765",
        "[::1]:8765",
        "LOCALHOST:8765",
    ] {
        let request = Request::get("/api/v1/capabilities")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        assert_eq!(send(request).await.status(), StatusCode::OK, "host {host}");
    }
}

#[tokio::test]
async fn cors_foreign_origin_rejected() {
    let request = get("/api/v1/capabilities")
        .header(header::ORIGIN, "https://evil.test")
        .body(Body::empty())
        .unwrap();
    let response = send(request).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());
}

#[tokio::test]
async fn cors_lookalike_origins_rejected() {
    for origin in [
        "https://portal.example.evil.test",
        "http://portal.example",
        "https://portal.example:444",
        "null",
        "*",
    ] {
        let request = get("/api/v1/capabilities")
            .header(header::ORIGIN, origin)
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            send(request).await.status(),
            StatusCode::FORBIDDEN,
            "{origin}"
        );
    }
}

#[tokio::test]
async fn cors_allowed_origin_echoed_never_star() {
    let request = get("/api/v1/capabilities")
        .header(header::ORIGIN, PORTAL)
        .body(Body::empty())
        .unwrap();
    let response = send(request).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        PORTAL
    );
}

#[tokio::test]
async fn cors_own_origin_allowed() {
    let request = get("/api/v1/capabilities")
        .header(header::ORIGIN, format!("http://127.0.0.1:{PORT}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(request).await.status(), StatusCode::OK);
}

fn preflight(origin: &str) -> Request<Body> {
    Request::options("/api/v1/run")
        .header(header::HOST, format!("127.0.0.1:{PORT}"))
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "authorization, content-type",
        )
        .header("access-control-request-private-network", "true")
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn private_network_preflight_allowed_origin() {
    let response = send(preflight(PORTAL)).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        response.headers()["access-control-allow-private-network"],
        "true"
    );
    assert_eq!(
        response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        PORTAL
    );
}

#[tokio::test]
async fn private_network_preflight_foreign_origin_rejected() {
    let response = send(preflight("https://evil.test")).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response
        .headers()
        .get("access-control-allow-private-network")
        .is_none());
    assert!(response
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());
}

#[tokio::test]
async fn run_without_pairing_rejected() {
    let response = send(post("/api/v1/run").body(Body::from(RUN_BODY)).unwrap()).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn run_with_wrong_pairing_rejected() {
    let wrong = format!("Pairing {}", SECRET.replace('0', "1"));
    let request = post("/api/v1/run")
        .header(header::AUTHORIZATION, wrong)
        .body(Body::from(RUN_BODY))
        .unwrap();
    let response = send(request).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(!body_text(response).await.contains(SECRET));
}

#[tokio::test]
async fn run_with_other_scheme_rejected() {
    let request = post("/api/v1/run")
        .header(header::AUTHORIZATION, format!("Bearer {SECRET}"))
        .body(Body::from(RUN_BODY))
        .unwrap();
    assert_eq!(send(request).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn run_body_over_limit_rejected() {
    let limits = Limits {
        body_bytes: 1024,
        ..Limits::default()
    };
    let padding = "x".repeat(4096);
    let body = format!(
        r#"{{"registry":"{padding}","cloud":"AzureCloud","credential":{{"kind":"anonymous"}}}}"#
    );
    let request = post("/api/v1/run")
        .header(header::AUTHORIZATION, format!("Pairing {SECRET}"))
        .body(Body::from(body))
        .unwrap();
    let response = app(&config(limits)).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn rate_limit_rejects_flood() {
    let limits = Limits {
        requests_per_window: 3,
        window: Duration::from_secs(60),
        ..Limits::default()
    };
    let router = app(&config(limits));
    for attempt in 0..3 {
        let request = get("/api/v1/capabilities").body(Body::empty()).unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "attempt {attempt}");
    }
    let request = get("/api/v1/capabilities").body(Body::empty()).unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn rate_limit_counts_pairing_guesses() {
    let limits = Limits {
        requests_per_window: 2,
        ..Limits::default()
    };
    let router = app(&config(limits));
    for _ in 0..2 {
        let request = post("/api/v1/run")
            .header(header::AUTHORIZATION, "Pairing guess")
            .body(Body::from(RUN_BODY))
            .unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let request = post("/api/v1/run")
        .header(header::AUTHORIZATION, format!("Pairing {SECRET}"))
        .body(Body::from(RUN_BODY))
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn real_server_rejects_rebinding() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let (listener, port) = serve::bind(0).await.expect("bind loopback");
    let config = ServeConfig {
        port,
        ..config(Limits::default())
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve::run(listener, config, async {
        let _ = stopped.await;
    }));

    let exchange = |host: String| async move {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connect");
        let request = format!(
            "GET /api/v1/capabilities HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.expect("read");
        answer
    };

    let good = exchange(format!("127.0.0.1:{port}")).await;
    assert!(good.starts_with("HTTP/1.1 200"), "{good}");
    let rebound = exchange(format!("attacker.test:{port}")).await;
    assert!(rebound.starts_with("HTTP/1.1 403"), "{rebound}");

    stop.send(()).expect("server still running");
    server.await.expect("join").expect("server ran");
}
