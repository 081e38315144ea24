//! Rules for what the helper sees on the machine: Docker, Helm, Notary, DNS, TLS and proxy.

use serde::{Deserialize, Serialize};

use crate::{Lang, Localize};

/// What an environment check saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EnvironmentFinding {
    /// The check did not run because the helper is not connected.
    HelperNotConnected,
}

impl Localize for EnvironmentFinding {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (EnvironmentFinding::HelperNotConnected, Lang::En) => {
                "Not run: this check needs the helper on this machine.".to_owned()
            }
            (EnvironmentFinding::HelperNotConnected, Lang::Ko) => {
                "실행하지 않음: 이 검사는 이 머신의 헬퍼가 있어야 합니다.".to_owned()
            }
        }
    }
}
