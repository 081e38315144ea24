//! Registry input as a user types it: a registry name (`myreg`), a login server
//! (`myreg.azurecr.io`), a `host:port`, a pasted URL or a pasted `docker login` command.
//!
//! Invalid input is rejected here with the reason, before any request is made.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

use serde::{Deserialize, Serialize};

use crate::{Lang, Localize};

/// An Azure cloud, which fixes the login server suffix of a bare registry name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cloud {
    #[default]
    AzureCloud,
    AzureChinaCloud,
    AzureUSGovernment,
}

impl Cloud {
    pub const ALL: [Cloud; 3] = [
        Cloud::AzureCloud,
        Cloud::AzureChinaCloud,
        Cloud::AzureUSGovernment,
    ];

    /// Returns the login server suffix, such as `azurecr.io`.
    pub fn suffix(self) -> &'static str {
        match self {
            Cloud::AzureCloud => "azurecr.io",
            Cloud::AzureChinaCloud => "azurecr.cn",
            Cloud::AzureUSGovernment => "azurecr.us",
        }
    }

    /// Returns the name `az cloud list` uses, such as `AzureChinaCloud`.
    pub fn as_str(self) -> &'static str {
        match self {
            Cloud::AzureCloud => "AzureCloud",
            Cloud::AzureChinaCloud => "AzureChinaCloud",
            Cloud::AzureUSGovernment => "AzureUSGovernment",
        }
    }

    /// Parses a name written by [`Cloud::as_str`], ignoring case.
    pub fn from_name(name: &str) -> Option<Cloud> {
        Cloud::ALL
            .into_iter()
            .find(|cloud| cloud.as_str().eq_ignore_ascii_case(name.trim()))
    }

    fn of_host(host: &str) -> Option<Cloud> {
        Cloud::ALL.into_iter().find(|cloud| {
            host.strip_suffix(cloud.suffix())
                .is_some_and(|name| name.ends_with('.'))
        })
    }
}

/// The scheme requests to the registry use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scheme {
    Https,
    /// Only when the user pasted an `http://` URL, as for a local test registry.
    Http,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Https => "https",
            Scheme::Http => "http",
        }
    }
}

/// A validated login server. `host` is in lower case, ASCII (IDN labels in Punycode) and,
/// for an IPv6 address, without brackets.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LoginServer {
    pub scheme: Scheme,
    pub host: String,
    pub port: Option<u16>,
    /// The Azure cloud whose suffix the host ends with; `None` for any other host.
    pub cloud: Option<Cloud>,
}

impl LoginServer {
    /// Returns `host[:port]`, with an IPv6 address in brackets.
    pub fn authority(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        match self.port {
            Some(port) => format!("{host}:{port}"),
            None => host,
        }
    }

    /// Returns `scheme://authority`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme.as_str(), self.authority())
    }
}

/// The reason an input is not a registry acr-health can check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputError {
    Empty,
    /// A URL scheme other than `https` and `http`.
    UnsupportedScheme {
        scheme: String,
    },
    /// `user:password@` in a URL; credentials belong in the credential fields.
    UserInfo,
    /// The port is not a number from 1 to 65535.
    InvalidPort {
        port: String,
    },
    /// A bare registry name that is not 5 to 50 letters and digits.
    RegistryName {
        name: String,
        reason: NameProblem,
    },
    /// A character a host name cannot contain.
    InvalidCharacter {
        host: String,
        character: char,
    },
    /// A host name label that is empty, longer than 63 characters, or starts or ends with `-`.
    InvalidLabel {
        host: String,
        label: String,
    },
    /// A host name longer than 253 characters.
    HostTooLong {
        length: usize,
    },
    /// A `docker login` style command with no registry in it.
    NoRegistryInCommand,
}

