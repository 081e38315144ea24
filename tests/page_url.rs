//! Browser tests of reading the page's address, which uses the browser's `URLSearchParams`.

#![cfg(target_arch = "wasm32")]

use acr_health::page_url::{PageParams, ParamError, DEFAULT_HELPER_PORT};
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
