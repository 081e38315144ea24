//! Share links: a whole [`Report`] packed into the fragment of a URL.
//!
//! A payload is base64url (no padding) of one version byte followed by the raw-deflate
//! compression of the report's postcard encoding (see [`wire`] for how findings are stored). The fragment is never sent to the server that
//! hosts the page, and the report contains no secret because checks record no credential as evidence.
//!
//! Decoding is total: every input returns either a report or a [`ShareError`] that tells the
//! user what is wrong with the link, within fixed size limits.

mod dictionary;
pub mod sample;
mod wire;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::report::REPORT_FORMAT;
use crate::texts::Texts;
use crate::{Evidence, Lang, Localize, Report};
use wire::WireReport;

/// The version byte of the payloads this build writes. Postcard is not self-describing, so a
/// change to the report's types (which bumps [`REPORT_FORMAT`]), to the wire form or to the
/// compression dictionary must bump this byte too. Version 2 stores findings as flat trees and
/// compresses against a preset dictionary; version 3 adds the ARM checks' words to that
/// dictionary. Both are read.
pub const PAYLOAD_VERSION: u8 = 3;

/// The oldest payload version this build reads.
pub const OLDEST_PAYLOAD_VERSION: u8 = 2;

/// The maximum payload length a decoder accepts, in characters. Links of this length no longer fit in
/// most chat tools anyway; anything longer is refused before any decoding work.
pub const MAX_PAYLOAD_CHARS: usize = 16 * 1024;

/// The largest decompressed report a decoder accepts, in bytes. It bounds the work and memory a
/// crafted link can cause (a deflate stream can expand about a thousand times).
pub const MAX_REPORT_BYTES: usize = 256 * 1024;

/// The reason a share link could not be opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShareError {
    /// The fragment contains no report.
    Empty,
    /// The payload is longer than [`MAX_PAYLOAD_CHARS`].
    TooLong { chars: usize },
    /// A character outside base64url, as happens when a link is cut or altered by a mail client.
    NotBase64,
    /// A version byte this build does not know: a link from a newer or another tool.
    UnknownVersion { version: u8 },
    /// The compressed data is damaged or cut short.
    Corrupt,
    /// The report expands past [`MAX_REPORT_BYTES`].
    TooLarge,
    /// The data decompressed but is not a report of this version.
    Malformed,
}

impl Localize for ShareError {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (ShareError::Empty, Lang::En) => "The link contains no report.".to_owned(),
            (ShareError::Empty, Lang::Ko) => "링크에 리포트가 없습니다.".to_owned(),
            (ShareError::TooLong { chars }, Lang::En) => format!(
                "The report in this link is {chars} characters long, over the limit of \
                 {MAX_PAYLOAD_CHARS}. Ask for the link again, or for the JSON export."
            ),
            (ShareError::TooLong { chars }, Lang::Ko) => format!(
                "링크의 리포트가 {chars}자로 허용 길이({MAX_PAYLOAD_CHARS}자)를 넘습니다. \
                 링크를 다시 받거나 JSON 내보내기를 요청하세요."
            ),
            (ShareError::NotBase64, Lang::En) => {
                "The link is damaged: it contains characters a share link never has. It was \
                 probably cut or changed on the way; copy it again in full."
                    .to_owned()
            }
            (ShareError::NotBase64, Lang::Ko) => {
                "링크가 손상되었습니다. 공유 링크에 없는 문자가 들어 있습니다. 전달 중에 잘리거나 \
                 바뀐 것 같으니 링크 전체를 다시 복사하세요."
                    .to_owned()
            }
            (ShareError::UnknownVersion { version }, Lang::En) => format!(
                "The link was made by another version of acr-health (format {version}; this page \
                 reads formats {OLDEST_PAYLOAD_VERSION} to {PAYLOAD_VERSION}). Open it with the \
                 version that made it, or run the checks again here."
            ),
            (ShareError::UnknownVersion { version }, Lang::Ko) => format!(
                "다른 버전의 acr-health로 만든 링크입니다 (형식 {version}, 이 페이지는 형식 \
                 {OLDEST_PAYLOAD_VERSION}~{PAYLOAD_VERSION}만 읽습니다). 링크를 만든 버전으로 열거나 여기서 검사를 다시 \
                 실행하세요."
            ),
            (ShareError::Corrupt, Lang::En) => {
                "The link is damaged: its compressed report is incomplete or altered. Copy the \
                 link again in full."
                    .to_owned()
            }
            (ShareError::Corrupt, Lang::Ko) => {
                "링크가 손상되었습니다. 압축된 리포트가 잘렸거나 바뀌었습니다. 링크 전체를 다시 \
                 복사하세요."
                    .to_owned()
            }
            (ShareError::TooLarge, Lang::En) => format!(
                "The report in this link expands past {MAX_REPORT_BYTES} bytes, more than any \
                 real report. It was not opened."
            ),
            (ShareError::TooLarge, Lang::Ko) => format!(
                "링크의 리포트가 압축을 풀면 {MAX_REPORT_BYTES}바이트를 넘습니다. 실제 리포트보다 \
                 훨씬 커서 열지 않았습니다."
            ),
            (ShareError::Malformed, Lang::En) => {
                "The link decodes, but not to a report this version of acr-health can read."
                    .to_owned()
            }
            (ShareError::Malformed, Lang::Ko) => {
                "링크는 풀리지만 이 버전의 acr-health가 읽을 수 있는 리포트가 아닙니다.".to_owned()
            }
        }
    }
}

