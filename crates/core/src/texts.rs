//! Every free text a finding holds, reachable in place.
//!
//! Two steps rewrite the texts of findings: the scrubber removes the secrets a run has seen, and
//! [`crate::share::anonymize`] hides names and addresses. Both walk a finding's texts here, in
//! place, instead of converting it to JSON and reading it back, which would link a second copy
//! of every finding type's serde code into the page.
//!
//! The matches below list every variant with every field and use no `..`, so a variant or a
//! field added to a finding does not compile until it is listed here. A text left out would
//! keep a secret in a report. Fields that contain no text are matched as `_`. Variant names,
//! numbers, flags and characters are not texts: they cannot hold a secret or a host name.

use crate::parse::arm::ArmParseError;
use crate::parse::jwt::JwtError;
use crate::parse::registry_input::InputError;
use crate::parse::token::TokenError;
use crate::rules::arm::{ArmFinding, ArmUrlError, EndpointDns};
use crate::rules::environment::EnvironmentFinding;
use crate::rules::registry::{ChallengeProblem, Failure, RegistryFinding};
use crate::Finding;

/// Receives each text with the name of the field that contains it, as the finding's JSON names
/// it: the field of the innermost struct or variant. Each item of a list gets the list's name.
pub(crate) type Visit<'a> = dyn FnMut(&'static str, &mut String) + 'a;

/// A value whose texts can be rewritten in place.
pub(crate) trait Texts {
    /// Calls `visit` once for every text of the value. `field` is the name of the field that
    /// contains the value. Types with fields of their own pass those names instead.
    fn visit_texts(&mut self, field: &'static str, visit: &mut Visit<'_>);
}

impl Texts for String {
    fn visit_texts(&mut self, field: &'static str, visit: &mut Visit<'_>) {
        visit(field, self);
    }
}

impl<T: Texts> Texts for Option<T> {
    fn visit_texts(&mut self, field: &'static str, visit: &mut Visit<'_>) {
        if let Some(value) = self {
            value.visit_texts(field, visit);
        }
    }
}

impl<T: Texts> Texts for Vec<T> {
    fn visit_texts(&mut self, field: &'static str, visit: &mut Visit<'_>) {
        for item in self {
            item.visit_texts(field, visit);
        }
    }
}

/// Visits the named fields, each under its own name.
macro_rules! fields {
    ($visit:ident; $($field:ident),* $(,)?) => {{
        $( Texts::visit_texts($field, stringify!($field), $visit); )*
    }};
}

impl Texts for Finding {
    fn visit_texts(&mut self, field: &'static str, visit: &mut Visit<'_>) {
        match self {
            Finding::Registry(finding) => finding.visit_texts(field, visit),
            Finding::Environment(finding) => finding.visit_texts(field, visit),
            Finding::Arm(finding) => finding.visit_texts(field, visit),
        }
    }
}

