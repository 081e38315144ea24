//! Browser tests of reading the helper's result stream, which goes through the browser's
//! `JSON.parse`.

#![cfg(target_arch = "wasm32")]

use acr_health::helper::client::{read_line, to_json, Line};
use acr_health::helper::HelperError;
use acr_health_core::rules::registry::RegistryFinding;
use acr_health_core::{CheckId, CheckResult, Code, Evidence, Side, Status};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn machine_result() -> CheckResult {
    CheckResult {
        check: CheckId::Challenge,
        side: Side::Machine,
        status: Status::Fail,
        code: Some(Code::ConnectivityForbidden),
        finding: RegistryFinding::Forbidden {
            url: "https://r.test/v2/".to_owned(),
            client_ip: Some("203.0.113.7".to_owned()),
            message: None,
        }
        .into(),
        evidence: vec![Evidence::new("status", "403")],
        elapsed_ms: 12,
    }
}

#[wasm_bindgen_test]
fn read_line_returns_result() {
    let result = machine_result();
    let line = format!(r#"{{"type":"result","result":{}}}"#, to_json(&result).expect("serializes"));
    match read_line(line.as_bytes()).expect("reads") {
        Line::Result(read) => assert_eq!(*read, result),
        _ => panic!("expected a result line"),
    }
}

#[wasm_bindgen_test]
fn read_line_skips_unknown_type() {
    let line = br#"{"type":"progress","percent":40}"#;
    assert!(matches!(read_line(line), Ok(Line::Other)));
}

#[wasm_bindgen_test]
fn read_line_rejects_invalid_json() {
    let line = br#"{"type":"result","result":"#;
    assert!(matches!(read_line(line), Err(HelperError::Malformed { .. })));
}

#[wasm_bindgen_test]
fn read_line_rejects_wrong_result_shape() {
    let line = br#"{"type":"result","result":{"check":"no_such_check"}}"#;
    assert!(matches!(read_line(line), Err(HelperError::Malformed { .. })));
}