/// Encodes a report as a share payload (the part after `report=` in the fragment).
pub fn encode(report: &Report) -> String {
    let packed = postcard::to_allocvec(&WireReport::from_report(report))
        .expect("a wire report holds only types that postcard can serialize");
    let compressed = dictionary::compress(&packed);

    let mut bytes = Vec::with_capacity(compressed.len() + 1);
    bytes.push(PAYLOAD_VERSION);
    bytes.extend_from_slice(&compressed);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes a share payload. Surrounding whitespace and a trailing `=` padding are tolerated,
/// because both appear when links are pasted by hand.
pub fn decode(payload: &str) -> Result<Report, ShareError> {
    let payload = payload.trim().trim_end_matches('=');
    if payload.is_empty() {
        return Err(ShareError::Empty);
    }
    if payload.len() > MAX_PAYLOAD_CHARS {
        // A payload is ASCII, so a text with more bytes than characters is no payload at all.
        let chars = payload.chars().count();
        if chars <= MAX_PAYLOAD_CHARS {
            return Err(ShareError::NotBase64);
        }
        return Err(ShareError::TooLong { chars });
    }

    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| ShareError::NotBase64)?;
    let (&version, compressed) = bytes.split_first().ok_or(ShareError::Empty)?;
    let Some(dictionary) = dictionary::for_version(version) else {
        return Err(ShareError::UnknownVersion { version });
    };

    let packed = dictionary::decompress_with_limit(compressed, dictionary, MAX_REPORT_BYTES)
        .map_err(|status| match status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
            _ => ShareError::Corrupt,
        })?;

    let (wire, rest): (WireReport, &[u8]) =
        postcard::take_from_bytes(&packed).map_err(|_| ShareError::Malformed)?;
    if !rest.is_empty() {
        return Err(ShareError::Malformed);
    }
    let report = wire.into_report().map_err(|_| ShareError::Malformed)?;
    if report.format != REPORT_FORMAT {
        return Err(ShareError::Malformed);
    }
    Ok(report)
}

/// Finds the payload in whatever a user pastes: a whole link (`https://host/path#report=...`),
/// a fragment (`#pair=...&report=...`), `report=...` alone, or the bare payload. Returns an
/// empty text when a link or fragment carries no `report=`, which [`decode`] rejects as
/// [`ShareError::Empty`].
pub fn payload_from_link(link: &str) -> &str {
    let link = link.trim();
    let fragment = match link.split_once('#') {
        Some((_, fragment)) => fragment,
        None if link.contains("://") => return "",
        None => link,
    };
    if let Some(payload) = fragment
        .split('&')
        .find_map(|pair| pair.strip_prefix("report="))
    {
        return payload;
    }

    // Without `report=`, only a text with no `&` and no `=` before its padding is a payload.
    let is_bare = !fragment.trim_end_matches('=').contains(['=', '&']);
    if is_bare {
        fragment
    } else {
        ""
    }
}

/// Decodes the report in a pasted link, fragment or payload (see [`payload_from_link`]).
pub fn decode_link(link: &str) -> Result<Report, ShareError> {
    decode(payload_from_link(link))
}

/// Builds a share link from the address of the page that made the report: the page's origin
/// and path, without its query or fragment (which may carry the helper's pairing secret or an
/// embedder's origin), then `#report=` and the payload.
pub fn link(page_url: &str, report: &Report) -> String {
    let base = page_url.split_once('#').map_or(page_url, |(base, _)| base);
    let base = base.split_once('?').map_or(base, |(base, _)| base);
    format!("{base}#report={}", encode(report))
}

