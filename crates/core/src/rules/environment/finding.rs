//! Environment findings: the observation of each check, as data that renders in English and
//! Korean.

use serde::{Deserialize, Serialize};

use super::Version;
use crate::{Lang, Localize};

/// The observation of an environment check.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EnvironmentFinding {
    /// The check did not run because the helper is not connected.
    HelperNotConnected,
    CommandFound {
        name: String,
        path: String,
    },
    /// Neither the override variable nor `PATH` led to the command.
    CommandNotFound {
        name: String,
    },
    /// The override variable (such as `DOCKER_COMMAND`) names a program that does not exist.
    OverrideNotFound {
        var: String,
        value: String,
    },
    CommandTimedOut {
        name: String,
        after_ms: u32,
    },
    /// The program exists but could not be started (permissions, wrong format).
    CommandNotRunnable {
        name: String,
        detail: String,
    },
    /// The program exited with a non-zero status; `detail` is its first error line.
    CommandFailed {
        name: String,
        exit_code: Option<i32>,
        detail: String,
    },
    /// Not run because the command it needs is missing.
    SkippedNoCommand {
        name: String,
    },
    VersionFound {
        name: String,
        version: Version,
    },
    VersionUnreadable {
        name: String,
    },
    VersionTooOld {
        name: String,
        version: Version,
        minimum: Version,
    },
    DaemonReachable {
        version: String,
        platform: String,
    },
    DaemonUnreachable {
        detail: String,
    },
    /// The daemon runs but this user may not use its socket.
    DaemonPermissionDenied {
        detail: String,
    },
    /// Not run because no daemon responded.
    SkippedNoDaemon,
    /// Not run because the user did not agree to a pull.
    PullNeedsConsent,
    Pulled {
        image: String,
    },
    PullFailed {
        image: String,
        detail: String,
    },
    PullTimedOut {
        image: String,
        after_ms: u32,
    },
    PullPlatformMismatch {
        image: String,
        image_platform: String,
        host_platform: String,
    },
    NotaryAbsent,
    /// `notary version` printed an empty version, as Debian's build does.
    NotaryVersionEmpty,
    NotaryIncompatible {
        version: Version,
    },
    DnsLiteral {
        address: String,
    },
    /// `private` of the `count` addresses are private, which points to a private endpoint.
    DnsResolved {
        host: String,
        count: usize,
        private: usize,
    },
    DnsFailed {
        host: String,
        detail: String,
    },
    ProxyNone,
    /// A proxy is set but `NO_PROXY` exempts the registry.
    ProxyBypassed,
    ProxyInUse {
        proxy: String,
    },
    TlsNotUsed,
    /// No connection to the host could be opened, so no handshake started.
    TlsNotReached {
        host: String,
    },
    TlsEstablished {
        host: String,
        issuer: String,
        days: i64,
    },
    TlsExpiresSoon {
        host: String,
        days: i64,
    },
    TlsFailed {
        host: String,
        detail: String,
    },
}

impl Localize for EnvironmentFinding {
    fn localize(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.english(),
            Lang::Ko => self.korean(),
        }
    }
}

