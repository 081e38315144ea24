//! Calls to the helper's API: a JSON request with a deadline, and `POST /api/v1/run`, whose
//! results stream back as newline-delimited JSON and are passed on one by one.

use acr_health_core::{CheckResult, Report};
use js_sys::{Reflect, Uint8Array};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, ReadableStreamDefaultReader, RequestCredentials, RequestInit, RequestMode, Response};

use crate::components::arm_fields::ArmForm;
use crate::components::credentials::{CredentialForm, CredentialKind};
use crate::components::registry_form::RunRequest;
use crate::helper::ndjson::LineBuffer;
use crate::helper::HelperError;
use crate::probe::body::{read_bounded, MAX_BODY_BYTES};
use crate::probe::deadline::Deadline;
use crate::probe::fetch::error_message;

/// How long a whole helper run may take, results streaming included. The helper bounds each of
/// its commands itself; this only keeps the page from waiting forever on a stuck helper.
pub const RUN_TIMEOUT_MS: u32 = 180_000;

/// One request to the helper.
pub struct HelperCall<'a> {
    method: &'static str,
    url: &'a str,
    pairing_secret: Option<&'a str>,
    json_body: Option<String>,
    timeout_ms: u32,
}

impl<'a> HelperCall<'a> {
    pub fn get(url: &'a str, timeout_ms: u32) -> HelperCall<'a> {
        HelperCall {
            method: "GET",
            url,
            pairing_secret: None,
            json_body: None,
            timeout_ms,
        }
    }
}

/// Sends `call` and returns the response once its status is known to be a success.
async fn open(call: &HelperCall<'_>) -> Result<(Response, Deadline), HelperError> {
    let browser = |error: JsValue| HelperError::Network {
        detail: error_message(&error),
    };
    let window = web_sys::window().ok_or_else(|| browser(JsValue::from_str("no window")))?;
    let deadline = Deadline::start(call.timeout_ms).map_err(browser)?;

    let init = RequestInit::new();
    init.set_method(call.method);
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    init.set_signal(Some(&deadline.signal()));
    let headers = Headers::new().map_err(browser)?;
    if let Some(secret) = call.pairing_secret {
        headers
            .set("authorization", &format!("Pairing {secret}"))
            .map_err(browser)?;
    }
    if let Some(body) = &call.json_body {
        headers.set("content-type", "application/json").map_err(browser)?;
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);

    let answer = JsFuture::from(window.fetch_with_str_and_init(call.url, &init)).await;
    let response: Response = match answer {
        Ok(response) => response.dyn_into().map_err(browser)?,
        Err(_) if deadline.fired() => {
            return Err(HelperError::TimedOut {
                after_ms: deadline.elapsed_ms().map_err(browser)?,
            });
        }
        Err(error) => return Err(browser(error)),
    };

    match response.status() {
        200..=299 => Ok((response, deadline)),
        401 | 403 => Err(HelperError::PairingRejected),
        status => Err(HelperError::Status { status }),
    }
}

/// Sends `call` and parses the JSON response.
pub async fn request_json<T: DeserializeOwned>(call: HelperCall<'_>) -> Result<T, HelperError> {
    let (response, deadline) = open(&call).await?;
    let body = match read_bounded(&response, MAX_BODY_BYTES).await {
        Ok((body, false)) => body,
        Ok((_, true)) => {
            return Err(HelperError::Malformed {
                detail: format!("answer longer than {MAX_BODY_BYTES} bytes"),
            });
        }
        Err(_) if deadline.fired() => {
            return Err(HelperError::TimedOut {
                after_ms: call.timeout_ms,
            });
        }
        Err(error) => {
            return Err(HelperError::Network {
                detail: error_message(&error),
            });
        }
    };
    parse_json(&body)
}

/// Parses one JSON document with the browser's `JSON.parse` and reads it through
/// `serde-wasm-bindgen`, the deserializer the page already links for its JavaScript API, so the
/// report types are not compiled a second time for another JSON library.
fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, HelperError> {
    from_js(parse_js(bytes)?)
}

fn parse_js(bytes: &[u8]) -> Result<JsValue, HelperError> {
    let text = std::str::from_utf8(bytes).map_err(|error| HelperError::Malformed {
        detail: error.to_string(),
    })?;
    js_sys::JSON::parse(text).map_err(|error| HelperError::Malformed {
        detail: error_message(&error),
    })
}

fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, HelperError> {
    serde_wasm_bindgen::from_value(value).map_err(|error| HelperError::Malformed {
        detail: error.to_string(),
    })
}

/// One line of the run's stream: `{"type":"result","result":...}` or
/// `{"type":"report","report":...}`.
pub enum Line {
    Result(Box<CheckResult>),
    Report(Box<Report>),
    /// A line type of a newer helper, which the page skips.
    Other,
}

/// Reads one stream line. The `type` field is read by hand, because a serde tagged enum would
/// compile the report types once more for its buffering deserializer.
pub fn read_line(bytes: &[u8]) -> Result<Line, HelperError> {
    let value = parse_js(bytes)?;
    let field = |name: &str| {
        Reflect::get(&value, &JsValue::from_str(name)).map_err(|error| HelperError::Malformed {
            detail: error_message(&error),
        })
    };
    match field("type")?.as_string().as_deref() {
        Some("result") => Ok(Line::Result(Box::new(from_js(field("result")?)?))),
        Some("report") => Ok(Line::Report(Box::new(from_js(field("report")?)?))),
        _ => Ok(Line::Other),
    }
}

/// Writes `value` as JSON text, with `None` as `null`.
pub fn to_json<T: Serialize>(value: &T) -> Result<String, HelperError> {
    let malformed = |detail: String| HelperError::Malformed { detail };
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let value = value
        .serialize(&serializer)
        .map_err(|error| malformed(error.to_string()))?;
    let text = js_sys::JSON::stringify(&value).map_err(|error| malformed(error_message(&error)))?;
    Ok(String::from(text))
}

/// The body of `POST /api/v1/run`.
#[derive(Serialize)]
pub struct RunBody<'a> {
    registry: &'a str,
    cloud: &'static str,
    credential: CredentialBody<'a>,
    pull: PullBody,
    #[serde(skip_serializing_if = "Option::is_none")]
    arm: Option<ArmBody<'a>>,
}

