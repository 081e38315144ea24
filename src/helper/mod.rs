//! The client for the helper: the optional native program that runs the same registry checks
//! from the machine's own network stack, plus the checks a browser cannot make (DNS, TLS,
//! Docker, Helm, Notary).
//!
//! [`discovery`] checks whether a helper listens on a loopback port, [`client`] starts its
//! checks and reads their results as they stream in, and [`ndjson`] splits that stream into
//! lines.

pub mod client;
pub mod discovery;
pub mod ndjson;

use acr_health_core::Lang;

/// A reason the page could not use the helper, shown in the helper line in the user's language.
#[derive(Clone, Debug, PartialEq)]
pub enum HelperError {
    /// The helper refused the pairing secret (HTTP 401 or 403).
    PairingRejected,
    /// The helper responded with another unexpected status.
    Status { status: u16 },
    /// The connection failed or was cut while results were streaming.
    Network { detail: String },
    /// No response within the time limit.
    TimedOut { after_ms: u32 },
    /// The helper sent something that is not the documented JSON.
    Malformed { detail: String },
}

impl HelperError {
    /// Returns the message shown to the user.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (HelperError::PairingRejected, Lang::En) => {
                "The helper rejected this page's pairing secret. Open the address the helper printed when it started.".to_owned()
            }
            (HelperError::PairingRejected, Lang::Ko) => {
                "헬퍼가 이 페이지의 페어링 비밀 값을 거부했습니다. 헬퍼를 시작할 때 출력된 주소로 다시 여세요.".to_owned()
            }
            (HelperError::Status { status }, Lang::En) => {
                format!("The helper's run failed with HTTP status {status}; its terminal log has the details.")
            }
            (HelperError::Status { status }, Lang::Ko) => {
                format!("헬퍼 점검이 HTTP 상태 {status}로 실패했습니다. 자세한 내용은 헬퍼 터미널 로그를 보세요.")
            }
            (HelperError::Network { detail }, Lang::En) => {
                format!("The connection to the helper failed: {detail}")
            }
            (HelperError::Network { detail }, Lang::Ko) => {
                format!("헬퍼와의 연결이 실패했습니다: {detail}")
            }
            (HelperError::TimedOut { after_ms }, Lang::En) => {
                format!("The helper did not finish within {after_ms} ms.")
            }
            (HelperError::TimedOut { after_ms }, Lang::Ko) => {
                format!("헬퍼가 {after_ms} ms 안에 점검을 끝내지 못했습니다.")
            }
            (HelperError::Malformed { detail }, Lang::En) => {
                format!("The helper sent an answer this page cannot read ({detail}); helper and page versions may differ.")
            }
            (HelperError::Malformed { detail }, Lang::Ko) => {
                format!("헬퍼가 보낸 응답을 읽을 수 없습니다({detail}). 헬퍼와 페이지의 버전이 다를 수 있습니다.")
            }
        }
    }
}
