//! `POST /api/v1/run`: a paired request streams one NDJSON line per check, then the report.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use acr_health_helper::command::HostEnv;
use acr_health_helper::pairing::PairingSecret;
use acr_health_helper::registry::proxy::ProxyEnv;
use acr_health_helper::run::RunContext;
use acr_health_helper::serve::{app, Limits, ServeConfig};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

const PORT: u16 = 8765;
const SECRET: &str = "feedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedface";
const PASSWORD: &str = "lab-password-must-not-leak";

fn config(limits: Limits) -> ServeConfig {
    // PATH leads only to the installed Docker clients and Debian's notary.
    ServeConfig {
        port: PORT,
        dist: std::env::temp_dir(),
        extra_origins: Vec::new(),
        secret: PairingSecret::from_value(SECRET),
        limits,
        context: Arc::new(
            RunContext::new(
                HostEnv {
                    path: Some("/usr/local/bin:/usr/bin".into()),
                    overrides: Vec::new(),
                    extra: vec![(
                        "DOCKER_HOST".to_owned(),
                        "unix:///nonexistent/acr-health/docker.sock".to_owned(),
                    )],
                },
                ProxyEnv::default(),
                None,
                Duration::from_secs(2),
            )
            .expect("TLS roots load"),
        ),
    }
}

fn run_request(body: &str) -> Request<Body> {
    Request::post("/api/v1/run")
        .header(header::HOST, format!("127.0.0.1:{PORT}"))
        .header(header::ORIGIN, format!("http://127.0.0.1:{PORT}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Pairing {SECRET}"))
        .extension(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 50000))))
        .body(Body::from(body.to_owned()))
        .unwrap()
}

/// Collects log output in memory.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn run_streams_results_then_report() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let body = format!(
        r#"{{"registry":"127.0.0.1:1","cloud":"AzureCloud","credential":{{"kind":"password","username":"admin","password":"{PASSWORD}"}},"pull":{{"consent":false,"image":null}}}}"#
    );
    let response = app(&config(Limits::default()))
        .oneshot(run_request(&body))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/x-ndjson"
    );

    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    assert!(lines.len() >= 2, "{text}");

    let (report, results) = lines.split_last().unwrap();
    assert_eq!(report["type"], "report");
    assert!(results.iter().all(|line| line["type"] == "result"));
    let daemon = results
        .iter()
        .find(|line| line["result"]["check"] == "docker_daemon")
        .expect("a docker_daemon result");
    assert_eq!(daemon["result"]["code"], "DOCKER_DAEMON_ERROR");
    assert_eq!(daemon["result"]["side"], "machine");
    assert_eq!(
        report["report"]["results"].as_array().unwrap().len(),
        results.len()
    );
    assert_eq!(
        report["report"]["helper_version"],
        env!("CARGO_PKG_VERSION")
    );

    assert!(!text.contains(PASSWORD), "the stream repeats the password");
    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logged.contains("run started"), "{logged}");
    assert!(!logged.contains(PASSWORD), "the log contains the password");
    assert!(
        !logged.contains(SECRET),
        "the log contains the pairing secret"
    );
}

#[tokio::test]
async fn run_invalid_pull_image_rejected() {
    let body = r#"{"registry":"127.0.0.1:1","credential":{"kind":"anonymous"},"pull":{"consent":true,"image":"--privileged; rm -rf /"}}"#;
    let response = app(&config(Limits::default()))
        .oneshot(run_request(body))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn run_unknown_field_rejected() {
    let body = r#"{"registry":"127.0.0.1:1","command":"rm -rf /"}"#;
    let response = app(&config(Limits::default()))
        .oneshot(run_request(body))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn run_beyond_concurrency_rejected() {
    let limits = Limits {
        concurrent_runs: 0,
        ..Limits::default()
    };
    let body = r#"{"registry":"127.0.0.1:1"}"#;
    let response = app(&config(limits))
        .oneshot(run_request(body))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_checks_lab_registry() {
    use acr_health_lab::{Lab, LabConfig};

    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let body = serde_json::json!({
        "registry": lab.base_url(),
        "cloud": "AzureCloud",
        "credential": {
            "kind": "password",
            "username": lab.admin().username,
            "password": lab.admin().password,
        },
        "pull": { "consent": false, "image": null },
    })
    .to_string();
    let response = app(&config(Limits::default()))
        .oneshot(run_request(&body))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        !text.contains(&lab.admin().password),
        "the stream repeats the password"
    );

    let last = text.lines().last().expect("a report line");
    let report: serde_json::Value = serde_json::from_str(last).expect("JSON");
    assert_eq!(report["report"]["registry"], lab.login_server());
    let results = report["report"]["results"].as_array().expect("results");
    for check in ["challenge", "access_token", "data_path"] {
        let result = results
            .iter()
            .find(|r| r["check"] == check)
            .unwrap_or_else(|| panic!("no {check} in {text}"));
        assert_eq!(result["status"], "pass", "{check}: {result}");
        assert_eq!(result["side"], "machine", "{check}");
    }
}