impl EnvironmentFinding {
    fn english(&self) -> String {
        use EnvironmentFinding as F;
        match self {
            F::HelperNotConnected => "Not run: this check needs the helper on this machine.".to_owned(),
            F::CommandFound { name, path } => format!("Found {name} at {path}."),
            F::CommandNotFound { name } => format!("No {name} command was found on PATH."),
            F::OverrideNotFound { var, value } => {
                format!("{var} is set to {value}, but no program exists there.")
            }
            F::CommandTimedOut { name, after_ms } => {
                format!("{name} did not finish within {after_ms} ms and was stopped.")
            }
            F::CommandNotRunnable { name, detail } => format!("{name} could not be started: {detail}"),
            F::CommandFailed { name, exit_code, detail } => match exit_code {
                Some(code) => format!("{name} failed with exit status {code}: {detail}"),
                None => format!("{name} was ended by a signal: {detail}"),
            },
            F::SkippedNoCommand { name } => format!("Not run because no {name} command was found."),
            F::VersionFound { name, version } => format!("{name} {version}."),
            F::VersionUnreadable { name } => {
                format!("The version {name} printed could not be read; see the output.")
            }
            F::VersionTooOld { name, version, minimum } => {
                format!("{name} {version} is older than {minimum}, the oldest version that works.")
            }
            F::DaemonReachable { version, platform } => {
                format!("The Docker daemon answered: version {version}, {platform}.")
            }
            F::DaemonUnreachable { detail } => {
                format!("The Docker client runs, but no daemon answered: {detail}")
            }
            F::DaemonPermissionDenied { detail } => {
                format!("The Docker daemon runs, but this user may not use its socket: {detail}")
            }
            F::SkippedNoDaemon => "Not run because no Docker daemon answered.".to_owned(),
            F::PullNeedsConsent => {
                "Not run: a pull downloads an image, so it runs only when you allow it (--yes, or the option in the page).".to_owned()
            }
            F::Pulled { image } => format!("Pulled {image}."),
            F::PullFailed { image, detail } => format!("Pulling {image} failed: {detail}"),
            F::PullTimedOut { image, after_ms } => {
                format!("Pulling {image} did not finish within {after_ms} ms and was stopped.")
            }
            F::PullPlatformMismatch { image, image_platform, host_platform } => format!(
                "Pulled {image}, but it is built for {image_platform} and this daemon runs {host_platform}."
            ),
            F::NotaryAbsent => "Not run: no notary command is installed, which is fine unless you sign images with Notary v1.".to_owned(),
            F::NotaryVersionEmpty => {
                "notary printed an empty version, so its compatibility is unknown; see the output.".to_owned()
            }
            F::NotaryIncompatible { version } => {
                format!("notary {version} is 0.6.0 or later, which does not work with this registry.")
            }
            F::DnsLiteral { address } => format!("{address} is an IP address; nothing to resolve."),
            F::DnsResolved { host, count, private: 0 } => {
                format!("{host} resolved to {count} public address(es).")
            }
            F::DnsResolved { host, count, private } => format!(
                "{host} resolved to {count} address(es), {private} of them private: a private endpoint or a hosts-file entry is in use."
            ),
            F::DnsFailed { host, detail } => format!("{host} did not resolve: {detail}"),
            F::ProxyNone => "No proxy is set for the registry.".to_owned(),
            F::ProxyBypassed => "A proxy is set, but NO_PROXY exempts the registry.".to_owned(),
            F::ProxyInUse { proxy } => format!("Requests to the registry go through the proxy {proxy}."),
            F::TlsNotUsed => "Not run: the registry is reached over plain HTTP.".to_owned(),
            F::TlsNotReached { host } => {
                format!("Not run: no connection to {host} could be opened, so no handshake started.")
            }
            F::TlsEstablished { host, issuer, days } => {
                format!("Secure connection to {host}; certificate issued by {issuer}, valid for {days} more days.")
            }
            F::TlsExpiresSoon { host, days } => {
                format!("The certificate of {host} expires in {days} days.")
            }
            F::TlsFailed { host, detail } => {
                format!("No secure connection to {host} could be set up: {detail}")
            }
        }
    }

