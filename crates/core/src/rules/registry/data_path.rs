//! The data path: the image manifest from the login server, then its smallest blob, through
//! the redirect to the data endpoint or storage account that serves the bytes.
//!
//! The registry's Bearer token must not reach storage, so redirects are followed without the
//! `Authorization` header: by the run itself on the machine, and by the browser (which drops
//! it on a cross-origin redirect) in the page.

use serde_json::Value;

use super::answers;
use super::evidence;
use super::run::Verdict;
use super::{
    Failure, HttpAnswer, HttpRequest, ManifestProblem, Method, Redirect, RegistryFinding,
    MAX_REDIRECTS,
};
use crate::parse::registry_input::LoginServer;
use crate::{CheckId, Code, Evidence, Side};

/// Manifest media types accepted: OCI and Docker, single-platform and multi-platform.
pub(crate) const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
application/vnd.oci.image.manifest.v1+json, \
application/vnd.docker.distribution.manifest.list.v2+json, \
application/vnd.docker.distribution.manifest.v2+json";

/// How many index levels are followed to reach an image manifest.
pub(crate) const MAX_INDEX_DEPTH: u8 = 2;

/// Builds `GET /v2/<repo>/manifests/<reference>`.
pub(crate) fn manifest_request(
    server: &LoginServer,
    repository: &str,
    reference: &str,
    token: Option<&str>,
) -> HttpRequest {
    HttpRequest {
        check: CheckId::DataPath,
        method: Method::Get,
        url: format!(
            "{}/v2/{repository}/manifests/{reference}",
            server.base_url()
        ),
        form: Vec::new(),
        basic: None,
        bearer: token.map(str::to_owned),
        accept: Some(MANIFEST_ACCEPT.to_owned()),
        redirect: Redirect::Follow,
    }
}

// NOTE: in the page, the registry token stays off storage only because the browser drops
// `Authorization` on a cross-origin redirect; a browser that kept it would make storage reject
// the request, and the run would report the data endpoint as failing.
/// Builds `GET /v2/<repo>/blobs/<digest>`. On the machine the run follows the redirect
/// itself; in the browser a manual redirect would be opaque, so the browser follows it.
pub(crate) fn blob_request(
    server: &LoginServer,
    repository: &str,
    digest: &str,
    token: Option<&str>,
    side: Side,
) -> HttpRequest {
    HttpRequest {
        check: CheckId::DataPath,
        method: Method::Get,
        url: format!("{}/v2/{repository}/blobs/{digest}", server.base_url()),
        form: Vec::new(),
        basic: None,
        bearer: token.map(str::to_owned),
        accept: None,
        redirect: match side {
            Side::Machine => Redirect::Manual,
            Side::Browser => Redirect::Follow,
        },
    }
}

/// Builds the request for a redirect target. The token goes only back to the login server
/// itself, as Docker's client does; any other host gets no credentials.
pub(crate) fn redirect_request(
    server: &LoginServer,
    url: &str,
    token: Option<&str>,
) -> HttpRequest {
    let same_host = host_of(url) == server.authority();
    HttpRequest {
        check: CheckId::DataPath,
        method: Method::Get,
        url: url.to_owned(),
        form: Vec::new(),
        basic: None,
        bearer: token.filter(|_| same_host).map(str::to_owned),
        accept: None,
        redirect: Redirect::Manual,
    }
}

/// The next step after a manifest response.
pub(crate) enum ManifestNext {
    /// An index: fetch the manifest with this digest.
    Manifest(String),
    /// An image manifest: fetch the blob with this digest.
    Blob(String),
    Failed(Verdict),
}