impl Texts for RegistryFinding {
    fn visit_texts(&mut self, _: &'static str, visit: &mut Visit<'_>) {
        use RegistryFinding as F;
        match self {
            F::SkippedAfterFailure
            | F::SkippedCorsBlocked
            | F::SkippedExchangeNotNeeded { credential: _ }
            | F::SkippedNoServerTime
            | F::ClockInSync {
                source: _,
                server_ms: _,
                local_ms: _,
            }
            | F::ClockSkewed {
                source: _,
                server_ms: _,
                local_ms: _,
            } => {}
            F::LoginServer {
                login_server,
                cloud: _,
            } => fields!(visit; login_server),
            F::InvalidInput { error } => fields!(visit; error),
            F::Reached { url, status: _ }
            | F::ChallengeHeaderMissing { url, in_browser: _ }
            | F::NoChallenge { url, status: _ }
            | F::CorsReadable { url }
            | F::CorsBlocked { url }
            | F::RefreshTokenIssued {
                url,
                expires_at_ms: _,
            }
            | F::CredentialExpired {
                url,
                credential: _,
                expired_at_ms: _,
            }
            | F::TokenExpired {
                url,
                expired_at_ms: _,
            }
            | F::ManifestNotFound { url }
            | F::ManifestUnreadable { url, problem: _ }
            | F::TooManyRedirects { url, hops: _ }
            | F::RefreshTokenIssuedExpired {
                url,
                expired_at_ms: _,
            } => fields!(visit; url),
            F::RequestFailed { url, failure } => fields!(visit; url, failure),
            F::Unreachable { failure } => fields!(visit; failure),
            F::ChallengeIssued {
                url,
                realm,
                service,
            } => fields!(visit; url, realm, service),
            F::Forbidden {
                url,
                client_ip,
                message,
            } => fields!(visit; url, client_ip, message),
            F::TooManyRequests { url, retry_after } => fields!(visit; url, retry_after),
            F::ChallengeUnreadable { url, problem } => fields!(visit; url, problem),
            F::NotBearer { url, schemes } => fields!(visit; url, schemes),
            F::BearerIncomplete {
                url,
                missing,
                aad_requested: _,
            } => fields!(visit; url, missing),
            F::Redirected {
                url,
                status: _,
                location,
            } => fields!(visit; url, location),
            F::Rejected {
                url,
                status: _,
                message,
            } => fields!(visit; url, message),
            F::TokenMissing {
                url,
                field,
                problem,
            } => fields!(visit; url, field, problem),
            F::TokenGranted {
                url,
                flow: _,
                scope,
                granted,
                expires_at_ms: _,
            } => fields!(visit; url, scope, granted),
            F::FewerActions {
                url,
                flow: _,
                scope,
                granted,
                missing,
                expires_at_ms: _,
            } => fields!(visit; url, scope, granted, missing),
            F::TokenNotJwt {
                url,
                flow: _,
                problem,
            } => fields!(visit; url, problem),
            F::DataPathWorks {
                blob_url,
                endpoint,
                redirected: _,
            } => fields!(visit; blob_url, endpoint),
            F::DataEndpointFailed {
                url,
                endpoint,
                status: _,
                failure,
            } => fields!(visit; url, endpoint, failure),
        }
    }
}

impl Texts for EnvironmentFinding {
    fn visit_texts(&mut self, _: &'static str, visit: &mut Visit<'_>) {
        use EnvironmentFinding as F;
        match self {
            F::HelperNotConnected
            | F::SkippedNoDaemon
            | F::PullNeedsConsent
            | F::NotaryAbsent
            | F::NotaryVersionEmpty
            | F::NotaryIncompatible { version: _ }
            | F::ProxyNone
            | F::ProxyBypassed
            | F::TlsNotUsed => {}
            F::CommandFound { name, path } => fields!(visit; name, path),
            F::CommandNotFound { name }
            | F::CommandTimedOut { name, after_ms: _ }
            | F::SkippedNoCommand { name }
            | F::VersionFound { name, version: _ }
            | F::VersionUnreadable { name }
            | F::VersionTooOld {
                name,
                version: _,
                minimum: _,
            } => fields!(visit; name),
            F::OverrideNotFound { var, value } => fields!(visit; var, value),
            F::CommandNotRunnable { name, detail }
            | F::CommandFailed {
                name,
                exit_code: _,
                detail,
            } => fields!(visit; name, detail),
            F::DaemonReachable { version, platform } => fields!(visit; version, platform),
            F::DaemonUnreachable { detail } | F::DaemonPermissionDenied { detail } => {
                fields!(visit; detail)
            }
            F::Pulled { image } | F::PullTimedOut { image, after_ms: _ } => fields!(visit; image),
            F::PullFailed { image, detail } => fields!(visit; image, detail),
            F::PullPlatformMismatch {
                image,
                image_platform,
                host_platform,
            } => fields!(visit; image, image_platform, host_platform),
            F::DnsLiteral { address } => fields!(visit; address),
            F::DnsResolved {
                host,
                count: _,
                private: _,
            }
            | F::TlsNotReached { host }
            | F::TlsExpiresSoon { host, days: _ } => fields!(visit; host),
            F::DnsFailed { host, detail } | F::TlsFailed { host, detail } => {
                fields!(visit; host, detail)
            }
            F::ProxyInUse { proxy } => fields!(visit; proxy),
            F::TlsEstablished {
                host,
                issuer,
                days: _,
            } => fields!(visit; host, issuer),
        }
    }
}