/// The problem with a registry name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameProblem {
    TooShort,
    TooLong,
    NotAlphanumeric,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl Localize for InputError {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (InputError::Empty, Lang::En) => {
                "Enter a registry name such as myregistry, or a login server such as myregistry.azurecr.io.".to_owned()
            }
            (InputError::Empty, Lang::Ko) => {
                "레지스트리 이름(예: myregistry)이나 로그인 서버(예: myregistry.azurecr.io)를 입력하세요.".to_owned()
            }
            (InputError::UnsupportedScheme { scheme }, Lang::En) => format!(
                "The scheme \"{scheme}://\" is not supported. Use https:// (or http:// for a local test registry), or enter the host name alone."
            ),
            (InputError::UnsupportedScheme { scheme }, Lang::Ko) => format!(
                "\"{scheme}://\" 스킴은 지원하지 않습니다. https://(로컬 테스트 레지스트리는 http://)를 쓰거나 호스트 이름만 입력하세요."
            ),
            (InputError::UserInfo, Lang::En) => {
                "The address contains a user name or password before \"@\". Remove it and enter credentials in the credential fields instead.".to_owned()
            }
            (InputError::UserInfo, Lang::Ko) => {
                "주소의 \"@\" 앞에 사용자 이름이나 비밀번호가 들어 있습니다. 주소에서는 지우고 자격 증명 칸에 따로 입력하세요.".to_owned()
            }
            (InputError::InvalidPort { port }, Lang::En) => {
                format!("The port \"{port}\" is invalid: it must be a number from 1 to 65535.")
            }
            (InputError::InvalidPort { port }, Lang::Ko) => {
                format!("포트 \"{port}\"가 잘못되었습니다. 1부터 65535 사이의 숫자여야 합니다.")
            }
            (InputError::RegistryName { name, reason }, Lang::En) => {
                let why = match reason {
                    NameProblem::TooShort => "it is shorter than 5 characters",
                    NameProblem::TooLong => "it is longer than 50 characters",
                    NameProblem::NotAlphanumeric => "it may contain only letters and digits",
                };
                format!("\"{name}\" is not a valid registry name: {why}. Registry names are 5 to 50 letters and digits.")
            }
            (InputError::RegistryName { name, reason }, Lang::Ko) => {
                let why = match reason {
                    NameProblem::TooShort => "5자보다 짧습니다",
                    NameProblem::TooLong => "50자보다 깁니다",
                    NameProblem::NotAlphanumeric => "영문자와 숫자만 쓸 수 있습니다",
                };
                format!("\"{name}\"은(는) 올바른 레지스트리 이름이 아닙니다. {why}. 레지스트리 이름은 영문자와 숫자 5~50자입니다.")
            }
            (InputError::InvalidCharacter { host, character }, Lang::En) => {
                format!("The host \"{host}\" contains {character:?}, which a host name cannot contain.")
            }
            (InputError::InvalidCharacter { host, character }, Lang::Ko) => {
                format!("호스트 \"{host}\"에 호스트 이름에 쓸 수 없는 문자 {character:?}가 있습니다.")
            }
            (InputError::InvalidLabel { host, label }, Lang::En) => format!(
                "The host \"{host}\" has an invalid part \"{label}\": each part between dots must be 1 to 63 characters and cannot start or end with \"-\"."
            ),
            (InputError::InvalidLabel { host, label }, Lang::Ko) => format!(
                "호스트 \"{host}\"의 \"{label}\" 부분이 잘못되었습니다. 점으로 나뉜 각 부분은 1~63자여야 하고 \"-\"로 시작하거나 끝날 수 없습니다."
            ),
            (InputError::HostTooLong { length }, Lang::En) => {
                format!("The host name is {length} characters long; the limit is 253.")
            }
            (InputError::HostTooLong { length }, Lang::Ko) => {
                format!("호스트 이름이 {length}자입니다. 최대 253자까지 쓸 수 있습니다.")
            }
            (InputError::NoRegistryInCommand, Lang::En) => {
                "The pasted command names no registry. Enter the registry name or login server.".to_owned()
            }
            (InputError::NoRegistryInCommand, Lang::Ko) => {
                "붙여 넣은 명령에 레지스트리가 없습니다. 레지스트리 이름이나 로그인 서버를 입력하세요.".to_owned()
            }
        }
    }
}

