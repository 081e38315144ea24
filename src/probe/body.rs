//! Reads an response's body up to a limit, so that a hostile or broken server cannot make the page
//! hold an unbounded body in memory.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, Response};

/// The maximum number of body bytes the page keeps of one response. The registry responses the
/// rules read (error bodies, token JSON) are a few kilobytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Returns at most `limit` bytes of the body, and whether the body was longer. Reading stops at
/// the limit and cancels the rest of the stream. An opaque response has no body and returns
/// nothing.
pub async fn read_bounded(response: &Response, limit: usize) -> Result<(Vec<u8>, bool), JsValue> {
    let Some(stream) = response.body() else {
        return Ok((Vec::new(), false));
    };
    let reader: ReadableStreamDefaultReader = stream.get_reader().dyn_into()?;
    let mut body = Vec::new();

    loop {
        let chunk = JsFuture::from(reader.read()).await?;
        let done = Reflect::get(&chunk, &JsValue::from_str("done"))?
            .as_bool()
            .ok_or_else(|| JsValue::from_str("a body read returned no `done` flag"))?;
        if done {
            return Ok((body, false));
        }

        let bytes: Uint8Array = Reflect::get(&chunk, &JsValue::from_str("value"))?.dyn_into()?;
        let room = limit - body.len();
        let length = bytes.length() as usize;
        if length > room {
            body.extend_from_slice(&bytes.subarray(0, room as u32).to_vec());
            // The rest of the body is not needed. A failed cancel only lets the browser finish
            // a download that no one reads, so its promise is not awaited.
            let _cancelled = reader.cancel();
            return Ok((body, true));
        }
        body.extend_from_slice(&bytes.to_vec());
    }
}
