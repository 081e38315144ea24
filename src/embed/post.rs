//! Messages to the embedding page, posted only to the origin it named.

use acr_health_core::{share, CheckResult, Report};
use serde::Serialize;
use wasm_bindgen::JsValue;
use web_sys::Window;

use crate::app::report_js_error;

#[derive(Serialize)]
struct Message<'a> {
    source: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    run: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<&'a CheckResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a Report>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<String>,
}

/// Posts one finished check.
pub fn post_progress(origin: &str, run: u32, result: &CheckResult) {
    post(
        origin,
        &Message {
            source: "acr-health",
            kind: "progress",
            run,
            result: Some(result),
            report: None,
            link: None,
        },
    );
}

/// Posts the finished report and its share link.
pub fn post_report(origin: &str, run: u32, report: &Report, page_url: &str) {
    post(
        origin,
        &Message {
            source: "acr-health",
            kind: "report",
            run,
            result: None,
            report: Some(report),
            link: Some(share::link(page_url, report)),
        },
    );
}

fn post(origin: &str, message: &Message<'_>) {
    let Some(target) = embedding_window() else {
        return;
    };
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let value = match message.serialize(&serializer) {
        Ok(value) => value,
        Err(error) => {
            report_js_error("acr-health: could not serialize a message", &JsValue::from(error));
            return;
        }
    };
    // The browser drops the message when the target's origin is not `origin`.
    if let Err(error) = target.post_message(&value, origin) {
        report_js_error("acr-health: postMessage failed", &error);
    }
}

/// Returns the parent window when the page is framed, or the window that opened it.
fn embedding_window() -> Option<Window> {
    let window = web_sys::window()?;
    if let Ok(Some(parent)) = window.parent() {
        if !js_sys::Object::is(&parent, &window) {
            return Some(parent);
        }
    }
    let opener = window.opener().ok()?;
    if opener.is_null() || opener.is_undefined() {
        return None;
    }
    Some(wasm_bindgen::JsCast::unchecked_into(opener))
}
