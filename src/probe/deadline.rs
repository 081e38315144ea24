//! A timeout for one request: an `AbortController` that a timer aborts, and a record of
//! whether the timer fired, so that a timeout is reported as one and not as a network error.

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsValue;
use web_sys::{AbortController, AbortSignal};

/// Aborts the request it is attached to after a number of milliseconds. Dropping it cancels the
/// timer, so a finished request is never aborted late.
pub struct Deadline {
    controller: AbortController,
    fired: Rc<Cell<bool>>,
    started_at: f64,
    _timer: Timeout,
}

impl Deadline {
    /// Starts the timer.
    pub fn start(timeout_ms: u32) -> Result<Deadline, JsValue> {
        let controller = AbortController::new()?;
        let fired = Rc::new(Cell::new(false));
        let timer = {
            let controller = controller.clone();
            let fired = fired.clone();
            Timeout::new(timeout_ms, move || {
                fired.set(true);
                controller.abort();
            })
        };
        Ok(Deadline {
            controller,
            fired,
            started_at: now_ms()?,
            _timer: timer,
        })
    }

    /// Returns the signal to attach to `fetch`; it also aborts reading the body.
    pub fn signal(&self) -> AbortSignal {
        self.controller.signal()
    }

    /// Tells whether the timer has aborted the request.
    pub fn fired(&self) -> bool {
        self.fired.get()
    }

    /// Returns the milliseconds since the deadline started.
    pub fn elapsed_ms(&self) -> Result<u32, JsValue> {
        let elapsed = (now_ms()? - self.started_at).max(0.0);
        Ok(elapsed.round().min(f64::from(u32::MAX)) as u32)
    }
}

/// Returns `performance.now()`: monotonic milliseconds, unaffected by changes to the clock.
pub fn now_ms() -> Result<f64, JsValue> {
    let performance = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .performance()
        .ok_or_else(|| JsValue::from_str("the browser has no performance timer"))?;
    Ok(performance.now())
}
