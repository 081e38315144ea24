//! Headless Chromium against the lab: what a page on a loopback origin can read with CORS on
//! (including a firewall's denial), and that it can read nothing with CORS off.

mod common;

use std::process::Stdio;
use std::time::Duration;

use acr_health_lab::{Lab, LabConfig, Scenario};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use common::require_program;
use serde_json::Value;

/// The script walks challenge, token, manifest and blob as the page does, and writes what it
/// could read into `#out` as JSON.
const SCRIPT: &str = r#"
async function run(base, service, username, password) {
  const out = {};
  try {
    const challenge = await fetch(base + "/v2/");
    out.challenge_status = challenge.status;
    out.challenge = challenge.headers.get("www-authenticate");
    out.date = challenge.headers.get("date");
    out.challenge_body = await challenge.text();
    const form = new URLSearchParams({ grant_type: "password", service, scope: "repository:hello-world:pull", username, password });
    const token = await fetch(base + "/oauth2/token", { method: "POST", body: form });
    out.token_status = token.status;
    const accessToken = (await token.json()).access_token;
    const manifest = await fetch(base + "/v2/hello-world/manifests/latest", {
      headers: { Authorization: "Bearer " + accessToken, Accept: "application/vnd.oci.image.manifest.v1+json" },
    });
    out.manifest_status = manifest.status;
    const layer = (await manifest.json()).layers[0].digest;
    const blob = await fetch(base + "/v2/hello-world/blobs/" + layer, { headers: { Authorization: "Bearer " + accessToken } });
    out.blob_status = blob.status;
    out.blob_url = blob.url;
    out.blob_bytes = (await blob.arrayBuffer()).byteLength;
  } catch (error) {
    out.error = String(error);
  }
  document.getElementById("out").textContent = JSON.stringify(out);
}
"#;

/// Serves a page on a loopback origin that runs the script against the lab, then loads it in
/// headless Chromium and returns what the script wrote.
async fn run_in_browser(lab: &Lab) -> Value {
    let chromium = require_program("chromium", "chromium");
    let page = format!(
        "<!doctype html><html><body><pre id=\"out\">pending</pre><script>{SCRIPT}\nrun({}, {}, {}, {});</script></body></html>",
        Value::from(lab.base_url()),
        Value::from(lab.login_server()),
        Value::from(lab.admin().username.clone()),
        Value::from(lab.admin().password.clone()),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new().route("/", get(move || async move { Html(page) }));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let profile = tempfile::tempdir().unwrap();
    let output = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(["--virtual-time-budget=10000", "--dump-dom"])
            .arg(format!("{origin}/"))
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("chromium finished within 60 s")
    .expect("chromium runs");
    server.abort();

    let dom = String::from_utf8_lossy(&output.stdout);
    let start =
        dom.find("<pre id=\"out\">").expect("the page was rendered") + "<pre id=\"out\">".len();
    let end = dom[start..].find("</pre>").unwrap() + start;
    let text = dom[start..end]
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("the script wrote no JSON ({error}): {text}"))
}

#[tokio::test]
async fn browser_reads_whole_path_with_cors() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let out = run_in_browser(&lab).await;

    assert_eq!(out["error"], Value::Null, "{out}");
    assert_eq!(out["challenge_status"], 401);
    assert!(
        out["challenge"]
            .as_str()
            .unwrap()
            .starts_with("Bearer realm="),
        "{out}"
    );
    assert!(out["date"].is_string(), "{out}");
    assert_eq!(out["token_status"], 200);
    assert_eq!(out["manifest_status"], 200);
    assert_eq!(out["blob_status"], 200, "{out}");
    assert!(
        out["blob_url"]
            .as_str()
            .unwrap()
            .contains(&lab.storage_addr().to_string()),
        "{out}"
    );
    assert!(out["blob_bytes"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn browser_blocked_with_cors_off() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    lab.set_scenario(Scenario::CorsOff).unwrap();
    let out = run_in_browser(&lab).await;

    assert_eq!(out["challenge_status"], Value::Null, "{out}");
    assert!(
        out["error"].as_str().unwrap().contains("TypeError"),
        "{out}"
    );
}

#[tokio::test]
async fn browser_reads_firewall_denial() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    lab.set_scenario(Scenario::FirewallV2).unwrap();
    let out = run_in_browser(&lab).await;

    assert_eq!(out["challenge_status"], 403, "{out}");
    let body: Value = serde_json::from_str(out["challenge_body"].as_str().unwrap()).unwrap();
    assert_eq!(body["errors"][0]["code"], "DENIED");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("'127.0.0.1'"),
        "{body}"
    );
}
