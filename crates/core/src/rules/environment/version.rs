//! Version numbers as the Docker, Helm and Notary clients print them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A `major.minor.patch` version. Pre-release and build suffixes are dropped, because every
/// threshold the checks use is a release.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub const fn new(major: u64, minor: u64, patch: u64) -> Version {
        Version {
            major,
            minor,
            patch,
        }
    }

    /// Parses `v3.14.0`, `2.16.12+g47f0b88`, `20.10.24+dfsg1` or `0.6.1-rc1`. A missing patch
    /// (`1.2`) counts as 0. Returns `None` for anything else.
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim();
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let core = text.split(['+', '-', ' ', ',']).next()?;
        let mut parts = core.split('.');
        let mut number = |required: bool| -> Option<u64> {
            match parts.next() {
                Some(part) if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) => {
                    part.parse().ok()
                }
                None if !required => Some(0),
                _ => None,
            }
        };
        let major = number(true)?;
        let minor = number(true)?;
        let patch = number(false)?;
        if parts.next().is_some() {
            return None;
        }
        Some(Version::new(major, minor, patch))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Returns the version in `Docker version 28.2.2, build e6534b4`.
pub fn docker_version(output: &str) -> Option<Version> {
    let line = output.lines().find(|line| line.contains("version"))?;
    let rest = line.split_once("version")?.1;
    let word = rest.split_whitespace().next()?;
    Version::parse(word.trim_end_matches(','))
}

/// Returns the quoted value after `key:"` in Go's `%#v` output, as Helm prints it.
fn quoted_field<'a>(output: &'a str, key: &str) -> Option<&'a str> {
    let start = output.find(&format!("{key}:\""))? + key.len() + 2;
    let rest = &output[start..];
    let end = rest.find('"')?;
    Some(&rest[..end])
}

/// Returns the version in the output of `helm version --client`: Helm 2 prints
/// `Client: &version.Version{SemVer:"v2.16.12", ...}`, Helm 3
/// `version.BuildInfo{Version:"v3.14.0", ...}`.
pub fn helm_version(output: &str) -> Option<Version> {
    let text = quoted_field(output, "SemVer").or_else(|| quoted_field(output, "Version"))?;
    Version::parse(text)
}

/// Returns the text after ` Version:` in the output of `notary version`, which may be empty
/// (Debian's build prints an empty one).
pub fn notary_version_text(output: &str) -> Option<&str> {
    output
        .lines()
        .find_map(|line| line.trim().strip_prefix("Version:"))
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_cases() {
        let cases = [
            ("1.2.3", Some(Version::new(1, 2, 3))),
            ("v3.14.0", Some(Version::new(3, 14, 0))),
            ("v2.16.12+g47f0b88", Some(Version::new(2, 16, 12))),
            ("20.10.24+dfsg1", Some(Version::new(20, 10, 24))),
            ("0.6.1-rc1", Some(Version::new(0, 6, 1))),
            ("1.2", Some(Version::new(1, 2, 0))),
            ("", None),
            ("v", None),
            ("1", None),
            ("1.x.3", None),
            ("1.2.3.4", None),
            ("latest", None),
        ];
        for (text, expected) in cases {
            assert_eq!(Version::parse(text), expected, "text {text:?}");
        }
    }

    #[test]
    fn docker_version_cases() {
        let cases = [
            (
                "Docker version 28.2.2, build e6534b4\n",
                Some(Version::new(28, 2, 2)),
            ),
            (
                "Docker version 20.10.24+dfsg1, build 297e128\n",
                Some(Version::new(20, 10, 24)),
            ),
            ("podman version 4.3.1\n", Some(Version::new(4, 3, 1))),
            ("Segmentation fault\n", None),
            ("", None),
        ];
        for (output, expected) in cases {
            assert_eq!(docker_version(output), expected, "output {output:?}");
        }
    }

    #[test]
    fn helm_version_cases() {
        let cases = [
            (
                r#"Client: &version.Version{SemVer:"v2.16.12", GitCommit:"47f0b88409e71fd9ca272abc7cd762a56a1c613e", GitTreeState:"clean"}"#,
                Some(Version::new(2, 16, 12)),
            ),
            (
                r#"version.BuildInfo{Version:"v3.14.0", GitCommit:"3fc9f4b2638e76f26739cd77c7017139be81d0ea", GitTreeState:"clean", GoVersion:"go1.21.5"}"#,
                Some(Version::new(3, 14, 0)),
            ),
            (
                r#"Client: &version.Version{SemVer:"v2.9.1", GitCommit:"20adb27c7c5868466912eebdf6664e7390ebe710", GitTreeState:"clean"}"#,
                Some(Version::new(2, 9, 1)),
            ),
            (r#"version.BuildInfo{Version:"", GitCommit:""}"#, None),
            ("Error: unknown flag: --client", None),
        ];
        for (output, expected) in cases {
            assert_eq!(helm_version(output), expected, "output {output:?}");
        }
    }

    #[test]
    fn notary_version_text_cases() {
        let debian = "notary\n Version:    \n Git commit: \n Go version: go1.19.8\n";
        assert_eq!(notary_version_text(debian), Some(""));
        let upstream = "notary\n Version:    0.6.1\n Git commit: d6e1431f\n";
        assert_eq!(notary_version_text(upstream), Some("0.6.1"));
        assert_eq!(notary_version_text("usage: notary"), None);
    }
}