impl Texts for ArmFinding {
    fn visit_texts(&mut self, _: &'static str, visit: &mut Visit<'_>) {
        use ArmFinding as F;
        match self {
            F::SkippedAfterFailure
            | F::SkippedRegistryUnknown
            | F::TokenMissing
            | F::TokenExpired { expired_at_ms: _ } => {}
            F::BaseUrlRejected { error } => fields!(visit; error),
            F::TokenSourceFailed { kind: _, detail } => fields!(visit; detail),
            F::TokenAccepted {
                tenant,
                expires_at_ms: _,
            } => fields!(visit; tenant),
            F::TokenWrongAudience { audience, expected } => fields!(visit; audience, expected),
            F::TokenRejected { code, message } => fields!(visit; code, message),
            F::RequestFailed { url, failure } => fields!(visit; url, failure),
            F::Rejected {
                url,
                status: _,
                code,
                message,
            } => fields!(visit; url, code, message),
            F::AnswerUnreadable { url, problem } => fields!(visit; url, problem),
            F::RegistryFound {
                name,
                login_server,
                subscription,
                sku,
                admin_user_enabled: _,
                anonymous_pull_enabled: _,
            } => fields!(visit; name, login_server, subscription, sku),
            F::RegistryInOtherCloud {
                name,
                login_server,
                cloud: _,
            } => fields!(visit; name, login_server),
            F::LoginServerDiffers {
                name,
                login_server,
                checked,
            } => fields!(visit; name, login_server, checked),
            F::RegistryNotFound {
                wanted,
                by_login_server: _,
                subscriptions,
            } => fields!(visit; wanted, subscriptions),
            F::NoPermission {
                subscription,
                message,
            } => fields!(visit; subscription, message),
            F::PublicAccessDisabled {
                registry,
                via_private_endpoint: _,
                data_host,
            } => fields!(visit; registry, data_host),
            F::PublicAccessDisabledYetAnswered { registry } => fields!(visit; registry),
            F::NetworkOpen {
                registry,
                forbidden_seen: _,
            }
            | F::NoPrivateEndpoints { registry }
            | F::NotEncrypted { registry } => fields!(visit; registry),
            F::ClientAllowed {
                registry,
                client_ip,
                rule,
            } => fields!(visit; registry, client_ip, rule),
            F::ClientDenied {
                registry,
                client_ip,
                rules,
                rule_count: _,
                forbidden_seen: _,
                data_host,
            } => fields!(visit; registry, client_ip, rules, data_host),
            F::ClientAdmitted {
                registry,
                rules,
                rule_count: _,
            } => fields!(visit; registry, rules),
            F::ClientIpUnknown {
                registry,
                rules,
                rule_count: _,
                forbidden_seen: _,
                in_browser: _,
                data_host,
            } => fields!(visit; registry, rules, data_host),
            F::PrivateEndpointsListed { endpoints } => fields!(visit; endpoints),
            F::PrivateDnsMatches {
                fqdn,
                expected,
                seen,
            } => fields!(visit; fqdn, expected, seen),
            F::PrivateDnsMismatch {
                fqdn,
                expected,
                seen,
                data_host,
            } => fields!(visit; fqdn, expected, seen, data_host),
            F::PrivateDnsNoEntry { fqdn, endpoints } => fields!(visit; fqdn, endpoints),
            F::PrivateEndpointUnreadable {
                endpoint,
                status: _,
                failure,
            } => fields!(visit; endpoint, failure),
            F::CmkIdentityPresent {
                registry,
                client_id,
            } => fields!(visit; registry, client_id),
            F::CmkIdentityDeleted {
                registry,
                client_id,
            }
            | F::CmkIdentityNotAssigned {
                registry,
                client_id,
            } => fields!(visit; registry, client_id),
            F::CmkSystemIdentityRemoved {
                registry,
                identity_type,
            } => fields!(visit; registry, identity_type),
            F::CmkIdentityUnknown {
                registry,
                client_id,
                status: _,
                failure,
            } => fields!(visit; registry, client_id, failure),
        }
    }
}

