//! The native checks through an HTTP proxy: a small CONNECT proxy written for this test sits
//! between the helper and the TLS lab.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use acr_health_core::parse::registry_input::Cloud;
use acr_health_core::rules::environment::EnvironmentFinding;
use acr_health_core::rules::registry::Credential;
use acr_health_core::{CheckId, CheckResult, Code, Finding, Status};
use acr_health_helper::registry::proxy::ProxyEnv;
use acr_health_helper::registry::{self, transport};
use acr_health_lab::{Lab, LabConfig, Mode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Starts a CONNECT proxy on loopback. It records each request line, and answers `status`
/// (tunnelling only for 200). Returns its port and the recorded lines.
async fn start_proxy(status: &'static str) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the proxy");
    let port = listener.local_addr().expect("address").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let record = Arc::clone(&record);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let line = head.lines().next().unwrap_or_default().to_owned();
                record.lock().unwrap().push(line.clone());
                let target = line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or_default()
                    .to_owned();
                if status != "200" {
                    let answer = format!("HTTP/1.1 {status} Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
                    let _ = client.write_all(answer.as_bytes()).await;
                    return;
                }
                let Ok(mut upstream) = TcpStream::connect(&target).await else {
                    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
                    return;
                };
                let _ = client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await;
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    });
    (port, seen)
}

async fn run_through(lab: &Lab, proxy_port: u16) -> Vec<CheckResult> {
    let proxy = ProxyEnv {
        https_proxy: Some(format!("http://user:proxy-secret@127.0.0.1:{proxy_port}")),
        http_proxy: None,
        no_proxy: None,
    };
    let (tls, presented) =
        transport::tls_config(Some(lab.ca_pem_path())).expect("the lab CA loads");
    let transport =
        transport::Transport::new(tls, presented, proxy.clone(), Duration::from_secs(5));
    let credential = Credential::Password {
        username: lab.admin().username.clone(),
        password: lab.admin().password.clone(),
    };
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    registry::run_checks(
        &lab.base_url(),
        Cloud::AzureCloud,
        credential,
        &transport,
        &proxy,
        &sender,
    )
    .await;
    drop(sender);
    let mut results = Vec::new();
    while let Some(result) = receiver.recv().await {
        results.push(result);
    }
    results
}

fn find(results: &[CheckResult], check: CheckId) -> &CheckResult {
    results
        .iter()
        .find(|r| r.check == check)
        .unwrap_or_else(|| panic!("no {check:?} in {results:#?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_tunnel_through_proxy() {
    let lab = Lab::start(LabConfig {
        mode: Mode::Tls,
        ..LabConfig::default()
    })
    .expect("the lab starts");
    let (port, seen) = start_proxy("200").await;
    let results = run_through(&lab, port).await;

    let proxy = find(&results, CheckId::Proxy);
    assert!(matches!(
        &proxy.finding,
        Finding::Environment(EnvironmentFinding::ProxyInUse { .. })
    ));
    assert!(
        proxy
            .evidence
            .iter()
            .all(|e| !e.value.contains("proxy-secret")),
        "the proxy password is in the evidence"
    );
    assert_eq!(find(&results, CheckId::Tls).status, Status::Pass);
    assert_eq!(find(&results, CheckId::Challenge).status, Status::Pass);
    assert_eq!(find(&results, CheckId::AccessToken).status, Status::Pass);

    let lines = seen.lock().unwrap().clone();
    let expected = format!("CONNECT {} HTTP/1.1", lab.login_server());
    assert!(lines.contains(&expected), "{lines:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxy_refusal_names_proxy() {
    let lab = Lab::start(LabConfig {
        mode: Mode::Tls,
        ..LabConfig::default()
    })
    .expect("the lab starts");
    let (port, _) = start_proxy("407").await;
    let results = run_through(&lab, port).await;

    let challenge = find(&results, CheckId::Challenge);
    assert_eq!(challenge.status, Status::Fail);
    assert_eq!(challenge.code, Some(Code::ConnectivityNetwork));
    let evidence = format!("{:?}", challenge.evidence);
    assert!(
        evidence.contains(&format!("127.0.0.1:{port}")),
        "{evidence}"
    );
    assert!(evidence.contains("407"), "{evidence}");
}
