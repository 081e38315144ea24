//! The control API: listing, reading and switching scenarios, minting "AAD" tokens, and clear
//! errors for bad requests.

mod common;

use acr_health_lab::{Lab, LabConfig, Scenario};
use common::Call;

#[tokio::test]
async fn control_api() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let control = lab.control_url();

    // GET /scenarios lists every scenario with its code.
    let list = Call::get(format!("{control}/scenarios"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status, 200);
    let list = list.json();
    assert_eq!(list.as_array().unwrap().len(), Scenario::ALL.len());
    let firewall = list
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["name"] == "firewall-v2")
        .unwrap();
    assert_eq!(firewall["expected_code"], "CONNECTIVITY_FORBIDDEN_ERROR");

    // PUT /scenario switches, GET /state shows it.
    let put = Call::get(format!("{control}/scenario"))
        .json_body(
            "PUT",
            r#"{"name":"clock-skew","latency_ms":5,"skew_minutes":-20}"#,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(put.status, 200, "{}", put.text());
    let state = Call::get(format!("{control}/state"))
        .send()
        .await
        .unwrap()
        .json();
    assert_eq!(state["scenario"], "clock-skew");
    assert_eq!(state["latency_ms"], 5);
    assert_eq!(state["skew_minutes"], -20);
    assert_eq!(lab.current().scenario, Scenario::ClockSkew);

    // An unknown name is rejected and named; the scenario stays.
    let unknown = Call::get(format!("{control}/scenario"))
        .json_body("PUT", r#"{"name":"firewall-v9"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status, 400);
    assert!(
        unknown.json()["error"]
            .as_str()
            .unwrap()
            .contains("'firewall-v9'"),
        "{}",
        unknown.text()
    );
    assert_eq!(lab.current().scenario, Scenario::ClockSkew);

    // Bad JSON and unknown fields are rejected with the expected shape.
    let bad = Call::get(format!("{control}/scenario"))
        .json_body("PUT", "{name:")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status, 400);
    assert!(
        bad.json()["error"]
            .as_str()
            .unwrap()
            .contains("expected {\"name\""),
        "{}",
        bad.text()
    );
    let extra = Call::get(format!("{control}/scenario"))
        .json_body("PUT", r#"{"name":"healthy","latency":5}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(extra.status, 400);
    assert!(extra.text().contains("latency"), "{}", extra.text());

    // A TLS scenario on a plain-HTTP lab is rejected and named.
    let tls = Call::get(format!("{control}/scenario"))
        .json_body("PUT", r#"{"name":"tls-expired"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(tls.status, 400);
    assert!(tls.text().contains("'tls-expired'"), "{}", tls.text());

    // POST /aad-token returns a token the exchange accepts.
    Call::get(format!("{control}/scenario"))
        .json_body("PUT", r#"{"name":"healthy"}"#)
        .send()
        .await
        .unwrap();
    let minted = Call::get(format!("{control}/aad-token"))
        .json_body(
            "POST",
            r#"{"tenant":"t-1","object_id":"o-1","expired":false}"#,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(minted.status, 200);
    let aad = minted.json()["access_token"].as_str().unwrap().to_string();
    assert_eq!(common::claims(&aad)["tid"], "t-1");
    let exchange = Call::post_form(
        format!("{}/oauth2/exchange", lab.base_url()),
        &[
            ("grant_type", "access_token"),
            ("service", &lab.login_server()),
            ("tenant", "t-1"),
            ("access_token", &aad),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(exchange.status, 200, "{}", exchange.text());
}
