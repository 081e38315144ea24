//! The check catalog: for every [`Code`], its severity and what it means and how to fix it, in
//! English and Korean.
//!
//! This is the only place these texts live. The page, the helper's CLI and every report
//! renderer read them through [`entry`] or [`entries`], so a code reads the same wherever it is
//! shown. The prose sits in one file per language; the table below ties it to the codes.

mod en;
mod ko;

use crate::{Code, Lang, Severity};

/// The error reference of `az acr check-health`. Each of its codes has a section whose anchor
/// is the code in lower case.
const ERROR_REFERENCE_URL: &str = "https://aka.ms/acr/errors";

/// A code's explanation in one language.
///
/// Commands, host names, header names and file paths are wrapped in backticks so that a
/// renderer can show them as code. Placeholders in angle brackets, such as `<registry>`, stand
/// for values the user fills in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    /// A few words naming the problem, used as a heading.
    pub title: &'static str,
    /// Two to four sentences: what was observed and why it blocks the user.
    pub meaning: &'static str,
    /// Possible fixes, one concrete step each, the most likely first.
    pub fixes: &'static [&'static str],
}

/// One code of the catalog with its severity and its text in every language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub code: Code,
    pub severity: Severity,
    pub en: Text,
    pub ko: Text,
}

impl Entry {
    /// Returns the text in the given language.
    pub fn text(&self, lang: Lang) -> &Text {
        match lang {
            Lang::En => &self.en,
            Lang::Ko => &self.ko,
        }
    }

    /// Builds the link to the code's section of the error reference, such as
    /// `https://aka.ms/acr/errors#cmk_error`. Returns `None` for the codes that only acr-health
    /// reports, which the error reference does not document.
    pub fn doc_url(&self) -> Option<String> {
        if !self.code.in_error_reference() {
            return None;
        }
        let anchor = self.code.as_str().to_ascii_lowercase();
        Some(format!("{ERROR_REFERENCE_URL}#{anchor}"))
    }
}

/// Returns the catalog entry of a code. Every code has one.
pub fn entry(code: Code) -> &'static Entry {
    // The check below ENTRIES proves at compile time that the entry of each code sits at the
    // index of its discriminant.
    &ENTRIES[code as usize]
}

/// Returns every entry, in the order of [`Code::ALL`].
pub fn entries() -> impl Iterator<Item = &'static Entry> {
    ENTRIES.iter()
}