/// Turns user input into a login server. A bare registry name gets the suffix of `cloud`; a
/// host that ends with another cloud's suffix keeps that cloud. Only a pasted `http://` URL
/// selects plain HTTP.
pub fn parse(input: &str, cloud: Cloud) -> Result<LoginServer, InputError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(InputError::Empty);
    }
    let input = registry_in_command(input)?;

    // The scheme, if a URL was pasted.
    let (scheme, rest) = match input.split_once("://") {
        Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
            "https" => (Scheme::Https, rest),
            "http" => (Scheme::Http, rest),
            _ => {
                return Err(InputError::UnsupportedScheme {
                    scheme: scheme.to_owned(),
                })
            }
        },
        None => (Scheme::Https, input),
    };

    // The authority ends where a path, query or fragment starts.
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(InputError::UserInfo);
    }
    if authority.is_empty() {
        return Err(InputError::Empty);
    }
    let (host, port) = split_port(authority)?;

    // A bare name is a registry name in the chosen cloud.
    let host = host.trim_end_matches('.');
    let is_ip = host.parse::<IpAddr>().is_ok();
    if !is_ip && !host.contains('.') && port.is_none() && !host.eq_ignore_ascii_case("localhost") {
        let name = host.to_ascii_lowercase();
        check_registry_name(&name)?;
        return Ok(LoginServer {
            scheme,
            host: format!("{name}.{}", cloud.suffix()),
            port,
            cloud: Some(cloud),
        });
    }

    let host = if is_ip {
        host.to_ascii_lowercase()
    } else {
        to_ascii_host(host)?
    };
    let cloud = Cloud::of_host(&host);
    if let Some(cloud) = cloud {
        // `<name>.azurecr.io` must carry a valid registry name.
        let name = &host[..host.len() - cloud.suffix().len() - 1];
        if !name.contains('.') {
            check_registry_name(name)?;
        }
    }
    Ok(LoginServer {
        scheme,
        host,
        port,
        cloud,
    })
}

/// Picks the registry out of a pasted `docker login`, `podman login`, `helm registry login` or
/// `az acr login` command; returns other input unchanged.
fn registry_in_command(input: &str) -> Result<&str, InputError> {
    let words: Vec<&str> = input.split_whitespace().collect();
    let is_command = matches!(
        words.as_slice(),
        ["docker" | "podman" | "nerdctl", "login", ..]
            | ["helm", "registry", "login", ..]
            | ["az", "acr", "login", ..]
    );
    if !is_command {
        return Ok(input);
    }

    // `az acr login --name myreg` / `-n myreg`.
    if let Some(index) = words.iter().position(|w| *w == "--name" || *w == "-n") {
        return words
            .get(index + 1)
            .copied()
            .ok_or(InputError::NoRegistryInCommand);
    }
    if let Some(name) = words.iter().find_map(|w| w.strip_prefix("--name=")) {
        return Ok(name);
    }

    // Otherwise the one word that is neither the command nor an option or its value.
    let takes_value = [
        "-u",
        "--username",
        "-p",
        "--password",
        "--cert-file",
        "--key-file",
        "--ca-file",
    ];
    let mut skip_next = false;
    let mut found = None;
    for word in words.iter().skip(if words[0] == "helm" { 3 } else { 2 }) {
        if skip_next {
            skip_next = false;
        } else if takes_value.contains(word) {
            skip_next = true;
        } else if !word.starts_with('-') {
            found = Some(*word);
        }
    }
    found.ok_or(InputError::NoRegistryInCommand)
}

