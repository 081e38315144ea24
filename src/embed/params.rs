//! The embedding parameters of the page's address that the page's own address parser leaves
//! alone (`embedder`) or accepts without a note (`cloud`, `autorun`).

use acr_health_core::parse::registry_input::Cloud;
use wasm_bindgen::JsValue;
use web_sys::{Url, UrlSearchParams};

/// Embedding options after validation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EmbedParams {
    /// The origin to post progress and the report to, such as `https://portal.example`.
    pub embedder: Option<String>,
}

/// A parameter value the page ignored, with the value as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmbedNote {
    Embedder(String),
    Cloud(String),
    Autorun(String),
}

/// The options and the notes for the values that were ignored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedEmbed {
    pub params: EmbedParams,
    pub notes: Vec<EmbedNote>,
}

impl EmbedParams {
    /// Parses a query string, with or without its leading `?`.
    pub fn parse(search: &str) -> Result<ParsedEmbed, JsValue> {
        let query = UrlSearchParams::new_with_str(search.trim_start_matches('?'))?;
        let mut parsed = ParsedEmbed::default();

        if let Some(value) = query.get("embedder") {
            match origin_of(&value) {
                Some(origin) => parsed.params.embedder = Some(origin),
                None => parsed.notes.push(EmbedNote::Embedder(value)),
            }
        }

        // The form reads these two itself and falls back silently, so the notes come from here.
        if let Some(value) = query.get("cloud") {
            if !value.trim().is_empty() && Cloud::from_name(&value).is_none() {
                parsed.notes.push(EmbedNote::Cloud(value));
            }
        }
        if let Some(value) = query.get("autorun") {
            let known = ["", "1", "true", "yes", "0", "false", "no"];
            if !known.contains(&value.trim().to_ascii_lowercase().as_str()) {
                parsed.notes.push(EmbedNote::Autorun(value));
            }
        }
        Ok(parsed)
    }

    /// Parses the current window's query string. A query the browser cannot parse gives the
    /// defaults, since the page's own address parser reports that failure already.
    pub fn from_window() -> ParsedEmbed {
        web_sys::window()
            .and_then(|window| window.location().search().ok())
            .and_then(|search| EmbedParams::parse(&search).ok())
            .unwrap_or_default()
    }
}

/// Returns the origin a value names when it is exactly an `http` or `https` origin, with at
/// most a trailing `/`. A path, a query or another scheme makes it invalid, because a message
/// must go to one origin only.
pub fn origin_of(value: &str) -> Option<String> {
    let value = value.trim();
    let url = Url::new(value).ok()?;
    let origin = url.origin();
    let is_web = matches!(url.protocol().as_str(), "https:" | "http:");
    let exact = value.trim_end_matches('/').eq_ignore_ascii_case(&origin);
    (is_web && exact && origin != "null").then_some(origin)
}
