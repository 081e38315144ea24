//! The JavaScript API of the WebAssembly module, for portals that call the checks from their own
//! code instead of framing the page. `www/acr-health.js` loads the module and returns these
//! functions; `www/examples/` shows each in use.
//!
//! Reports cross into JavaScript as plain objects with the layout of `--output json`.
//!
//! - `runChecks(options)`: runs the browser's checks and resolves to the report. `options` is
//!   `{registry, cloud?, credential?, timeoutMs?, repository?, armToken?, armUrl?,
//!   armRegistry?, onProgress?}`; `credential` is
//!   `{kind: "anonymous"}`, `{kind: "password", username, password}`,
//!   `{kind: "aad_token", token, tenant?}` or `{kind: "refresh_token", token}`; `onProgress`
//!   is called with each result as it finishes. With `armToken` (an Azure Resource Manager
//!   access token, such as a portal holds) the ARM checks run beside the registry checks:
//!   `armUrl` moves them off the cloud's default ARM address (only the Azure clouds' ARM hosts
//!   and loopback are accepted), `armRegistry` names the registry in Azure when its login
//!   server does not. The token is used for those requests only and is not in the report. An
//!   input that names no registry gives a report whose login server check failed; invalid
//!   options (an unknown cloud, an `armUrl` on another host) reject the promise before any
//!   request.
//! - `decodeShareLink(link, lang?)`: returns the report in a share link (a whole link, a
//!   fragment or the payload), or throws an `Error` whose `code` names the `ShareError`.
//! - `shareLink(report, pageUrl)`: returns the share link of a report for the page at `pageUrl`.
//! - `renderReport(report, element, lang?)`: renders a report read-only into an element.

use std::cell::RefCell;
use std::rc::Rc;

use acr_health_core::parse::registry_input::Cloud;
use acr_health_core::report::REPORT_FORMAT;
use acr_health_core::rules::arm::arm_base_url;
use acr_health_core::rules::registry::{login_server, Credential, RegistryRun, RunOptions};
use acr_health_core::share::{self, ShareError};
use acr_health_core::{CheckResult, Lang, Localize, Report, Side};
use futures::join;
use js_sys::{Function, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::components::arm_fields::ArmForm;
use crate::page_url::ArmUrl;
use crate::probe::clock::wall_clock_ms;
use crate::probe::fetch::error_message;
use crate::probe::registry::{drive, Progress};
use crate::probe::{arm, reachability};
use crate::run::browser_arm_run;
use crate::share::view::{ReportView, ReportViewProps};
use crate::share::{current_browser, TOOL_VERSION};

/// The attribute on `<html>` that `www/acr-health.js` sets before it loads the module, so that
/// loading it for the API does not mount the page.
pub const LIBRARY_ATTRIBUTE: &str = "data-acr-health-library";

/// The timeout of each request when `timeoutMs` is not given.
const DEFAULT_TIMEOUT_MS: u32 = 10_000;

/// Tells whether the module was loaded as a library, without a page to mount.
pub fn is_library_host() -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
        .is_some_and(|root| root.has_attribute(LIBRARY_ATTRIBUTE))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RunChecksOptions {
    registry: String,
    #[serde(default)]
    cloud: Option<String>,
    #[serde(default)]
    credential: Option<Credential>,
    #[serde(default)]
    timeout_ms: Option<u32>,
    #[serde(default)]
    repository: Option<String>,
    #[serde(default)]
    arm_token: Option<String>,
    #[serde(default)]
    arm_url: Option<String>,
    #[serde(default)]
    arm_registry: Option<String>,
}

fn lang_or_default(tag: Option<&str>) -> Lang {
    tag.and_then(Lang::from_tag).unwrap_or(Lang::En)
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(JsValue::from)
}

fn js_error(message: &str, code: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(code));
    error.into()
}

