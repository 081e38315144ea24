//! Browser tests of the run request the page sends the helper, written with the browser's
//! `JSON.stringify`: which ARM settings reach the helper, and when none do.

#![cfg(target_arch = "wasm32")]

use acr_health::components::arm_fields::ArmForm;
use acr_health::components::credentials::CredentialForm;
use acr_health::components::registry_form::RunRequest;
use acr_health::helper::client::{to_json, ArmBody, RunBody};
use acr_health_core::parse::registry_input::Cloud;
use js_sys::{Reflect, JSON};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn request(arm: ArmForm) -> RunRequest {
    RunRequest {
        input: " 127.0.0.1:5000 ".to_owned(),
        cloud: Cloud::AzureCloud,
        credential: CredentialForm::default(),
        arm,
        timeout_ms: 10_000,
    }
}

/// Returns the request body, read back with the browser's `JSON.parse`.
fn body_json(request: &RunRequest, url: Option<&str>) -> JsValue {
    let body = RunBody::new(request, ArmBody::new(&request.arm, url));
    JSON::parse(&to_json(&body).expect("serializes")).expect("valid JSON")
}

/// Returns `value[name]`, `undefined` when the field is absent.
fn field(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(name)).expect("an object")
}

#[wasm_bindgen_test]
fn no_arm_settings_without_token_or_az() {
    let request = request(ArmForm {
        registry: "labreg".to_owned(),
        ..ArmForm::default()
    });
    let body = body_json(&request, Some("http://127.0.0.1:5300"));
    assert!(
        field(&body, "arm").is_undefined(),
        "a registry name alone gives the helper nothing to run"
    );
    assert_eq!(
        field(&body, "registry").as_string().as_deref(),
        Some("127.0.0.1:5000")
    );
}

#[wasm_bindgen_test]
fn pasted_token_goes_to_the_helper_with_the_settings() {
    let request = request(ArmForm {
        token: " eyJ.arm.token \n".to_owned(),
        registry: " labreg ".to_owned(),
        from_az: false,
    });
    let arm = field(&body_json(&request, Some("http://127.0.0.1:5300")), "arm");
    assert_eq!(
        field(&arm, "token").as_string().as_deref(),
        Some("eyJ.arm.token")
    );
    assert_eq!(field(&arm, "from_az").as_bool(), Some(false));
    assert_eq!(
        field(&arm, "url").as_string().as_deref(),
        Some("http://127.0.0.1:5300")
    );
    assert_eq!(
        field(&arm, "registry").as_string().as_deref(),
        Some("labreg")
    );
}

#[wasm_bindgen_test]
fn az_login_alone_sends_no_token() {
    let request = request(ArmForm {
        from_az: true,
        ..ArmForm::default()
    });
    let arm = field(&body_json(&request, None), "arm");
    assert_eq!(field(&arm, "from_az").as_bool(), Some(true));
    assert!(field(&arm, "token").is_undefined());
    assert!(
        field(&arm, "url").is_undefined(),
        "without arm_url the helper uses the cloud's default"
    );
    assert!(field(&arm, "registry").is_undefined());
}
