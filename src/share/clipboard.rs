//! Copying text to the clipboard with `navigator.clipboard.writeText`.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Writes `text` to the clipboard. Fails where the browser has no asynchronous clipboard or
/// refuses it, as inside an iframe without the `clipboard-write` permission.
pub async fn write_text(text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let clipboard = Reflect::get(&window.navigator(), &JsValue::from_str("clipboard"))?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err(JsValue::from_str("navigator.clipboard is not available"));
    }

    let write: Function = Reflect::get(&clipboard, &JsValue::from_str("writeText"))?.dyn_into()?;
    let promise: Promise = write.call1(&clipboard, &JsValue::from_str(text))?.dyn_into()?;
    JsFuture::from(promise).await?;
    Ok(())
}