/// The catalog, in the order of [`Code::ALL`]. Severity is `Error` for whatever stops pulls or
/// pushes from the machine being checked. A comment gives the reason for each `Warning`.
static ENTRIES: [Entry; Code::ALL.len()] = [
    Entry {
        code: Code::DockerCommand,
        severity: Severity::Error,
        en: en::DOCKER_COMMAND,
        ko: ko::DOCKER_COMMAND,
    },
    Entry {
        code: Code::DockerDaemon,
        severity: Severity::Error,
        en: en::DOCKER_DAEMON,
        ko: ko::DOCKER_DAEMON,
    },
    // The version string is information only. Whether Docker works is decided by the daemon and
    // pull checks, which run regardless.
    Entry {
        code: Code::DockerVersion,
        severity: Severity::Warning,
        en: en::DOCKER_VERSION,
        ko: ko::DOCKER_VERSION,
    },
    Entry {
        code: Code::DockerPull,
        severity: Severity::Error,
        en: en::DOCKER_PULL,
        ko: ko::DOCKER_PULL,
    },
    // Helm is needed for chart work only. Image pulls and pushes do not use it, and many
    // machines that pull from a registry never run Helm.
    Entry {
        code: Code::HelmCommand,
        severity: Severity::Warning,
        en: en::HELM_COMMAND,
        ko: ko::HELM_COMMAND,
    },
    // Same reason as a missing Helm client: only chart work is affected.
    Entry {
        code: Code::HelmVersion,
        severity: Severity::Warning,
        en: en::HELM_VERSION,
        ko: ko::HELM_VERSION,
    },
    Entry {
        code: Code::Cmk,
        severity: Severity::Error,
        en: en::CMK,
        ko: ko::CMK,
    },
    Entry {
        code: Code::ConnectivityDns,
        severity: Severity::Error,
        en: en::CONNECTIVITY_DNS,
        ko: ko::CONNECTIVITY_DNS,
    },
    Entry {
        code: Code::ConnectivityForbidden,
        severity: Severity::Error,
        en: en::CONNECTIVITY_FORBIDDEN,
        ko: ko::CONNECTIVITY_FORBIDDEN,
    },
    Entry {
        code: Code::ConnectivityChallenge,
        severity: Severity::Error,
        en: en::CONNECTIVITY_CHALLENGE,
        ko: ko::CONNECTIVITY_CHALLENGE,
    },
    Entry {
        code: Code::ConnectivityAadLogin,
        severity: Severity::Error,
        en: en::CONNECTIVITY_AAD_LOGIN,
        ko: ko::CONNECTIVITY_AAD_LOGIN,
    },
    Entry {
        code: Code::ConnectivityRefreshToken,
        severity: Severity::Error,
        en: en::CONNECTIVITY_REFRESH_TOKEN,
        ko: ko::CONNECTIVITY_REFRESH_TOKEN,
    },
    Entry {
        code: Code::ConnectivityAccessToken,
        severity: Severity::Error,
        en: en::CONNECTIVITY_ACCESS_TOKEN,
        ko: ko::CONNECTIVITY_ACCESS_TOKEN,
    },
    Entry {
        code: Code::ConnectivitySsl,
        severity: Severity::Error,
        en: en::CONNECTIVITY_SSL,
        ko: ko::CONNECTIVITY_SSL,
    },
    Entry {
        code: Code::LoginServer,
        severity: Severity::Error,
        en: en::LOGIN_SERVER,
        ko: ko::LOGIN_SERVER,
    },
    // Only signing and verifying with Docker Content Trust need Notary, not plain pulls and
    // pushes. For the same reason a missing Notary client is not reported at all.
    Entry {
        code: Code::NotaryVersion,
        severity: Severity::Warning,
        en: en::NOTARY_VERSION,
        ko: ko::NOTARY_VERSION,
    },
    Entry {
        code: Code::ConnectivityNetwork,
        severity: Severity::Error,
        en: en::CONNECTIVITY_NETWORK,
        ko: ko::CONNECTIVITY_NETWORK,
    },
    // The registry sent a response, so the network path works. CORS applies only to pages in a
    // browser, so Docker, the Azure CLI and the helper are not affected. What is lost is the
    // rest of the diagnosis from this page, not the user's access to the registry.
    Entry {
        code: Code::ConnectivityCors,
        severity: Severity::Warning,
        en: en::CONNECTIVITY_CORS,
        ko: ko::CONNECTIVITY_CORS,
    },
    // Throttling ends by itself, but while it lasts the registry rejects pulls and pushes, and
    // a client that hits it under normal load will keep hitting it.
    Entry {
        code: Code::ConnectivityTooManyRequests,
        severity: Severity::Error,
        en: en::CONNECTIVITY_TOO_MANY_REQUESTS,
        ko: ko::CONNECTIVITY_TOO_MANY_REQUESTS,
    },
    // The code is raised past a few minutes of skew. At that size the registry still accepts
    // its tokens, because it checks them against its own clock. Sign-ins fail only once the
    // skew pushes the local time outside a token's or a certificate's validity window.
    Entry {
        code: Code::ClockSkew,
        severity: Severity::Warning,
        en: en::CLOCK_SKEW,
        ko: ko::CLOCK_SKEW,
    },
    Entry {
        code: Code::ConnectivityDataEndpoint,
        severity: Severity::Error,
        en: en::CONNECTIVITY_DATA_ENDPOINT,
        ko: ko::CONNECTIVITY_DATA_ENDPOINT,
    },
    // Without a usable ARM token none of the ARM checks run, but the registry itself may work.
    // The registry checks decide whether pulls and pushes fail.
    Entry {
        code: Code::ArmToken,
        severity: Severity::Warning,
        en: en::ARM_TOKEN,
        ko: ko::ARM_TOKEN,
    },
];

