//! The transport: one [`HttpRequest`] of the core sent with `fetch`, and what happened turned
//! into an [`Outcome`].
//!
//! Requests go out in `cors` mode without cookies. A form body is sent as
//! `application/x-www-form-urlencoded` and no custom header is added, so a request without
//! credentials needs no CORS preflight.
//!
//! `fetch` rejects DNS, TLS, refused connections and CORS refusals alike with one `TypeError`.
//! To tell CORS apart, a rejected request is repeated as a `no-cors` `GET` of the same URL. An
//! opaque response means the server responded but the browser hid it from the page
//! ([`Outcome::CorsBlocked`]); another rejection means the server could not be reached.

use acr_health_core::rules::registry::{HttpAnswer, HttpRequest, Outcome, Redirect};
use base64::Engine;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Headers, RequestCache, RequestCredentials, RequestInit, RequestMode, RequestRedirect, Response,
    ResponseType, UrlSearchParams,
};

use crate::probe::body::{read_bounded, MAX_BODY_BYTES};
use crate::probe::deadline::Deadline;
use crate::probe::headers::readable_headers;

/// The timeout of one request when the user has not changed it.
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;

/// The outcome of one request, and its duration.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    pub outcome: Outcome,
    pub elapsed_ms: u32,
}

/// Sends `request` and waits for its response and body, at most `timeout_ms` in all.
///
/// Returns an error only when the browser rejects building the request itself (such as a header
/// value it cannot send); every failure on the way to the server is an [`Outcome`].
pub async fn send(request: &HttpRequest, timeout_ms: u32) -> Result<Observed, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let deadline = Deadline::start(timeout_ms)?;
    let init = request_init(request, &deadline)?;

    // Send, and wait for the status line and headers.
    let answer = JsFuture::from(window.fetch_with_str_and_init(&request.url, &init)).await;
    let response: Response = match answer {
        Ok(response) => response.dyn_into()?,
        Err(error) => {
            let elapsed_ms = deadline.elapsed_ms()?;
            if deadline.fired() {
                return Ok(Observed {
                    outcome: Outcome::TimedOut { after_ms: elapsed_ms },
                    elapsed_ms,
                });
            }
            let outcome = classify_rejection(&request.url, &error, timeout_ms).await?;
            return Ok(Observed { outcome, elapsed_ms });
        }
    };

    // Read the body within the same deadline.
    let status = match response.type_() {
        // `redirect: manual` hides the redirect's status and `Location` from the page.
        ResponseType::Opaqueredirect | ResponseType::Opaque => 0,
        _ => response.status(),
    };
    let headers = readable_headers(&response.headers())?;
    let body = read_bounded(&response, MAX_BODY_BYTES).await;
    let elapsed_ms = deadline.elapsed_ms()?;
    let (body, body_truncated) = match body {
        Ok(body) => body,
        Err(_) if deadline.fired() => {
            return Ok(Observed {
                outcome: Outcome::TimedOut { after_ms: elapsed_ms },
                elapsed_ms,
            });
        }
        Err(error) => {
            return Ok(Observed {
                outcome: Outcome::Network {
                    detail: format!("reading the body failed: {}", error_message(&error)),
                },
                elapsed_ms,
            });
        }
    };

    let url = match response.url() {
        url if url.is_empty() => request.url.clone(),
        url => url,
    };
    Ok(Observed {
        outcome: Outcome::Answer(HttpAnswer {
            url,
            status,
            headers,
            body,
            body_truncated,
        }),
        elapsed_ms,
    })
}

/// Sends `request` like [`send`]. A request the browser refuses to build never reached the
/// network, and is reported to the core as a network failure that says so.
pub async fn send_or_refused(request: &HttpRequest, timeout_ms: u32) -> Observed {
    match send(request, timeout_ms).await {
        Ok(observed) => observed,
        Err(error) => Observed {
            outcome: Outcome::Network {
                detail: format!("the browser rejected the request: {}", error_message(&error)),
            },
            elapsed_ms: 0,
        },
    }
}

/// Sends a `no-cors` `GET` to `url` and reports whether any response came back. The response is
/// opaque: its status, headers and body stay hidden from the page.
pub async fn reach(url: &str, timeout_ms: u32) -> Result<Observed, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let deadline = Deadline::start(timeout_ms)?;
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_mode(RequestMode::NoCors);
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    init.set_signal(Some(&deadline.signal()));

    let answer = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await;
    let elapsed_ms = deadline.elapsed_ms()?;
    let outcome = match answer {
        Ok(_) => Outcome::Answer(HttpAnswer {
            url: url.to_owned(),
            status: 0,
            headers: Vec::new(),
            body: Vec::new(),
            body_truncated: false,
        }),
        Err(_) if deadline.fired() => Outcome::TimedOut { after_ms: elapsed_ms },
        Err(error) => Outcome::Network {
            detail: error_message(&error),
        },
    };
    Ok(Observed { outcome, elapsed_ms })
}

/// Tells a CORS refusal from a failure to reach the server, after a `cors` request to `url`
/// was rejected with `error`.
async fn classify_rejection(url: &str, error: &JsValue, timeout_ms: u32) -> Result<Outcome, JsValue> {
    let reached = reach(url, timeout_ms).await?;
    Ok(match reached.outcome {
        Outcome::Answer(_) => Outcome::CorsBlocked,
        Outcome::TimedOut { .. } => Outcome::TimedOut {
            after_ms: reached.elapsed_ms,
        },
        _ => Outcome::Network {
            detail: error_message(error),
        },
    })
}

/// Builds the `fetch` options for `request`.
fn request_init(request: &HttpRequest, deadline: &Deadline) -> Result<RequestInit, JsValue> {
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_mode(RequestMode::Cors);
    // Cookies of the registry's site have no part in the token protocol.
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    init.set_redirect(match request.redirect {
        Redirect::Follow => RequestRedirect::Follow,
        Redirect::Manual => RequestRedirect::Manual,
    });
    init.set_signal(Some(&deadline.signal()));

    // Only safelisted headers unless a credential must travel in `Authorization`, which makes
    // the browser send a preflight first.
    let headers = Headers::new()?;
    if let Some(accept) = &request.accept {
        headers.set("accept", accept)?;
    }
    if let Some((username, password)) = &request.basic {
        let pair = format!("{username}:{password}");
        let encoded = base64::engine::general_purpose::STANDARD.encode(pair.as_bytes());
        headers.set("authorization", &format!("Basic {encoded}"))?;
    }
    if let Some(token) = &request.bearer {
        headers.set("authorization", &format!("Bearer {token}"))?;
    }
    init.set_headers(&headers);

    if !request.form.is_empty() {
        let form = UrlSearchParams::new()?;
        for (name, value) in &request.form {
            form.append(name, value);
        }
        // A URLSearchParams body is sent as application/x-www-form-urlencoded.
        init.set_body(&form);
    }
    Ok(init)
}

/// Returns the message of a JavaScript error, or its printed form for any other thrown value.
pub fn error_message(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(error) => {
            let name = String::from(error.name());
            let message = String::from(error.message());
            format!("{name}: {message}")
        }
        None => error
            .as_string()
            .unwrap_or_else(|| format!("{error:?}")),
    }
}