/// What [`anonymize`] writes in place of the login server.
pub const HIDDEN_REGISTRY: &str = "registry.hidden";

/// Returns a copy of the report with the registry name, every IP address, every GUID (Azure
/// subscription, tenant and client ids), resource group names and subscription names replaced,
/// for sharing outside the team. Codes, statuses and timings stay, so the diagnosis still reads.
pub fn anonymize(report: &Report) -> Report {
    let mut hidden = report.clone();
    let registry = report.registry.as_str();
    let name = registry_label(registry);
    let azure_names = azure_names(&mut hidden, name);

    hidden.registry = hide_text(registry, registry, name);
    for result in &mut hidden.results {
        for Evidence { value, .. } in &mut result.evidence {
            *value = hide_azure_names(&hide_text(value, registry, name), &azure_names);
        }
        hide_finding(&mut result.finding, registry, name, &azure_names);
    }
    hidden
}

/// Returns the registry's names in Azure that differ from the login server's first label,
/// as the ARM findings give them: a registry checked by `host:port` or through a custom domain,
/// or a name typed in the form. The report is only read, but the text visitor needs `&mut`.
fn azure_names(report: &mut Report, label: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for result in &mut report.results {
        result.finding.visit_texts("", &mut |field, text| {
            let is_name = matches!(field, "name" | "registry" | "wanted") && is_identifier(text);
            if is_name && !text.eq_ignore_ascii_case(label) && !names.contains(text) {
                names.push(text.clone());
            }
        });
    }
    names
}

/// Replaces the registry's Azure names and the names of the Azure resources it points to
/// (identities, private endpoints, key vaults and keys) in one text.
fn hide_azure_names(text: &str, names: &[String]) -> String {
    let mut out = text.to_owned();
    for name in names {
        out = replace_ignore_ascii_case(&out, name, "registry");
    }
    for (marker, replacement) in [
        ("/registries/", "registry"),
        ("/userassignedidentities/", "identity"),
        ("/privateendpoints/", "endpoint"),
        ("/keys/", "key"),
    ] {
        out = hide_segment_after(&out, marker, replacement);
    }
    hide_vault_host(&out)
}

/// The registry's first DNS label (`myreg` of `myreg.azurecr.io`), which also appears alone in
/// data endpoint and storage host names. Empty for an IP address, which is hidden as one.
fn registry_label(registry: &str) -> &str {
    let host = registry.split(':').next().unwrap_or(registry);
    let label = host.split('.').next().unwrap_or(host);
    if label.len() < 3 || label.chars().all(|c| c.is_ascii_digit()) {
        return "";
    }
    label
}

/// Replaces the names and addresses in every text of a finding, in place.
fn hide_finding(finding: &mut crate::Finding, registry: &str, name: &str, azure_names: &[String]) {
    finding.visit_texts("", &mut |field, text| {
        match field {
            // Subscription names, such as `Contoso Production`, name the organization.
            "subscription" | "subscriptions" => *text = HIDDEN_SUBSCRIPTION.to_owned(),
            // A plain identifier (an ARM error code, a tenant's short name) contains no address or
            // host name; only the registry's own name is hidden in it, never a part of it.
            _ if is_identifier(text)
                && !text.eq_ignore_ascii_case(registry)
                && (name.is_empty() || !text.eq_ignore_ascii_case(name)) => {}
            _ => *text = hide_text(text, registry, name),
        }
        *text = hide_azure_names(text, azure_names);
    });
}

/// The text [`anonymize`] writes in place of a subscription's name.
const HIDDEN_SUBSCRIPTION: &str = "subscription.hidden";

/// The text [`anonymize`] writes in place of a GUID.
const HIDDEN_GUID: &str = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