/// Splits `host[:port]` and `[v6]:port`; a bare IPv6 address has no port.
fn split_port(authority: &str) -> Result<(&str, Option<u16>), InputError> {
    if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or(InputError::InvalidCharacter {
            host: authority.to_owned(),
            character: '[',
        })?;
        if host.parse::<Ipv6Addr>().is_err() {
            return Err(InputError::InvalidCharacter {
                host: host.to_owned(),
                character: ':',
            });
        }
        return match after {
            "" => Ok((host, None)),
            _ => match after.strip_prefix(':') {
                Some(port) => Ok((host, Some(parse_port(port)?))),
                None => Err(InputError::InvalidCharacter {
                    host: authority.to_owned(),
                    character: ']',
                }),
            },
        };
    }
    if authority.parse::<Ipv6Addr>().is_ok() {
        return Ok((authority, None));
    }
    match authority.split_once(':') {
        Some((host, port)) => Ok((host, Some(parse_port(port)?))),
        None => Ok((authority, None)),
    }
}

fn parse_port(text: &str) -> Result<u16, InputError> {
    let invalid = || InputError::InvalidPort {
        port: text.to_owned(),
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    match text.parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(invalid()),
    }
}

fn check_registry_name(name: &str) -> Result<(), InputError> {
    let reason = if !name.chars().all(|ch| ch.is_ascii_alphanumeric()) {
        Some(NameProblem::NotAlphanumeric)
    } else if name.len() < 5 {
        Some(NameProblem::TooShort)
    } else if name.len() > 50 {
        Some(NameProblem::TooLong)
    } else {
        None
    };
    match reason {
        Some(reason) => Err(InputError::RegistryName {
            name: name.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

/// Lower-cases a host name, encodes non-ASCII labels in Punycode and checks each label.
// NOTE: labels are only lower-cased, not mapped and normalized as UTS #46 requires, so an IDN
// typed in an unusual Unicode form may not match the name its owner registered.
fn to_ascii_host(host: &str) -> Result<String, InputError> {
    let mut labels = Vec::new();
    for label in host.split('.') {
        let label = label.to_lowercase();
        let ascii = if label.is_ascii() {
            label
        } else {
            match super::punycode::encode(&label) {
                Some(encoded) => format!("xn--{encoded}"),
                None => {
                    return Err(InputError::InvalidLabel {
                        host: host.to_owned(),
                        label,
                    })
                }
            }
        };

        if let Some(character) = ascii
            .chars()
            .find(|ch| !(ch.is_ascii_alphanumeric() || *ch == '-'))
        {
            return Err(InputError::InvalidCharacter {
                host: host.to_owned(),
                character,
            });
        }
        if ascii.is_empty() || ascii.len() > 63 || ascii.starts_with('-') || ascii.ends_with('-') {
            return Err(InputError::InvalidLabel {
                host: host.to_owned(),
                label: ascii,
            });
        }
        labels.push(ascii);
    }

    let ascii_host = labels.join(".");
    if ascii_host.len() > 253 {
        return Err(InputError::HostTooLong {
            length: ascii_host.len(),
        });
    }
    Ok(ascii_host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(scheme: Scheme, host: &str, port: Option<u16>, cloud: Option<Cloud>) -> LoginServer {
        LoginServer {
            scheme,
            host: host.to_owned(),
            port,
            cloud,
        }
    }

    #[test]
    fn parse_valid_input() {
        use Cloud::*;
        use Scheme::*;
        let cases = [
            (
                "myreg",
                AzureCloud,
                server(Https, "myreg.azurecr.io", None, Some(AzureCloud)),
            ),
            (
                "myreg",
                AzureChinaCloud,
                server(Https, "myreg.azurecr.cn", None, Some(AzureChinaCloud)),
            ),
            (
                "myreg",
                AzureUSGovernment,
                server(Https, "myreg.azurecr.us", None, Some(AzureUSGovernment)),
            ),
            (
                "  MyReg \n",
                AzureCloud,
                server(Https, "myreg.azurecr.io", None, Some(AzureCloud)),
            ),
            (
                "myreg.azurecr.io",
                AzureCloud,
                server(Https, "myreg.azurecr.io", None, Some(AzureCloud)),
            ),
            (
                "MYREG.AZURECR.CN",
                AzureCloud,
                server(Https, "myreg.azurecr.cn", None, Some(AzureChinaCloud)),
            ),
            (
                "https://myreg.azurecr.io/v2/",
                AzureCloud,
                server(Https, "myreg.azurecr.io", None, Some(AzureCloud)),
            ),
            (
                "HTTPS://myreg.azurecr.io?x=1#y",
                AzureCloud,
                server(Https, "myreg.azurecr.io", None, Some(AzureCloud)),
            ),
            (
                "myreg.azurecr.io/hello-world:latest",
                AzureCloud,
                server(Https, "myreg.azurecr.io", None, Some(AzureCloud)),
            ),
            (
                "myreg.azurecr.io.",
                AzureCloud,
                server(Https, "myreg.azurecr.io", None, Some(AzureCloud)),
            ),
            (
                "http://127.0.0.1:5000",
                AzureCloud,
                server(Http, "127.0.0.1", Some(5000), None),
            ),
            (
                "http://127.0.0.1:5000/v2/",
                AzureCloud,
                server(Http, "127.0.0.1", Some(5000), None),
            ),
            (
                "127.0.0.1:5000",
                AzureCloud,
                server(Https, "127.0.0.1", Some(5000), None),
            ),
            (
                "localhost",
                AzureCloud,
                server(Https, "localhost", None, None),
            ),
            (
                "registry:5000",
                AzureCloud,
                server(Https, "registry", Some(5000), None),
            ),
            (
                "registry.test:443",
                AzureCloud,
                server(Https, "registry.test", Some(443), None),
            ),
            (
                "[::1]:5000",
                AzureCloud,
                server(Https, "::1", Some(5000), None),
            ),
            ("::1", AzureCloud, server(Https, "::1", None, None)),
            (
                "http://[2001:DB8::1]/v2/",
                AzureCloud,
                server(Http, "2001:db8::1", None, None),
            ),
            (
                "bücher.test",
                AzureCloud,
                server(Https, "xn--bcher-kva.test", None, None),
            ),
            (
                "레지스트리.테스트",
                AzureCloud,
                server(Https, "xn--om2b23a15p8shb5l.xn--9t4b11yi5a", None, None),
            ),
            (
                "docker login myreg.azurecr.io",
                AzureCloud,
                server(Https, "myreg.azurecr.io", None, Some(AzureCloud)),
            ),
            (
                "docker login -u 00000000-0000-0000-0000-000000000000 -p x myreg.azurecr.io",
                AzureCloud,
                server(Https, "myreg.azurecr.io", None, Some(AzureCloud)),
            ),
            (
                "docker login --password-stdin --username me myreg.azurecr.io",
                AzureCloud,
                server(Https, "myreg.azurecr.io", None, Some(AzureCloud)),
            ),
            (
                "helm registry login myreg.azurecr.us",
                AzureCloud,
                server(Https, "myreg.azurecr.us", None, Some(AzureUSGovernment)),
            ),
            (
                "az acr login --name myreg",
                AzureCloud,
                server(Https, "myreg.azurecr.io", None, Some(AzureCloud)),
            ),
            (
                "az acr login -n MyReg",
                AzureChinaCloud,
                server(Https, "myreg.azurecr.cn", None, Some(AzureChinaCloud)),
            ),
        ];
        for (input, cloud, expected) in cases {
            assert_eq!(parse(input, cloud), Ok(expected), "input {input:?}");
        }
    }

    #[test]
    fn parse_rejects_invalid_input() {
        let name = |name: &str, reason| InputError::RegistryName {
            name: name.to_owned(),
            reason,
        };
        let port = |port: &str| InputError::InvalidPort {
            port: port.to_owned(),
        };
        let cases = [
            ("", InputError::Empty),
            ("   ", InputError::Empty),
            ("https://", InputError::Empty),
            ("https:///v2/", InputError::Empty),
            ("abc", name("abc", NameProblem::TooShort)),
            (&"a".repeat(51), name(&"a".repeat(51), NameProblem::TooLong)),
            ("my-reg", name("my-reg", NameProblem::NotAlphanumeric)),
            ("my_reg", name("my_reg", NameProblem::NotAlphanumeric)),
            (
                "my-reg.azurecr.io",
                name("my-reg", NameProblem::NotAlphanumeric),
            ),
            ("abc.azurecr.io", name("abc", NameProblem::TooShort)),
            (
                "ftp://myreg.azurecr.io",
                InputError::UnsupportedScheme {
                    scheme: "ftp".into(),
                },
            ),
            ("https://user:pass@myreg.azurecr.io", InputError::UserInfo),
            ("user@myreg.azurecr.io", InputError::UserInfo),
            ("myreg.azurecr.io:0", port("0")),
            ("myreg.azurecr.io:65536", port("65536")),
            ("myreg.azurecr.io:", port("")),
            ("myreg.azurecr.io:https", port("https")),
            ("myreg.azurecr.io:+5", port("+5")),
            ("host.test:5000:1", port("5000:1")),
            (
                "reg istry.test",
                InputError::InvalidCharacter {
                    host: "reg istry.test".into(),
                    character: ' ',
                },
            ),
            (
                "my_host.test",
                InputError::InvalidCharacter {
                    host: "my_host.test".into(),
                    character: '_',
                },
            ),
            (
                "a..test",
                InputError::InvalidLabel {
                    host: "a..test".into(),
                    label: String::new(),
                },
            ),
            (
                "-a.test",
                InputError::InvalidLabel {
                    host: "-a.test".into(),
                    label: "-a".into(),
                },
            ),
            (
                "[::1",
                InputError::InvalidCharacter {
                    host: "[::1".into(),
                    character: '[',
                },
            ),
            (
                "[nope]:5000",
                InputError::InvalidCharacter {
                    host: "nope".into(),
                    character: ':',
                },
            ),
            ("docker login", InputError::NoRegistryInCommand),
            ("az acr login --name", InputError::NoRegistryInCommand),
        ];
        for (input, expected) in cases {
            assert_eq!(
                parse(input, Cloud::AzureCloud),
                Err(expected),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn parse_rejects_long_host() {
        let host = vec!["a".repeat(63); 5].join(".");
        assert_eq!(
            parse(&host, Cloud::AzureCloud),
            Err(InputError::HostTooLong { length: 319 })
        );
    }

    #[test]
    fn authority_and_base_url() {
        let v6 = parse("http://[::1]:5000", Cloud::AzureCloud).expect("parses");
        assert_eq!(v6.authority(), "[::1]:5000");
        assert_eq!(v6.base_url(), "http://[::1]:5000");
        let acr = parse("myreg", Cloud::AzureCloud).expect("parses");
        assert_eq!(acr.base_url(), "https://myreg.azurecr.io");
    }

    #[test]
    fn input_error_localizes_in_every_language() {
        let errors = [
            InputError::Empty,
            InputError::UnsupportedScheme {
                scheme: "ftp".into(),
            },
            InputError::UserInfo,
            InputError::InvalidPort { port: "0".into() },
            InputError::RegistryName {
                name: "abc".into(),
                reason: NameProblem::TooShort,
            },
            InputError::InvalidCharacter {
                host: "a b".into(),
                character: ' ',
            },
            InputError::InvalidLabel {
                host: "a..b".into(),
                label: String::new(),
            },
            InputError::HostTooLong { length: 300 },
            InputError::NoRegistryInCommand,
        ];
        for error in errors {
            let en = error.localize(Lang::En);
            let ko = error.localize(Lang::Ko);
            assert!(!en.is_empty(), "{error:?}");
            assert_ne!(en, ko, "{error:?}");
            assert!(
                ko.chars().any(|ch| ('가'..='힣').contains(&ch)),
                "{error:?}: {ko}"
            );
        }
    }

    #[test]
    fn cloud_names_round_trip() {
        for cloud in Cloud::ALL {
            assert_eq!(Cloud::from_name(cloud.as_str()), Some(cloud));
        }
        assert_eq!(
            Cloud::from_name("azurechinacloud"),
            Some(Cloud::AzureChinaCloud)
        );
        assert_eq!(Cloud::from_name("mars"), None);
    }
}
