//! The local wall clock, which the core compares with the server's `Date` header. Under CORS
//! the page reads `Date` only when the registry lists it in `Access-Control-Expose-Headers`;
//! without it the core has no server time to compare.

/// Returns the local time in milliseconds since the Unix epoch (`Date.now()`).
pub fn wall_clock_ms() -> u64 {
    let now = js_sys::Date::now();
    if now.is_finite() && now > 0.0 {
        now as u64
    } else {
        0
    }
}