fn is_identifier(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Replaces the login server, the registry's label, GUIDs, resource group names and IPv4/IPv6
/// addresses in one text. Host names are compared without regard to ASCII case, as DNS does.
fn hide_text(text: &str, registry: &str, name: &str) -> String {
    let mut out = replace_ignore_ascii_case(text, registry, HIDDEN_REGISTRY);
    out = replace_ignore_ascii_case(&out, name, "registry");
    out = hide_guids(&out);
    out = hide_resource_groups(&out);
    hide_addresses(&out)
}

/// Replaces every GUID (`8-4-4-4-12` hex digits) with [`HIDDEN_GUID`].
fn hide_guids(text: &str) -> String {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    const LEN: usize = 36;
    let bytes = text.as_bytes();
    let is_guid_at = |start: usize| {
        let Some(candidate) = bytes.get(start..start + LEN) else {
            return false;
        };
        let mut at = 0;
        for (index, group) in GROUPS.iter().enumerate() {
            if !candidate[at..at + group].iter().all(u8::is_ascii_hexdigit) {
                return false;
            }
            at += group;
            if index < GROUPS.len() - 1 {
                if candidate[at] != b'-' {
                    return false;
                }
                at += 1;
            }
        }
        let before_ok = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        let after_ok = bytes
            .get(start + LEN)
            .is_none_or(|next| !next.is_ascii_alphanumeric());
        before_ok && after_ok
    };

    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut index = 0;
    while index < bytes.len() {
        if is_guid_at(index) {
            out.push_str(&text[copied..index]);
            out.push_str(HIDDEN_GUID);
            index += LEN;
            copied = index;
        } else {
            index += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Replaces the name after `/resourceGroups/` in Azure resource ids and URLs with `group`.
fn hide_resource_groups(text: &str) -> String {
    hide_segment_after(text, "/resourcegroups/", "group")
}

/// Replaces the path segment after each `marker` (lower case, matched without regard to ASCII
/// case) with `replacement`.
fn hide_segment_after(text: &str, marker: &str, replacement: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = lower[search..].find(marker) {
        let name_start = search + found + marker.len();
        let name_end = text[name_start..]
            .find(['/', '?', '#', ' ', '"', '\''])
            .map_or(text.len(), |end| name_start + end);
        out.push_str(&text[copied..name_start]);
        if name_end > name_start {
            out.push_str(replacement);
        }
        copied = name_end;
        search = name_end.max(name_start);
    }
    out.push_str(&text[copied..]);
    out
}

/// Replaces the vault's name in a Key Vault URL (`https://contoso-keys.vault.azure.net/...`).
fn hide_vault_host(text: &str) -> String {
    const MARKER: &str = ".vault.";
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = lower[search..].find(MARKER) {
        let label_end = search + found;
        let label_start = text[..label_end]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |at| at + 1);
        out.push_str(&text[copied..label_start]);
        out.push_str("vault");
        copied = label_end;
        search = label_end + MARKER.len();
    }
    out.push_str(&text[copied..]);
    out
}

fn replace_ignore_ascii_case(text: &str, needle: &str, replacement: &str) -> String {
    if needle.is_empty() {
        return text.to_owned();
    }
    let lower_text = text.to_ascii_lowercase();
    let lower_needle = needle.to_ascii_lowercase();

    // ASCII lower-casing keeps every byte offset, so matches in the copy are matches in `text`.
    let mut out = String::with_capacity(text.len());
    let mut start = 0;
    while let Some(found) = lower_text[start..].find(&lower_needle) {
        let at = start + found;
        out.push_str(&text[start..at]);
        out.push_str(replacement);
        start = at + needle.len();
    }
    out.push_str(&text[start..]);
    out
}

/// Replaces every IPv4 or IPv6 address in a text with `x.x.x.x` or `x::x`, keeping a port
/// (`127.0.0.1:5000`) and punctuation around it.
fn hide_addresses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut token = String::new();
    for c in text.chars() {
        if c.is_ascii_hexdigit() || c == '.' || c == ':' {
            token.push(c);
        } else {
            out.push_str(&hide_address_token(&token));
            token.clear();
            out.push(c);
        }
    }
    out.push_str(&hide_address_token(&token));
    out
}

/// Hides one run of hex digits, dots and colons if it is an address, an address with a port,
/// or either followed by sentence punctuation.
fn hide_address_token(token: &str) -> String {
    let core = token.trim_end_matches(['.', ':']);
    let tail = &token[core.len()..];

    if core.parse::<std::net::Ipv4Addr>().is_ok() {
        return format!("x.x.x.x{tail}");
    }
    if let Some((host, port)) = core.rsplit_once(':') {
        let is_port = !port.is_empty() && port.chars().all(|c| c.is_ascii_digit());
        if is_port && host.parse::<std::net::Ipv4Addr>().is_ok() {
            return format!("x.x.x.x:{port}{tail}");
        }
    }
    if core.contains(':') && core.parse::<std::net::Ipv6Addr>().is_ok() {
        return format!("x::x{tail}");
    }
    token.to_owned()
}

#[cfg(test)]
mod tests;