/// Judges a manifest response and picks what to fetch next.
pub(crate) fn judge_manifest(answer: &HttpAnswer, depth: u8, elapsed_ms: u32) -> ManifestNext {
    let url = evidence::redact_url(&answer.url);
    match answer.status {
        200..=299 => {}
        401 => {
            return ManifestNext::Failed(answers::rejected(
                Code::ConnectivityAccessToken,
                answer,
                elapsed_ms,
            ))
        }
        403 => return ManifestNext::Failed(answers::forbidden(answer, elapsed_ms)),
        404 => {
            let finding = RegistryFinding::ManifestNotFound { url };
            return ManifestNext::Failed(Verdict::warn_without_code(
                finding,
                evidence::answer(answer, elapsed_ms),
            ));
        }
        429 => return ManifestNext::Failed(answers::too_many_requests(answer, elapsed_ms)),
        _ => {
            return ManifestNext::Failed(answers::rejected(
                Code::ConnectivityDataEndpoint,
                answer,
                elapsed_ms,
            ))
        }
    }

    let unreadable = |problem: ManifestProblem| {
        ManifestNext::Failed(Verdict::fail(
            Code::ConnectivityDataEndpoint,
            RegistryFinding::ManifestUnreadable {
                url: url.clone(),
                problem,
            },
            evidence::answer(answer, elapsed_ms),
        ))
    };
    let manifest: Value = match serde_json::from_slice(&answer.body) {
        Ok(manifest) => manifest,
        Err(_) if answer.body_truncated => return unreadable(ManifestProblem::TooLarge),
        Err(_) => return unreadable(ManifestProblem::NotJson),
    };

    // An index lists manifests per platform: prefer linux/amd64, else the first.
    if let Some(entries) = manifest.get("manifests").and_then(Value::as_array) {
        if depth >= MAX_INDEX_DEPTH {
            return unreadable(ManifestProblem::NestedTooDeep);
        }
        let is_linux_amd64 = |entry: &&Value| {
            let platform = entry.get("platform");
            let field = |key: &str| platform.and_then(|p| p.get(key)).and_then(Value::as_str);
            field("os") == Some("linux") && field("architecture") == Some("amd64")
        };
        let chosen = entries
            .iter()
            .find(is_linux_amd64)
            .or_else(|| entries.first());
        return match chosen.and_then(digest_of) {
            Some(digest) => ManifestNext::Manifest(digest),
            None => unreadable(ManifestProblem::NoManifest),
        };
    }

    // An image manifest: the config and the layers are blobs; the smallest is cheapest.
    let config = manifest.get("config").into_iter();
    let layers = manifest
        .get("layers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    let smallest = config
        .chain(layers)
        .filter_map(|entry| {
            let size = entry
                .get("size")
                .and_then(Value::as_u64)
                .unwrap_or(u64::MAX);
            digest_of(entry).map(|digest| (size, digest))
        })
        .min_by_key(|(size, _)| *size);
    match smallest {
        Some((_, digest)) => ManifestNext::Blob(digest),
        None => unreadable(ManifestProblem::NoBlob),
    }
}

/// Reads a descriptor's digest, accepting only `algorithm:hex` so it is safe in a URL path.
fn digest_of(entry: &Value) -> Option<String> {
    let digest = entry.get("digest")?.as_str()?;
    let (algorithm, encoded) = digest.split_once(':')?;
    let valid_algorithm = !algorithm.is_empty()
        && algorithm
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+._-".contains(&b));
    let valid_encoded = !encoded.is_empty()
        && encoded.len() <= 128
        && encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"=_-".contains(&b));
    (valid_algorithm && valid_encoded).then(|| digest.to_owned())
}

/// The next step after a blob response.
pub(crate) enum BlobNext {
    /// Follow a redirect to this absolute URL.
    Redirect(String),
    Done(Verdict),
}

/// Judges a response on the way to the blob. `blob_url` is the registry URL the path started
/// at and `hops` the redirects followed so far.
pub(crate) fn judge_blob(
    answer: &HttpAnswer,
    server: &LoginServer,
    blob_url: &str,
    hops: u8,
    elapsed_ms: u32,
) -> BlobNext {
    let endpoint = host_of(&answer.url);
    let at_login_server = endpoint == server.authority();
    let mut evidence = evidence::answer(answer, elapsed_ms);
    evidence.push(Evidence::new("endpoint", endpoint.clone()));

    match answer.status {
        200..=299 => BlobNext::Done(Verdict::pass(
            RegistryFinding::DataPathWorks {
                blob_url: evidence::redact_url(blob_url),
                endpoint,
                redirected: !at_login_server,
            },
            evidence,
        )),
        300..=399 => {
            let Some(location) = answer.header("location") else {
                return BlobNext::Done(endpoint_failed(answer, endpoint, evidence));
            };
            if hops >= MAX_REDIRECTS {
                return BlobNext::Done(Verdict::fail(
                    Code::ConnectivityDataEndpoint,
                    RegistryFinding::TooManyRedirects {
                        url: evidence::redact_url(&answer.url),
                        hops,
                    },
                    evidence,
                ));
            }
            BlobNext::Redirect(resolve(&answer.url, &location))
        }
        401 if at_login_server => BlobNext::Done(answers::rejected(
            Code::ConnectivityAccessToken,
            answer,
            elapsed_ms,
        )),
        403 if at_login_server => BlobNext::Done(answers::forbidden(answer, elapsed_ms)),
        429 => BlobNext::Done(answers::too_many_requests(answer, elapsed_ms)),
        _ => BlobNext::Done(endpoint_failed(answer, endpoint, evidence)),
    }
}

