//! Browser tests of the fetch transport against the only servers a browser test has without a
//! network: the test runner's own server on loopback, and a closed loopback port.
//!
//! NOTE: `Outcome::CorsBlocked` is not covered here. The runner's server did not response when
//! reached as `localhost` (another origin), so a CORS refusal needs a second server, which the
//! end-to-end suite has in the lab's `cors-off` scenario.

#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use acr_health::probe::body::read_bounded;
use acr_health::probe::deadline::Deadline;
use acr_health::probe::fetch::{reach, send};
use acr_health_core::rules::registry::{HttpRequest, Method, Outcome, Redirect};
use acr_health_core::CheckId;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::Response;

wasm_bindgen_test_configure!(run_in_browser);

/// A loopback port nothing listens on: port 1 (tcpmux) is unassigned on these machines.
const CLOSED_URL: &str = "http://127.0.0.1:1/v2/";

fn origin() -> String {
    web_sys::window().expect("a window").location().origin().expect("an origin")
}

fn get(url: String) -> HttpRequest {
    HttpRequest {
        check: CheckId::Challenge,
        method: Method::Get,
        url,
        form: Vec::new(),
        basic: None,
        bearer: None,
        accept: None,
        redirect: Redirect::Follow,
    }
}

#[wasm_bindgen_test]
async fn send_reads_same_origin_answer() {
    let observed = send(&get(format!("{}/", origin())), 10_000).await.expect("a request");
    let Outcome::Answer(answer) = observed.outcome else {
        panic!("expected an answer, got {:?}", observed.outcome);
    };
    assert_eq!(answer.status, 200);
    assert!(!answer.body.is_empty());
    assert!(!answer.body_truncated);
    assert!(answer.headers.iter().all(|(name, _)| name == &name.to_ascii_lowercase()));
}

#[wasm_bindgen_test]
async fn send_reports_closed_port_as_network() {
    let observed = send(&get(CLOSED_URL.to_owned()), 10_000).await.expect("a request");
    assert!(
        matches!(observed.outcome, Outcome::Network { .. }),
        "{:?}",
        observed.outcome
    );
}

#[wasm_bindgen_test]
async fn reach_reports_closed_port() {
    let observed = reach(CLOSED_URL, 10_000).await.expect("a request");
    assert!(
        matches!(observed.outcome, Outcome::Network { .. }),
        "{:?}",
        observed.outcome
    );
}

#[wasm_bindgen_test]
async fn read_bounded_cuts_at_limit() {
    let window = web_sys::window().expect("a window");
    let response: Response = JsFuture::from(window.fetch_with_str(&format!("{}/", origin())))
        .await
        .expect("the runner answers")
        .dyn_into()
        .expect("a Response");
    let (body, truncated) = read_bounded(&response, 16).await.expect("a body");
    assert_eq!(body.len(), 16);
    assert!(truncated);
}

#[wasm_bindgen_test]
async fn deadline_fires_and_aborts() {
    let deadline = Deadline::start(5).expect("a deadline");
    assert!(!deadline.fired());
    gloo_timers::future::sleep(Duration::from_millis(50)).await;
    assert!(deadline.fired());
    assert!(deadline.signal().aborted());
    assert!(deadline.elapsed_ms().expect("a clock") >= 5);
}

#[wasm_bindgen_test]
async fn dropped_deadline_never_fires() {
    let signal = {
        let deadline = Deadline::start(5).expect("a deadline");
        deadline.signal()
    };
    gloo_timers::future::sleep(Duration::from_millis(50)).await;
    assert!(!signal.aborted());
}