// Proves at compile time what `entry` relies on: entry number `index` is the code whose
// discriminant is `index`, in the order of `Code::ALL`. With the table's length fixed to
// `Code::ALL.len()`, a code added without an entry, or an entry out of place, fails the build.
const _: () = {
    let mut index = 0;
    while index < ENTRIES.len() {
        let code = ENTRIES[index].code as usize;
        assert!(code == index, "catalog entry out of declaration order");
        assert!(
            code == Code::ALL[index] as usize,
            "catalog entry out of Code::ALL order"
        );
        index += 1;
    }
};

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Tells whether the text contains a Hangul syllable.
    fn has_hangul(text: &str) -> bool {
        text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
    }

    #[test]
    fn entry_exists_for_every_code() {
        for code in Code::ALL {
            assert_eq!(entry(code).code, code);
        }
    }

    #[test]
    fn entries_follow_code_all_order() {
        let codes: Vec<Code> = entries().map(|entry| entry.code).collect();
        assert_eq!(codes, Code::ALL);
    }

    #[test]
    fn text_is_complete_in_every_language() {
        for entry in entries() {
            for lang in Lang::ALL {
                let text = entry.text(lang);
                let at = format!("{} in {}", entry.code, lang.tag());
                assert!(!text.title.trim().is_empty(), "empty title: {at}");
                assert!(!text.meaning.trim().is_empty(), "empty meaning: {at}");
                assert!(!text.fixes.is_empty(), "no fixes: {at}");
                for fix in text.fixes {
                    assert!(!fix.trim().is_empty(), "empty fix: {at}");
                }
            }
        }
    }

    #[test]
    fn text_selects_language() {
        let entry = entry(Code::ClockSkew);
        assert_eq!(entry.text(Lang::En), &entry.en);
        assert_eq!(entry.text(Lang::Ko), &entry.ko);
        assert_ne!(entry.en, entry.ko);
    }

    #[test]
    fn korean_text_contains_hangul() {
        for entry in entries() {
            let code = entry.code;
            assert!(has_hangul(entry.ko.title), "title of {code}");
            assert!(has_hangul(entry.ko.meaning), "meaning of {code}");
            for fix in entry.ko.fixes {
                assert!(has_hangul(fix), "fix of {code}: {fix}");
            }
        }
    }

    #[test]
    fn english_text_contains_no_hangul() {
        for entry in entries() {
            let code = entry.code;
            assert!(!has_hangul(entry.en.title), "title of {code}");
            assert!(!has_hangul(entry.en.meaning), "meaning of {code}");
            for fix in entry.en.fixes {
                assert!(!has_hangul(fix), "fix of {code}: {fix}");
            }
        }
    }

    #[test]
    fn languages_list_same_number_of_fixes() {
        for entry in entries() {
            assert_eq!(entry.en.fixes.len(), entry.ko.fixes.len(), "{}", entry.code);
        }
    }

    #[test]
    fn backticks_are_balanced() {
        for entry in entries() {
            for lang in Lang::ALL {
                let text = entry.text(lang);
                let pieces = [text.title, text.meaning]
                    .into_iter()
                    .chain(text.fixes.iter().copied());
                for piece in pieces {
                    let count = piece.matches('`').count();
                    assert_eq!(count % 2, 0, "{} in {}: {piece}", entry.code, lang.tag());
                }
            }
        }
    }

    #[test]
    fn doc_url_only_for_error_reference() {
        for entry in entries() {
            let url = entry.doc_url();
            if entry.code.in_error_reference() {
                let anchor = entry.code.as_str().to_ascii_lowercase();
                let expected = format!("https://aka.ms/acr/errors#{anchor}");
                assert_eq!(url, Some(expected));
            } else {
                assert_eq!(url, None, "{}", entry.code);
            }
        }
    }

    #[test]
    fn doc_url_of_forbidden() {
        assert_eq!(
            entry(Code::ConnectivityForbidden).doc_url().as_deref(),
            Some("https://aka.ms/acr/errors#connectivity_forbidden_error")
        );
    }

    #[test]
    fn titles_unique_per_language() {
        for lang in Lang::ALL {
            let mut seen = HashSet::new();
            for entry in entries() {
                let title = entry.text(lang).title;
                assert!(
                    seen.insert(title),
                    "duplicate {} title: {title}",
                    lang.tag()
                );
            }
        }
    }

    #[test]
    fn cors_fixes_name_helper_and_registry_settings() {
        for lang in Lang::ALL {
            let fixes = entry(Code::ConnectivityCors).text(lang).fixes.join("\n");
            assert!(fixes.contains("acr-health-helper serve"), "{}", lang.tag());
            assert!(fixes.contains("cargo xtask run"), "{}", lang.tag());
            assert!(fixes.contains("http.headers"), "{}", lang.tag());
            assert!(
                fixes.contains("Access-Control-Expose-Headers: WWW-Authenticate"),
                "{}",
                lang.tag()
            );
        }
    }

    #[test]
    fn data_endpoint_names_both_hosts() {
        for lang in Lang::ALL {
            let meaning = entry(Code::ConnectivityDataEndpoint).text(lang).meaning;
            assert!(meaning.contains(".data.azurecr.io"), "{}", lang.tag());
            assert!(
                meaning.contains("*.blob.core.windows.net"),
                "{}",
                lang.tag()
            );
        }
    }
}
