//! The languages a user can read acr-health in.

use serde::{Deserialize, Serialize};

/// A language of the user interface. Every text a user sees exists in each of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Ko,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ko];

    /// Returns the BCP 47 tag written into `<html lang>` and accepted by `--lang`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// Parses one language tag (`ko`, `ko-KR`, `EN-us`, `ko_KR.UTF-8`), matching the primary
    /// subtag only. Returns `None` for a language acr-health does not have.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_', '.'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            _ => None,
        }
    }

    /// Picks the first supported language from a preference list such as
    /// `navigator.languages` or `LC_ALL`/`LANG`, falling back to English.
    pub fn negotiate<'a>(preferences: impl IntoIterator<Item = &'a str>) -> Lang {
        preferences
            .into_iter()
            .find_map(Lang::from_tag)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_tag_matches_primary_subtag() {
        let cases = [
            ("en", Some(Lang::En)),
            ("en-US", Some(Lang::En)),
            ("ko", Some(Lang::Ko)),
            ("ko-KR", Some(Lang::Ko)),
            ("KO_kr.UTF-8", Some(Lang::Ko)),
            (" ko ", Some(Lang::Ko)),
            ("de-DE", None),
            ("", None),
            ("C", None),
        ];
        for (tag, expected) in cases {
            assert_eq!(Lang::from_tag(tag), expected, "tag {tag:?}");
        }
    }

    #[test]
    fn negotiate_takes_first_supported() {
        assert_eq!(Lang::negotiate(["de", "ko-KR", "en"]), Lang::Ko);
        assert_eq!(Lang::negotiate(["fr", "ja"]), Lang::En);
        assert_eq!(Lang::negotiate([]), Lang::En);
    }
}
