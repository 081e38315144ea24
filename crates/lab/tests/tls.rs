//! TLS mode: the lab CA verifies the served certificate, and each TLS scenario breaks
//! verification the way it claims to.

mod common;

use acr_health_lab::{Lab, LabConfig, Mode, Scenario};
use common::Call;

fn start_tls() -> (Lab, String) {
    let lab = Lab::start(LabConfig {
        mode: Mode::Tls,
        ..LabConfig::default()
    })
    .expect("the TLS lab starts");
    let ca = std::fs::read_to_string(lab.ca_pem_path()).expect("the CA file exists");
    (lab, ca)
}

#[tokio::test]
async fn tls_lab_verifies_with_lab_ca() {
    let (lab, ca) = start_tls();
    assert_eq!(lab.scheme(), "https");
    assert!(lab.base_url().starts_with("https://127.0.0.1:"));

    let answer = Call::get(format!("{}/v2/", lab.base_url()))
        .trust(&ca)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status, 401);
    assert!(answer
        .header("www-authenticate")
        .unwrap()
        .contains(&format!("realm=\"{}/oauth2/token\"", lab.base_url())));

    // The storage listener speaks TLS with the same CA.
    let url = format!(
        "https://{}/hello-world/blobs/sha256:{}",
        lab.storage_addr(),
        "0".repeat(64)
    );
    assert_eq!(Call::get(url).trust(&ca).send().await.unwrap().status, 403);
}

#[tokio::test]
async fn tls_lab_rejected_without_ca() {
    let (lab, _) = start_tls();
    let error = Call::get(format!("{}/v2/", lab.base_url()))
        .send()
        .await
        .unwrap_err();
    assert!(error.contains("UnknownIssuer"), "{error}");
}

#[tokio::test]
async fn tls_scenarios_break_verification() {
    let (lab, ca) = start_tls();
    let cases = [
        (Scenario::TlsUnknownCa, "UnknownIssuer"),
        (Scenario::TlsExpired, "certificate expired"),
        (Scenario::TlsWrongHost, "not valid for name"),
    ];
    for (scenario, expected) in cases {
        lab.set_scenario(scenario).unwrap();
        let error = Call::get(format!("{}/v2/", lab.base_url()))
            .trust(&ca)
            .send()
            .await
            .unwrap_err();
        assert!(error.contains(expected), "{scenario}: {error}");
    }

    lab.set_scenario(Scenario::Healthy).unwrap();
    assert_eq!(
        Call::get(format!("{}/v2/", lab.base_url()))
            .trust(&ca)
            .send()
            .await
            .unwrap()
            .status,
        401
    );
}

#[test]
fn tls_scenario_needs_tls_mode() {
    let error = Lab::start(LabConfig {
        scenario: Scenario::TlsExpired,
        ..LabConfig::default()
    })
    .err()
    .expect("plain mode rejects tls-expired");
    let message = error.to_string();
    assert!(message.contains("'tls-expired'"), "{message}");
    assert!(message.contains("--tls"), "{message}");
}
