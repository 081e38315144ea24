//! Share links and exports on the page.
//!
//! After a run, [`run::RunShare`] turns the page's rows into the core's [`Report`] and offers it
//! as a link (the whole report in the fragment, see `acr_health_core::share`), as Markdown, as
//! the JSON of `--output json` and as az-style text. A page opened with `#report=` shows
//! [`view::SharedPage`] instead of the form: the report read-only, marked as shared with the
//! time of its run.

pub mod clipboard;
pub mod export;
pub mod run;
pub mod text;
pub mod view;

use acr_health_core::report::REPORT_FORMAT;
use acr_health_core::rules::registry::RegistryFinding;
use acr_health_core::{Finding, Report};
use wasm_bindgen::JsValue;

use crate::app::Row;

/// The tool version written into reports the page makes.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The facts of a run that a report records besides its results: where and when it ran.
#[derive(Clone, Debug, PartialEq)]
pub struct RunContext {
    pub registry: String,
    pub started_at_ms: u64,
    pub browser: Option<String>,
    pub helper_version: Option<String>,
}

/// Builds the report of a run from the page's rows. Rows still pending or running have no
/// result and are left out.
pub fn report_from_rows(context: &RunContext, rows: &[Row]) -> Report {
    let results: Vec<_> = rows.iter().filter_map(|row| row.result.clone()).collect();

    // The login server check records the cloud a bare name was resolved in.
    let cloud = results
        .iter()
        .find_map(|result| match &result.finding {
            Finding::Registry(RegistryFinding::LoginServer { cloud, .. }) => Some(*cloud),
            _ => None,
        })
        .flatten()
        .map_or("custom", |cloud| cloud.as_str());

    Report {
        format: REPORT_FORMAT,
        tool_version: TOOL_VERSION.to_owned(),
        registry: context.registry.clone(),
        cloud: cloud.to_owned(),
        started_at_ms: context.started_at_ms,
        browser: context.browser.clone(),
        helper_version: context.helper_version.clone(),
        results,
    }
}

/// Returns the browser family and major version from a user agent string, such as
/// `Chrome 143`, `Edge 143`, `Firefox 146` or `Safari 18`.
pub fn browser_from_user_agent(agent: &str) -> Option<String> {
    // Order matters: Edge and Opera also name Chrome, and Chrome also names Safari.
    let families = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Version/", "Safari"),
    ];
    families.iter().find_map(|(marker, family)| {
        let rest = agent.split_once(marker)?.1;
        let major: String = rest.chars().take_while(char::is_ascii_digit).collect();
        (!major.is_empty()).then(|| format!("{family} {major}"))
    })
}

/// Reads the browser family and version of this window.
pub fn current_browser() -> Option<String> {
    let agent = web_sys::window()?.navigator().user_agent().ok()?;
    browser_from_user_agent(&agent)
}

/// Returns the `report=` value of the page's fragment, if there is one.
pub fn fragment_payload() -> Result<Option<String>, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let hash = window.location().hash()?;
    let fragment = hash.trim_start_matches('#');
    let payload = fragment
        .split('&')
        .find_map(|pair| pair.strip_prefix("report="))
        .map(str::to_owned);
    Ok(payload)
}

/// Returns the page's own address, from which share links are built.
pub fn page_url() -> Result<String, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    window.location().href()
}