/// Runs the browser's checks against one registry and resolves to the report.
// NOTE: the helper's checks are not run through this API, so its reports have browser results
// only; a portal that wants the machine's view frames the page or uses `<acr-health>`.
#[wasm_bindgen(js_name = runChecks)]
pub async fn run_checks(options: JsValue) -> Result<JsValue, JsValue> {
    let on_progress: Option<Function> = Reflect::get(&options, &JsValue::from_str("onProgress"))
        .ok()
        .and_then(|value| value.dyn_into().ok());
    let options: RunChecksOptions = serde_wasm_bindgen::from_value(options)
        .map_err(|error| js_error(&format!("invalid options: {error}"), "InvalidOptions"))?;

    // The cloud resolves a bare registry name; a name the core does not know is an error here,
    // because a caller's typo should not silently check another cloud.
    let cloud = match options.cloud.as_deref() {
        None => Cloud::default(),
        Some(name) => Cloud::from_name(name).ok_or_else(|| {
            js_error(&format!("unknown cloud {name:?}; use AzureCloud, AzureChinaCloud or AzureUSGovernment"), "InvalidOptions")
        })?,
    };
    // A rejected ARM address rejects the call, because the caller's token must not go to a
    // default host it did not request either.
    let arm_url = match options.arm_url.as_deref() {
        None => ArmUrl::Default,
        Some(url) => ArmUrl::Given(arm_base_url(url).map_err(|error| {
            js_error(&format!("invalid armUrl {url:?}: {}", error.localize(Lang::En)), "InvalidOptions")
        })?),
    };
    let arm_form = ArmForm {
        token: options.arm_token.unwrap_or_default(),
        registry: options.arm_registry.unwrap_or_default(),
        from_az: false,
    };
    let timeout_ms = options.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS).max(1);
    let started_at_ms = wall_clock_ms();

    // Results are collected in the order they finish and sorted into report order at the end.
    let results: Rc<RefCell<Vec<CheckResult>>> = Rc::default();
    let record = {
        let results = results.clone();
        move |result: CheckResult| {
            if let Some(callback) = &on_progress {
                match to_js(&result) {
                    Ok(value) => {
                        // A throwing callback must not stop the run.
                        let _ = callback.call1(&JsValue::NULL, &value);
                    }
                    Err(error) => web_sys::console::error_1(&error),
                }
            }
            results.borrow_mut().push(result);
        }
    };
    // An input that names no login server ends the run with the login server check failed.
    let (login_result, server) = login_server(&options.registry, cloud, Side::Browser);
    record(login_result);

    if let Some(server) = &server {
        let mut run_options = RunOptions::new(Side::Browser, started_at_ms);
        if let Some(repository) = options.repository {
            run_options.repository = repository;
        }
        let credential = options.credential.unwrap_or(Credential::Anonymous);
        let run = RegistryRun::new(server.clone(), credential, run_options);
        let mut arm_run = browser_arm_run(server, cloud, &arm_form, &arm_url, started_at_ms);
        let report = |progress| {
            if let Progress::Finished(result) = progress {
                record(result);
            }
        };
        let reach = reachability::probe(server, timeout_ms);
        let chain = drive(run, timeout_ms, &report);
        let arm_requests = async {
            if let Some(arm_run) = arm_run.as_mut() {
                arm::drive_requests(arm_run, timeout_ms, &report).await;
            }
        };
        let (reached, (), ()) = join!(reach, chain, arm_requests);
        let reached = reached.map_err(|error| js_error(&error_message(&error), "BrowserError"))?;
        record(reached);
        if let Some(arm_run) = arm_run.as_mut() {
            let seen = results.borrow().clone();
            arm::finish(arm_run, &seen, &report);
        }
    }

    let mut results = results.take();
    results.sort_by_key(|result| result.check);
    let report = Report {
        format: REPORT_FORMAT,
        tool_version: TOOL_VERSION.to_owned(),
        registry: server
            .as_ref()
            .map_or_else(|| options.registry.trim().to_owned(), |server| server.authority()),
        cloud: match server.as_ref().and_then(|server| server.cloud) {
            Some(cloud) => cloud.as_str().to_owned(),
            None => "custom".to_owned(),
        },
        started_at_ms,
        browser: current_browser(),
        helper_version: None,
        results,
    };
    to_js(&report)
}

fn share_error_code(error: &ShareError) -> &'static str {
    match error {
        ShareError::Empty => "Empty",
        ShareError::TooLong { .. } => "TooLong",
        ShareError::NotBase64 => "NotBase64",
        ShareError::UnknownVersion { .. } => "UnknownVersion",
        ShareError::Corrupt => "Corrupt",
        ShareError::TooLarge => "TooLarge",
        ShareError::Malformed => "Malformed",
    }
}

/// Decodes the report in a share link, fragment or payload.
#[wasm_bindgen(js_name = decodeShareLink)]
pub fn decode_share_link(link: &str, lang: Option<String>) -> Result<JsValue, JsValue> {
    let lang = lang_or_default(lang.as_deref());
    match share::decode_link(link) {
        Ok(report) => to_js(&report),
        Err(error) => Err(js_error(&error.localize(lang), share_error_code(&error))),
    }
}

fn report_from_js(report: JsValue) -> Result<Report, JsValue> {
    serde_wasm_bindgen::from_value(report)
        .map_err(|error| js_error(&format!("not an acr-health report: {error}"), "InvalidReport"))
}

/// Returns the share link of a report for the page at `page_url`.
#[wasm_bindgen(js_name = shareLink)]
pub fn share_link(report: JsValue, page_url: &str) -> Result<String, JsValue> {
    Ok(share::link(page_url, &report_from_js(report)?))
}

/// Renders a report read-only into `element`, replacing what the element contained.
#[wasm_bindgen(js_name = renderReport)]
pub fn render_report(report: JsValue, element: Element, lang: Option<String>) -> Result<(), JsValue> {
    let report = report_from_js(report)?;
    let lang = lang_or_default(lang.as_deref());
    element.set_inner_html("");
    yew::Renderer::<ReportView>::with_root_and_props(element, ReportViewProps { lang, report })
        .render();
    Ok(())
}