impl Texts for EndpointDns {
    fn visit_texts(&mut self, _: &'static str, visit: &mut Visit<'_>) {
        let EndpointDns { fqdn, addresses } = self;
        fields!(visit; fqdn, addresses);
    }
}

impl Texts for Failure {
    fn visit_texts(&mut self, _: &'static str, visit: &mut Visit<'_>) {
        match self {
            Failure::CorsBlocked | Failure::TimedOut { after_ms: _ } => {}
            Failure::Network { detail } | Failure::Dns { detail } | Failure::Tls { detail } => {
                fields!(visit; detail)
            }
        }
    }
}

impl Texts for ChallengeProblem {
    fn visit_texts(&mut self, _: &'static str, _: &mut Visit<'_>) {
        // A syntax error contains offsets and one character, no text.
        match self {
            ChallengeProblem::Syntax(_) | ChallengeProblem::BearerToken68 => {}
        }
    }
}

impl Texts for InputError {
    fn visit_texts(&mut self, _: &'static str, visit: &mut Visit<'_>) {
        match self {
            InputError::Empty
            | InputError::UserInfo
            | InputError::HostTooLong { length: _ }
            | InputError::NoRegistryInCommand => {}
            InputError::UnsupportedScheme { scheme } => fields!(visit; scheme),
            InputError::InvalidPort { port } => fields!(visit; port),
            InputError::RegistryName { name, reason: _ } => fields!(visit; name),
            InputError::InvalidCharacter { host, character: _ } => fields!(visit; host),
            InputError::InvalidLabel { host, label } => fields!(visit; host, label),
        }
    }
}

impl Texts for TokenError {
    fn visit_texts(&mut self, _: &'static str, visit: &mut Visit<'_>) {
        match self {
            TokenError::Empty
            | TokenError::NotUtf8 { valid_up_to: _ }
            | TokenError::Truncated
            | TokenError::InvalidJson { line: _, column: _ }
            | TokenError::NotAnObject => {}
            TokenError::WrongType {
                field,
                expected,
                found,
            } => fields!(visit; field, expected, found),
        }
    }
}

impl Texts for JwtError {
    fn visit_texts(&mut self, _: &'static str, visit: &mut Visit<'_>) {
        match self {
            JwtError::PartCount { found: _ }
            | JwtError::EmptyPart { part: _ }
            | JwtError::NotBase64Url { part: _ }
            | JwtError::NotJsonObject { part: _ }
            | JwtError::NoAlgorithm => {}
            JwtError::WrongType {
                claim,
                expected,
                found,
            } => fields!(visit; claim, expected, found),
        }
    }
}

impl Texts for ArmParseError {
    fn visit_texts(&mut self, _: &'static str, visit: &mut Visit<'_>) {
        match self {
            ArmParseError::Empty
            | ArmParseError::InvalidJson { line: _, column: _ }
            | ArmParseError::NotAnObject => {}
            ArmParseError::Missing { field } => fields!(visit; field),
            ArmParseError::WrongType {
                field,
                expected,
                found,
            } => fields!(visit; field, expected, found),
        }
    }
}

impl Texts for ArmUrlError {
    fn visit_texts(&mut self, _: &'static str, visit: &mut Visit<'_>) {
        match self {
            ArmUrlError::Empty
            | ArmUrlError::NotAUrl
            | ArmUrlError::UserInfo
            | ArmUrlError::PathOrQuery
            | ArmUrlError::PortMissing => {}
            ArmUrlError::Scheme { scheme } => fields!(visit; scheme),
            ArmUrlError::HostNotAllowed { host } | ArmUrlError::PlainHttp { host } => {
                fields!(visit; host)
            }
            ArmUrlError::InvalidPort { port } => fields!(visit; port),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
