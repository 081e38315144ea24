//! Response headers as the core expects them: names in lower case, in the order the browser
//! lists them. Under CORS the browser shows only the safelisted headers and those the server
//! lists in `Access-Control-Expose-Headers`; the rest are absent, not empty.

use js_sys::{Array, JsString};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Headers;

/// Returns every header the browser lets the page read.
pub fn readable_headers(headers: &Headers) -> Result<Vec<(String, String)>, JsValue> {
    let entries = js_sys::try_iter(headers)?
        .ok_or_else(|| JsValue::from_str("the browser's Headers object is not iterable"))?;
    let mut collected = Vec::new();
    for entry in entries {
        let pair: Array = entry?.dyn_into()?;
        let name = pair.get(0).dyn_into::<JsString>()?;
        let value = pair.get(1).dyn_into::<JsString>()?;
        collected.push((String::from(name).to_ascii_lowercase(), String::from(value)));
    }
    Ok(collected)
}
