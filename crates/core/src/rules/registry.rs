//! Rules for the registry protocol: login server, reachability, challenge, tokens, clock and
//! data path.

use serde::{Deserialize, Serialize};

use crate::{Lang, Localize};

/// What a registry check saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RegistryFinding {
    /// The check did not run because an earlier step failed.
    SkippedAfterFailure,
}

impl Localize for RegistryFinding {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (RegistryFinding::SkippedAfterFailure, Lang::En) => {
                "Not run because an earlier step failed.".to_owned()
            }
            (RegistryFinding::SkippedAfterFailure, Lang::Ko) => {
                "앞 단계가 실패해서 실행하지 않았습니다.".to_owned()
            }
        }
    }
}