/// The ARM settings handed to the helper, so that the machine side runs the ARM checks too and
/// compares the private endpoints with its own DNS answers. The token is the one the user
/// pasted, if any; `from_az` lets the helper get one from the machine's `az` login instead.
#[derive(Serialize)]
pub struct ArmBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<&'a str>,
    from_az: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    registry: Option<&'a str>,
}

impl<'a> ArmBody<'a> {
    /// Returns the settings for the helper, or `None` when the user gave the helper nothing to
    /// run ARM checks with. `url` is the base URL named in the page's address, already
    /// validated; the helper validates it again before it sends a token there.
    pub fn new(form: &'a ArmForm, url: Option<&'a str>) -> Option<ArmBody<'a>> {
        let token = form.token();
        (token.is_some() || form.from_az).then_some(ArmBody {
            token,
            from_az: form.from_az,
            url,
            registry: form.registry_name(),
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
enum CredentialBody<'a> {
    Anonymous,
    Password { username: &'a str, password: &'a str },
    AadToken { token: &'a str, tenant: Option<&'a str> },
    RefreshToken { token: &'a str },
}

/// The page never requests to pull an image: that needs consent given in the helper's
/// own terminal or command line.
#[derive(Serialize)]
struct PullBody {
    consent: bool,
    image: Option<String>,
}

impl<'a> RunBody<'a> {
    /// The run request for `request`. `arm` is `None` when the helper does not take ARM
    /// settings or the user gave none.
    pub fn new(request: &'a RunRequest, arm: Option<ArmBody<'a>>) -> RunBody<'a> {
        RunBody {
            registry: request.input.trim(),
            cloud: request.cloud.as_str(),
            credential: credential_body(&request.credential),
            pull: PullBody {
                consent: false,
                image: None,
            },
            arm,
        }
    }

    /// Tells whether the request asks the helper for ARM checks.
    pub fn has_arm(&self) -> bool {
        self.arm.is_some()
    }
}

fn credential_body(form: &CredentialForm) -> CredentialBody<'_> {
    match form.kind {
        CredentialKind::Anonymous => CredentialBody::Anonymous,
        CredentialKind::Password => CredentialBody::Password {
            username: form.username.trim(),
            password: &form.password,
        },
        CredentialKind::AadToken => CredentialBody::AadToken {
            token: form.token.trim(),
            tenant: Some(form.tenant.trim()).filter(|tenant| !tenant.is_empty()),
        },
        CredentialKind::RefreshToken => CredentialBody::RefreshToken {
            token: form.token.trim(),
        },
    }
}

/// Starts the helper's checks and passes each result to `on_result` as it arrives. Returns the
/// helper's final report, or `None` when the stream ended without one.
pub async fn run_checks(
    base: &str,
    pairing_secret: &str,
    body: &RunBody<'_>,
    on_result: impl Fn(CheckResult),
) -> Result<Option<Report>, HelperError> {
    let url = format!("{base}/api/v1/run");
    let json_body = to_json(body)?;
    let call = HelperCall {
        method: "POST",
        url: &url,
        pairing_secret: Some(pairing_secret),
        json_body: Some(json_body),
        timeout_ms: RUN_TIMEOUT_MS,
    };
    let (response, deadline) = open(&call).await?;

    let stream_error = |error: JsValue| {
        if deadline.fired() {
            HelperError::TimedOut {
                after_ms: RUN_TIMEOUT_MS,
            }
        } else {
            HelperError::Network {
                detail: error_message(&error),
            }
        }
    };
    let stream = response.body().ok_or_else(|| HelperError::Malformed {
        detail: "the answer has no body".to_owned(),
    })?;
    let reader: ReadableStreamDefaultReader = stream
        .get_reader()
        .dyn_into()
        .map_err(|object| stream_error(object.into()))?;

    let mut lines = LineBuffer::default();
    let mut report = None;
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(&stream_error)?;
        let done = Reflect::get(&chunk, &JsValue::from_str("done"))
            .map_err(&stream_error)?
            .as_bool()
            .ok_or_else(|| HelperError::Malformed {
                detail: "a body read returned no `done` flag".to_owned(),
            })?;
        let complete = if done {
            lines_at_end(std::mem::take(&mut lines))
        } else {
            let bytes: Uint8Array = Reflect::get(&chunk, &JsValue::from_str("value"))
                .map_err(&stream_error)?
                .dyn_into()
                .map_err(&stream_error)?;
            lines.push(&bytes.to_vec()).map_err(|_| HelperError::Malformed {
                detail: "a line longer than 1 MiB".to_owned(),
            })?
        };

        for line in complete {
            match read_line(&line)? {
                Line::Result(result) => on_result(*result),
                Line::Report(final_report) => report = Some(*final_report),
                Line::Other => {}
            }
        }
        if done {
            return Ok(report);
        }
    }
}

fn lines_at_end(lines: LineBuffer) -> Vec<Vec<u8>> {
    lines.finish().into_iter().collect()
}