fn endpoint_failed(answer: &HttpAnswer, endpoint: String, evidence: Vec<Evidence>) -> Verdict {
    Verdict::fail(
        Code::ConnectivityDataEndpoint,
        RegistryFinding::DataEndpointFailed {
            url: evidence::redact_url(&answer.url),
            endpoint,
            status: Some(answer.status),
            failure: None,
        },
        evidence,
    )
}

/// Judges a request on the data path that got no response. The manifest comes from the login
/// server, so its failure has that failure's code. Once the manifest worked, any failure on
/// the way to the blob (a refused data endpoint, a redirect loop the browser gave up on) is
/// CONNECTIVITY_DATA_ENDPOINT_ERROR naming the endpoint.
pub(crate) fn judge_failure(
    url: &str,
    failure: Failure,
    fetching_blob: bool,
    server: &LoginServer,
    evidence: Vec<Evidence>,
) -> Verdict {
    let endpoint = host_of(url);
    if failure == Failure::CorsBlocked {
        let finding = RegistryFinding::RequestFailed {
            url: evidence::redact_url(url),
            failure,
        };
        return Verdict::warn(Code::ConnectivityCors, finding, evidence);
    }
    if !fetching_blob && endpoint == server.authority() {
        let code = failure.code();
        let finding = RegistryFinding::RequestFailed {
            url: evidence::redact_url(url),
            failure,
        };
        return Verdict::fail(code, finding, evidence);
    }
    Verdict::fail(
        Code::ConnectivityDataEndpoint,
        RegistryFinding::DataEndpointFailed {
            url: evidence::redact_url(url),
            endpoint,
            status: None,
            failure: Some(failure),
        },
        evidence,
    )
}

/// Returns the authority (`host[:port]`) of a URL, without user info, in lower case.
pub(crate) fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    authority.to_ascii_lowercase()
}

/// Resolves a `Location` value against the URL it came from.
pub(crate) fn resolve(base: &str, location: &str) -> String {
    let location = location.trim();
    let lower = location.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return location.to_owned();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("https", base));
    if let Some(network_path) = location.strip_prefix("//") {
        return format!("{scheme}://{network_path}");
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..authority_end]);
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let path = rest[authority_end..]
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    let directory = path.rsplit_once('/').map_or("", |(directory, _)| directory);
    format!("{origin}{directory}/{location}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_locations() {
        let base = "https://r.test/v2/a/blobs/sha256:1?x=1";
        let cases = [
            (
                "https://s.blob.core.windows.net/c?sig=1",
                "https://s.blob.core.windows.net/c?sig=1",
            ),
            ("//s.test/c", "https://s.test/c"),
            ("/v2/other", "https://r.test/v2/other"),
            ("next", "https://r.test/v2/a/blobs/next"),
        ];
        for (location, expected) in cases {
            assert_eq!(resolve(base, location), expected, "location {location:?}");
        }
    }

    #[test]
    fn host_of_urls() {
        assert_eq!(host_of("https://U@R.test:5000/v2/"), "r.test:5000");
        assert_eq!(host_of("http://[::1]:5000"), "[::1]:5000");
    }

    #[test]
    fn digest_of_rejects_path_tricks() {
        let digest = |text: &str| digest_of(&serde_json::json!({ "digest": text }));
        assert_eq!(digest("sha256:abc").as_deref(), Some("sha256:abc"));
        assert_eq!(digest("sha256:../../x"), None);
        assert_eq!(digest("abc"), None);
        assert_eq!(digest("sha256:"), None);
    }
}