    fn korean(&self) -> String {
        use EnvironmentFinding as F;
        match self {
            F::HelperNotConnected => "실행하지 않음: 이 검사는 이 머신의 헬퍼가 있어야 합니다.".to_owned(),
            F::CommandFound { name, path } => format!("{name} 명령을 찾았습니다: {path}"),
            F::CommandNotFound { name } => format!("PATH에서 {name} 명령을 찾지 못했습니다."),
            F::OverrideNotFound { var, value } => {
                format!("{var}이(가) {value}(으)로 지정되어 있지만 그 위치에 프로그램이 없습니다.")
            }
            F::CommandTimedOut { name, after_ms } => {
                format!("{name}이(가) {after_ms}ms 안에 끝나지 않아 중지했습니다.")
            }
            F::CommandNotRunnable { name, detail } => format!("{name}을(를) 실행할 수 없습니다: {detail}"),
            F::CommandFailed { name, exit_code, detail } => match exit_code {
                Some(code) => format!("{name}이(가) 종료 코드 {code}(으)로 실패했습니다: {detail}"),
                None => format!("{name}이(가) 시그널로 종료되었습니다: {detail}"),
            },
            F::SkippedNoCommand { name } => format!("{name} 명령이 없어서 실행하지 않았습니다."),
            F::VersionFound { name, version } => format!("{name} {version}"),
            F::VersionUnreadable { name } => {
                format!("{name}이(가) 출력한 버전을 읽을 수 없습니다. 출력 내용을 확인하세요.")
            }
            F::VersionTooOld { name, version, minimum } => {
                format!("{name} {version}은(는) 동작하는 최소 버전 {minimum}보다 오래되었습니다.")
            }
            F::DaemonReachable { version, platform } => {
                format!("Docker 데몬이 응답했습니다: 버전 {version}, {platform}")
            }
            F::DaemonUnreachable { detail } => {
                format!("Docker 클라이언트는 실행되지만 데몬이 응답하지 않습니다: {detail}")
            }
            F::DaemonPermissionDenied { detail } => {
                format!("Docker 데몬은 실행 중이지만 현재 사용자에게 소켓 권한이 없습니다: {detail}")
            }
            F::SkippedNoDaemon => "Docker 데몬이 응답하지 않아 실행하지 않았습니다.".to_owned(),
            F::PullNeedsConsent => {
                "실행하지 않음: pull은 이미지를 내려받으므로 허용한 경우에만 실행합니다 (--yes 또는 페이지의 옵션).".to_owned()
            }
            F::Pulled { image } => format!("{image}을(를) pull했습니다."),
            F::PullFailed { image, detail } => format!("{image} pull에 실패했습니다: {detail}"),
            F::PullTimedOut { image, after_ms } => {
                format!("{image} pull이 {after_ms}ms 안에 끝나지 않아 중지했습니다.")
            }
            F::PullPlatformMismatch { image, image_platform, host_platform } => format!(
                "{image}을(를) pull했지만 이미지는 {image_platform}용이고 이 데몬은 {host_platform}입니다."
            ),
            F::NotaryAbsent => "실행하지 않음: notary가 설치되어 있지 않습니다. Notary v1으로 서명하지 않는다면 문제없습니다.".to_owned(),
            F::NotaryVersionEmpty => {
                "notary가 빈 버전을 출력해서 호환 여부를 알 수 없습니다. 출력 내용을 확인하세요.".to_owned()
            }
            F::NotaryIncompatible { version } => {
                format!("notary {version}은(는) 0.6.0 이상이라 이 레지스트리와 호환되지 않습니다.")
            }
            F::DnsLiteral { address } => format!("{address}은(는) IP 주소라서 조회할 이름이 없습니다."),
            F::DnsResolved { host, count, private: 0 } => {
                format!("{host}이(가) 공인 주소 {count}개로 조회되었습니다.")
            }
            F::DnsResolved { host, count, private } => format!(
                "{host}이(가) 주소 {count}개로 조회되었고 그중 {private}개가 사설 주소입니다. 프라이빗 엔드포인트나 hosts 파일 항목이 쓰이고 있습니다."
            ),
            F::DnsFailed { host, detail } => format!("{host} 이름을 조회하지 못했습니다: {detail}"),
            F::ProxyNone => "레지스트리에 적용되는 프록시가 없습니다.".to_owned(),
            F::ProxyBypassed => "프록시가 설정되어 있지만 NO_PROXY에 의해 레지스트리는 제외됩니다.".to_owned(),
            F::ProxyInUse { proxy } => format!("레지스트리 요청이 프록시 {proxy}을(를) 거칩니다."),
            F::TlsNotUsed => "실행하지 않음: 레지스트리에 일반 HTTP로 접속합니다.".to_owned(),
            F::TlsNotReached { host } => {
                format!("실행하지 않음: {host}에 연결하지 못해서 핸드셰이크를 시작하지 않았습니다.")
            }
            F::TlsEstablished { host, issuer, days } => {
                format!("{host}에 보안 연결을 맺었습니다. 인증서 발급자는 {issuer}이고 {days}일 더 유효합니다.")
            }
            F::TlsExpiresSoon { host, days } => {
                format!("{host}의 인증서가 {days}일 뒤 만료됩니다.")
            }
            F::TlsFailed { host, detail } => {
                format!("{host}에 보안 연결을 맺지 못했습니다: {detail}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_renders_text() {
        let findings = [
            EnvironmentFinding::DaemonUnreachable {
                detail: "Cannot connect".to_owned(),
            },
            EnvironmentFinding::NotaryIncompatible {
                version: Version::new(0, 6, 1),
            },
            EnvironmentFinding::DnsResolved {
                host: "r.test".to_owned(),
                count: 2,
                private: 1,
            },
        ];
        for finding in findings {
            for lang in Lang::ALL {
                assert!(
                    !finding.localize(lang).is_empty(),
                    "{finding:?} in {lang:?}"
                );
            }
            assert_ne!(finding.localize(Lang::En), finding.localize(Lang::Ko));
        }
    }

    #[test]
    fn serde_round_trips() {
        let finding = EnvironmentFinding::VersionTooOld {
            name: "helm".to_owned(),
            version: Version::new(2, 9, 1),
            minimum: Version::new(2, 11, 0),
        };
        let json = serde_json::to_string(&finding).expect("serializes");
        let back: EnvironmentFinding = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, finding);
    }
}
