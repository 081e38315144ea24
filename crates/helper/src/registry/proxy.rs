//! The proxy settings in effect for a registry, read from the environment as Docker and most
//! command-line tools read them.

use acr_health_core::rules::environment::ProxySettings;

/// A proxy the transport must go through, with credentials removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proxy {
    pub host: String,
    pub port: u16,
}

/// Proxy variables of the process, read once per run.
#[derive(Clone, Debug, Default)]
pub struct ProxyEnv {
    pub https_proxy: Option<String>,
    pub http_proxy: Option<String>,
    pub no_proxy: Option<String>,
}

impl ProxyEnv {
    /// Reads `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`, upper case first, then lower case.
    pub fn from_process() -> ProxyEnv {
        let read = |upper: &str, lower: &str| {
            std::env::var(upper)
                .or_else(|_| std::env::var(lower))
                .ok()
                .filter(|value| !value.trim().is_empty())
        };
        ProxyEnv {
            https_proxy: read("HTTPS_PROXY", "https_proxy"),
            http_proxy: read("HTTP_PROXY", "http_proxy"),
            no_proxy: read("NO_PROXY", "no_proxy"),
        }
    }

    /// Returns the variable and value that apply to a URL scheme, if set.
    fn for_scheme(&self, https: bool) -> Option<(&'static str, &str)> {
        if https {
            self.https_proxy
                .as_deref()
                .map(|value| ("HTTPS_PROXY", value))
        } else {
            self.http_proxy
                .as_deref()
                .map(|value| ("HTTP_PROXY", value))
        }
    }

    /// Tells whether `NO_PROXY` exempts `host`: `*`, an exact name or address, or a domain
    /// suffix given as `example.com` or `.example.com`. Ports in entries are ignored.
    pub fn bypasses(&self, host: &str) -> bool {
        let Some(list) = &self.no_proxy else {
            return false;
        };
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        list.split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .any(|entry| {
                if entry == "*" {
                    return true;
                }
                let entry = entry.to_ascii_lowercase();
                let entry = strip_port(&entry)
                    .trim_start_matches("*.")
                    .trim_start_matches('.');
                host == entry || host.ends_with(&format!(".{entry}"))
            })
    }

    /// Returns the proxy to use for `host` over HTTPS or HTTP, or `None` for a direct
    /// connection.
    pub fn proxy_for(&self, host: &str, https: bool) -> Option<Proxy> {
        if self.bypasses(host) {
            return None;
        }
        let (_, value) = self.for_scheme(https)?;
        parse_proxy(value)
    }

    /// Returns the settings the proxy check reports, with any user name and password removed
    /// from the proxy URL.
    pub fn settings_for(&self, host: &str, https: bool) -> ProxySettings {
        ProxySettings {
            proxy: self
                .for_scheme(https)
                .map(|(var, value)| (var.to_owned(), redact_userinfo(value))),
            no_proxy: self.no_proxy.clone(),
            bypassed: self.bypasses(host),
        }
    }
}

fn strip_port(entry: &str) -> &str {
    match entry.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            host
        }
        _ => entry,
    }
}

/// Removes `user:password@` from a proxy URL.
pub fn redact_userinfo(value: &str) -> String {
    let (scheme, rest) = match value.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, value),
    };
    let rest = match rest.split_once('@') {
        Some((_, host)) => format!("<redacted>@{host}"),
        None => rest.to_owned(),
    };
    match scheme {
        Some(scheme) => format!("{scheme}://{rest}"),
        None => rest,
    }
}

/// Parses `http://[user:pass@]host[:port][/]` or `host:port`.
///
/// NOTE: only plain-HTTP proxies are supported, and proxy credentials are not sent; a proxy
/// that needs a login responds to CONNECT with 407, which the checks report as a network error.
fn parse_proxy(value: &str) -> Option<Proxy> {
    let rest = value.trim();
    let rest = rest.strip_prefix("http://").unwrap_or(rest);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let rest = rest.trim_end_matches('/');
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, port.parse().ok()?),
        _ => (rest, 80),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    (!host.is_empty() && !rest.contains("://")).then(|| Proxy {
        host: host.to_owned(),
        port,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(https: &str, no_proxy: &str) -> ProxyEnv {
        ProxyEnv {
            https_proxy: Some(https.to_owned()),
            http_proxy: None,
            no_proxy: Some(no_proxy.to_owned()),
        }
    }

    #[test]
    fn bypass_cases() {
        let env = env(
            "http://proxy.test:3128",
            "localhost,.internal.test,azurecr.io:443,10.0.0.1",
        );
        let cases = [
            ("localhost", true),
            ("myreg.azurecr.io", true),
            ("azurecr.io", true),
            ("a.internal.test", true),
            ("10.0.0.1", true),
            ("myreg.azurecr.cn", false),
            ("notazurecr.io", false),
        ];
        for (host, expected) in cases {
            assert_eq!(env.bypasses(host), expected, "host {host}");
        }
    }

    #[test]
    fn proxy_for_parses_url() {
        let env = env("http://user:secret@proxy.test:3128/", "");
        assert_eq!(
            env.proxy_for("myreg.azurecr.io", true),
            Some(Proxy {
                host: "proxy.test".to_owned(),
                port: 3128
            })
        );
        assert_eq!(env.proxy_for("myreg.azurecr.io", false), None);
    }

    #[test]
    fn settings_hide_credentials() {
        let settings = env("http://user:secret@proxy.test:3128", "").settings_for("r.test", true);
        let (_, url) = settings.proxy.expect("proxy set");
        assert!(!url.contains("secret"), "{url}");
        assert_eq!(url, "http://<redacted>@proxy.test:3128");
    }
}
