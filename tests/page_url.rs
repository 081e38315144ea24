//! Browser tests of reading the page's address, which uses the browser's `URLSearchParams`.

#![cfg(target_arch = "wasm32")]

use acr_health::page_url::{ArmUrl, PageParams, ParamError, DEFAULT_HELPER_PORT};
use acr_health_core::rules::arm::ArmUrlError;
use acr_health_core::Lang;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn parse_reads_query_and_fragment() {
    let (params, errors) = PageParams::parse(
        "?registry=myreg.azurecr.io&cloud=AzureChinaCloud&lang=ko-KR&autorun=1&helper_port=9000",
        "#pair=abc123&report=xyz",
    )
    .expect("parses");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(params.registry.as_deref(), Some("myreg.azurecr.io"));
    assert_eq!(params.cloud.as_deref(), Some("AzureChinaCloud"));
    assert_eq!(params.lang, Some(Lang::Ko));
    assert!(params.autorun);
    assert_eq!(params.helper_port, 9000);
    assert_eq!(params.pairing_secret.as_deref(), Some("abc123"));
}

#[wasm_bindgen_test]
fn parse_defaults_when_absent() {
    let (params, errors) = PageParams::parse("", "").expect("parses");
    assert!(errors.is_empty());
    assert_eq!(params.helper_port, DEFAULT_HELPER_PORT);
    assert!(!params.autorun);
    assert_eq!(params.pairing_secret, None);
    assert_eq!(params.lang, None);
}

#[wasm_bindgen_test]
fn parse_reports_invalid_values() {
    let (params, errors) = PageParams::parse("?helper_port=99999&lang=fr", "").expect("parses");
    assert_eq!(params.helper_port, DEFAULT_HELPER_PORT);
    assert_eq!(params.lang, None);
    assert!(errors.contains(&ParamError::HelperPort("99999".to_owned())), "{errors:?}");
    assert!(errors.contains(&ParamError::Lang("fr".to_owned())), "{errors:?}");
}

#[wasm_bindgen_test]
fn pairing_secret_stays_out_of_debug() {
    let (params, _) = PageParams::parse("", "#pair=topsecret").expect("parses");
    assert!(!format!("{params:?}").contains("topsecret"));
}

#[wasm_bindgen_test]
fn parse_accepts_known_themes() {
    let cases = [("light", Some("light")), ("dark", Some("dark")), ("auto", None)];
    for (name, expected) in cases {
        let (params, errors) = PageParams::parse(&format!("?theme={name}"), "").expect("parses");
        assert_eq!(params.theme, expected, "theme {name}");
        assert!(errors.is_empty(), "theme {name}: {errors:?}");
    }
}

#[wasm_bindgen_test]
fn parse_rejects_unknown_theme() {
    let (params, errors) = PageParams::parse("?theme=neon", "").expect("parses");
    assert_eq!(params.theme, None);
    assert_eq!(errors, vec![ParamError::Theme("neon".to_owned())]);
}

#[wasm_bindgen_test]
fn helper_port_given_only_when_named() {
    let (given, _) = PageParams::parse("?helper_port=8765", "").expect("parses");
    let (absent, _) = PageParams::parse("", "#pair=abc").expect("parses");
    assert!(given.helper_port_given);
    assert!(!absent.helper_port_given);
}

#[wasm_bindgen_test]
fn arm_url_defaults_to_the_cloud() {
    let (params, errors) = PageParams::parse("?registry=myreg", "").expect("parses");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(params.arm_url, ArmUrl::Default);
    assert_eq!(params.arm_registry, None);
}

#[wasm_bindgen_test]
fn arm_url_accepts_management_hosts_and_loopback() {
    let cases = [
        ("https://management.azure.com/", "https://management.azure.com"),
        ("https://management.chinacloudapi.cn", "https://management.chinacloudapi.cn"),
        ("http://127.0.0.1:5300", "http://127.0.0.1:5300"),
    ];
    for (value, expected) in cases {
        let search = format!("?arm_url={}&arm_registry=labreg", js_sys::encode_uri_component(value));
        let (params, errors) = PageParams::parse(&search, "").expect("parses");
        assert!(errors.is_empty(), "{value}: {errors:?}");
        assert_eq!(params.arm_url, ArmUrl::Given(expected.to_owned()), "{value}");
        assert_eq!(params.arm_registry.as_deref(), Some("labreg"));
    }
}

#[wasm_bindgen_test]
fn arm_url_on_another_host_is_refused_with_the_reason() {
    let (params, errors) = PageParams::parse("?arm_url=https://evil.invalid", "").expect("parses");
    assert_eq!(params.arm_url, ArmUrl::Refused);
    assert_eq!(
        errors,
        vec![ParamError::ArmUrl(
            "https://evil.invalid".to_owned(),
            ArmUrlError::HostNotAllowed { host: "evil.invalid".to_owned() }
        )]
    );
}

#[wasm_bindgen_test]
fn arm_url_over_plain_http_to_azure_is_refused() {
    let (params, errors) = PageParams::parse("?arm_url=http://management.azure.com", "").expect("parses");
    assert_eq!(params.arm_url, ArmUrl::Refused);
    assert_eq!(errors.len(), 1, "{errors:?}");
}
