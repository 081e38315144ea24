//! The page's own words in every language. Results and remedies come from the core; this table
//! holds only what frames them: labels, buttons, states and the summary line.

use acr_health_core::{Lang, Side, Status};

use crate::helper::HelperError;

/// One piece of fixed text on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ui {
    Title,
    Tagline,
    Language,
    Registry,
    RegistryHint,
    Cloud,
    CloudCustomNote,
    Credentials,
    CredentialAnonymous,
    CredentialPassword,
    CredentialAadToken,
    CredentialRefreshToken,
    Username,
    Password,
    AadToken,
    AadTokenHint,
    Tenant,
    RefreshToken,
    RefreshTokenHint,
    CredentialsKept,
    Timeout,
    Run,
    Running,
    Results,
    NoResults,
    Evidence,
    Meaning,
    Fixes,
    ErrorReference,
    FromBrowser,
    FromMachine,
    StatusPending,
    StatusRunning,
    StatusPass,
    StatusWarning,
    StatusFail,
    StatusSkipped,
    SummaryIdle,
    Helper,
    HelperLooking,
    HelperAbsent,
    HelperLook,
    HelperNotPaired,
    SidesDiffer,
    InvalidHelperPort,
    InvalidLang,
    BrowserError,
    InvalidTheme,
    ArmGroup,
    ArmGroupHint,
    ArmToken,
    ArmTokenHint,
    ArmRegistry,
    ArmRegistryHint,
    ArmRegistryByLoginServer,
    ArmFromAz,
    ArmFromAzHint,
    ArmUrlInUse,
    InvalidArmUrl,
}

impl Ui {
    /// Every entry, so that tests can walk the whole table.
    pub const ALL: [Ui; 59] = [
        Ui::Title,
        Ui::Tagline,
        Ui::Language,
        Ui::Registry,
        Ui::RegistryHint,
        Ui::Cloud,
        Ui::CloudCustomNote,
        Ui::Credentials,
        Ui::CredentialAnonymous,
        Ui::CredentialPassword,
        Ui::CredentialAadToken,
        Ui::CredentialRefreshToken,
        Ui::Username,
        Ui::Password,
        Ui::AadToken,
        Ui::AadTokenHint,
        Ui::Tenant,
        Ui::RefreshToken,
        Ui::RefreshTokenHint,
        Ui::CredentialsKept,
        Ui::Timeout,
        Ui::Run,
        Ui::Running,
        Ui::Results,
        Ui::NoResults,
        Ui::Evidence,
        Ui::Meaning,
        Ui::Fixes,
        Ui::ErrorReference,
        Ui::FromBrowser,
        Ui::FromMachine,
        Ui::StatusPending,
        Ui::StatusRunning,
        Ui::StatusPass,
        Ui::StatusWarning,
        Ui::StatusFail,
        Ui::StatusSkipped,
        Ui::SummaryIdle,
        Ui::Helper,
        Ui::HelperLooking,
        Ui::HelperAbsent,
        Ui::HelperLook,
        Ui::HelperNotPaired,
        Ui::SidesDiffer,
        Ui::InvalidHelperPort,
        Ui::InvalidLang,
        Ui::BrowserError,
        Ui::InvalidTheme,
        Ui::ArmGroup,
        Ui::ArmGroupHint,
        Ui::ArmToken,
        Ui::ArmTokenHint,
        Ui::ArmRegistry,
        Ui::ArmRegistryHint,
        Ui::ArmRegistryByLoginServer,
        Ui::ArmFromAz,
        Ui::ArmFromAzHint,
        Ui::ArmUrlInUse,
        Ui::InvalidArmUrl,
    ];

    /// Returns the text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        let (en, ko) = self.texts();
        match lang {
            Lang::En => en,
            Lang::Ko => ko,
        }
    }

    /// Returns the English and the Korean text: the table itself.
    fn texts(self) -> (&'static str, &'static str) {
        match self {
            Ui::Title => ("Registry health check", "레지스트리 상태 점검"),
            Ui::Tagline => (
                "Finds the step between this browser and a container registry that fails, and says what to do about it.",
                "이 브라우저에서 컨테이너 레지스트리까지 어느 단계가 막혔는지 찾고, 어떻게 고치면 되는지 알려 드립니다.",
            ),
            Ui::Language => ("Language", "언어"),
            Ui::Registry => ("Registry", "레지스트리"),
            Ui::RegistryHint => (
                "A registry name (myregistry), a login server (myregistry.azurecr.io) or host:port.",
                "레지스트리 이름(myregistry), 로그인 서버(myregistry.azurecr.io) 또는 host:port 형식으로 입력하세요.",
            ),
            Ui::Cloud => ("Cloud", "클라우드"),
            Ui::CloudCustomNote => (
                "Used only for a bare registry name; a full host is checked as given.",
                "레지스트리 이름만 입력한 경우에 쓰입니다. 호스트 전체를 입력하면 입력한 그대로 점검합니다.",
            ),
            Ui::Credentials => ("Credentials", "자격 증명"),
            Ui::CredentialAnonymous => ("None (anonymous pull)", "없음 (익명 pull)"),
            Ui::CredentialPassword => ("User name and password", "사용자 이름과 비밀번호"),
            Ui::CredentialAadToken => ("Azure AD access token", "Azure AD 액세스 토큰"),
            Ui::CredentialRefreshToken => ("ACR refresh token", "ACR 리프레시 토큰"),
            Ui::Username => ("User name", "사용자 이름"),
            Ui::Password => ("Password", "비밀번호"),
            Ui::AadToken => ("Access token", "액세스 토큰"),
            Ui::AadTokenHint => (
                "The accessToken that az account get-access-token prints.",
                "az account get-access-token 출력의 accessToken 값을 붙여 넣으세요.",
            ),
            Ui::Tenant => ("Tenant (optional)", "테넌트 (선택)"),
            Ui::RefreshToken => ("Refresh token", "리프레시 토큰"),
            Ui::RefreshTokenHint => (
                "The accessToken that az acr login --expose-token prints.",
                "az acr login --expose-token 출력의 accessToken 값을 붙여 넣으세요.",
            ),
            Ui::CredentialsKept => (
                "Credentials stay in this tab's memory only. They are never stored, logged or put in the address.",
                "자격 증명은 이 탭의 메모리에만 둡니다. 저장하거나 로그에 남기거나 주소에 넣지 않습니다.",
            ),
            Ui::Timeout => ("Timeout per request (seconds)", "요청당 제한 시간(초)"),
            Ui::Run => ("Run checks", "점검 시작"),
            Ui::Running => ("Checking…", "점검 중…"),
            Ui::Results => ("Results", "결과"),
            Ui::NoResults => ("No checks have run yet.", "아직 실행한 점검이 없습니다."),
            Ui::Evidence => ("Evidence", "근거"),
            Ui::Meaning => ("What it means", "의미"),
            Ui::Fixes => ("What to do", "해결 방법"),
            Ui::ErrorReference => ("Error reference", "오류 코드 문서"),
            Ui::FromBrowser => ("from this browser", "이 브라우저에서"),
            Ui::FromMachine => ("from this machine", "이 머신에서"),
            Ui::StatusPending => ("Waiting", "대기"),
            Ui::StatusRunning => ("Running", "진행 중"),
            Ui::StatusPass => ("Passed", "통과"),
            Ui::StatusWarning => ("Warning", "주의"),
            Ui::StatusFail => ("Failed", "실패"),
            Ui::StatusSkipped => ("Skipped", "건너뜀"),
            Ui::SummaryIdle => (
                "Enter a registry and run the checks.",
                "레지스트리를 입력하고 점검을 시작하세요.",
            ),
            Ui::Helper => ("Helper on this machine", "이 머신의 헬퍼"),
            Ui::HelperLooking => (
                "Looking for the helper on this machine…",
                "이 머신에서 헬퍼를 찾는 중…",
            ),
            Ui::HelperAbsent => (
                "No helper found. For the checks a browser cannot make (DNS, TLS, Docker, and everything CORS hides), run `acr-health-helper serve` on this machine and open the address it prints.",
                "헬퍼를 찾지 못했습니다. 브라우저로는 할 수 없는 점검(DNS, TLS, Docker, CORS 때문에 읽지 못한 응답)까지 하려면 이 머신에서 `acr-health-helper serve`를 실행하고 출력된 주소를 여세요.",
            ),
            Ui::HelperLook => ("Look for the helper", "헬퍼 찾기"),
            Ui::HelperNotPaired => (
                "The helper answers, but this page is not paired with it. Open the address the helper printed, which ends in #pair=…",
                "헬퍼가 응답하지만 이 페이지와 연결(페어링)되지 않았습니다. 헬퍼가 출력한 주소(#pair=…로 끝나는 주소)로 페이지를 다시 여세요.",
            ),
            Ui::SidesDiffer => (
                "This browser and this machine saw the registry differently here.",
                "이 단계에서 브라우저와 머신이 레지스트리를 다르게 보았습니다.",
            ),
            Ui::InvalidHelperPort => (
                "The address has an invalid helper_port; using the default port instead:",
                "주소의 helper_port 값이 올바르지 않아 기본 포트를 씁니다:",
            ),
            Ui::InvalidLang => (
                "The address asks for a language this page does not have:",
                "주소에 지정한 언어는 지원하지 않습니다:",
            ),
            Ui::InvalidTheme => (
                "Unknown theme ignored, so the page follows the system setting. Use light, dark or system:",
                "알 수 없는 테마라 무시하고 시스템 설정을 따릅니다. light, dark, system 중 하나를 쓰세요:",
            ),
            Ui::BrowserError => (
                "The browser refused an operation the checks need, so some results may be missing:",
                "브라우저가 점검에 필요한 동작을 거부해서 일부 결과가 빠졌을 수 있습니다:",
            ),
            Ui::ArmGroup => ("Azure Resource Manager (optional)", "Azure Resource Manager (선택)"),
            Ui::ArmGroupHint => (
                "With an ARM access token the checks also read the registry's settings in Azure: its login server, network rules, private endpoints and encryption identity.",
                "ARM 액세스 토큰이 있으면 Azure에 저장된 레지스트리 설정(로그인 서버, 네트워크 규칙, 프라이빗 엔드포인트, 암호화용 ID)도 함께 확인합니다.",
            ),
            Ui::ArmToken => ("ARM access token", "ARM 액세스 토큰"),
            Ui::ArmTokenHint => (
                "The accessToken that az account get-access-token prints (ARM is its default resource). It is sent only to Azure Resource Manager and kept in this tab's memory.",
                "az account get-access-token 출력의 accessToken 값을 붙여 넣으세요(기본 리소스가 ARM입니다). 토큰은 Azure Resource Manager로만 보내고 이 탭의 메모리에만 둡니다.",
            ),
            Ui::ArmRegistry => ("Registry name in Azure", "Azure의 레지스트리 이름"),
            Ui::ArmRegistryHint => (
                "Leave it empty to use the name in the login server; for any other host the registry is found by its login server.",
                "비워 두면 로그인 서버 주소에 든 이름을 씁니다. 다른 호스트라면 로그인 서버 값이 같은 레지스트리를 찾습니다.",
            ),
            Ui::ArmRegistryByLoginServer => ("found by its login server", "로그인 서버로 찾음"),
            Ui::ArmFromAz => ("Let the helper use my az login", "헬퍼가 내 az 로그인을 쓰도록 허용"),
            Ui::ArmFromAzHint => (
                "The helper runs az account get-access-token on this machine and keeps the token to itself.",
                "헬퍼가 이 머신에서 az account get-access-token을 실행합니다. 토큰은 헬퍼 밖으로 나오지 않습니다.",
            ),
            Ui::ArmUrlInUse => ("ARM requests go to", "ARM 요청 주소:"),
            Ui::InvalidArmUrl => (
                "The address has an arm_url that no ARM token may be sent to, so the ARM checks will not run:",
                "주소의 arm_url은 ARM 토큰을 보낼 수 없는 곳이라 ARM 점검을 하지 않습니다:",
            ),
        }
    }
}

/// Returns the label of a check's status.
pub fn status_label(status: Status, lang: Lang) -> &'static str {
    let key = match status {
        Status::Pending => Ui::StatusPending,
        Status::Running => Ui::StatusRunning,
        Status::Pass => Ui::StatusPass,
        Status::Warning => Ui::StatusWarning,
        Status::Fail => Ui::StatusFail,
        Status::Skipped => Ui::StatusSkipped,
    };
    key.text(lang)
}

/// Returns where a result was observed, as shown next to it.
pub fn side_label(side: Side, lang: Lang) -> &'static str {
    match side {
        Side::Browser => Ui::FromBrowser.text(lang),
        Side::Machine => Ui::FromMachine.text(lang),
    }
}

/// Returns the name of a language in that language, for the language switch.
pub fn language_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "English",
        Lang::Ko => "한국어",
    }
}

/// How many checks ended in each state, for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub total: usize,
    pub unfinished: usize,
    pub pass: usize,
    pub warning: usize,
    pub fail: usize,
    pub skipped: usize,
}

impl Tally {
    pub fn count(statuses: impl IntoIterator<Item = Status>) -> Tally {
        let mut tally = Tally::default();
        for status in statuses {
            tally.total += 1;
            match status {
                Status::Pending | Status::Running => tally.unfinished += 1,
                Status::Pass => tally.pass += 1,
                Status::Warning => tally.warning += 1,
                Status::Fail => tally.fail += 1,
                Status::Skipped => tally.skipped += 1,
            }
        }
        tally
    }
}

/// Returns the summary line while checks of `registry` run.
pub fn summary_running(registry: &str, tally: Tally, lang: Lang) -> String {
    let done = tally.total - tally.unfinished;
    match lang {
        Lang::En => format!("Checking {registry}: {done} of {} checks finished.", tally.total),
        Lang::Ko => format!("{registry} 점검 중: {}개 중 {done}개 완료", tally.total),
    }
}

/// Returns the summary line once every check of `registry` has finished. `first_failure` names
/// the earliest failed check and its code, which is where a reader should start.
pub fn summary_done(
    registry: &str,
    tally: Tally,
    first_failure: Option<(&str, Option<&str>)>,
    lang: Lang,
) -> String {
    let counts = match lang {
        Lang::En => format!(
            "{} passed, {} {}, {} failed, {} skipped",
            tally.pass,
            tally.warning,
            if tally.warning == 1 { "warning" } else { "warnings" },
            tally.fail,
            tally.skipped
        ),
        Lang::Ko => format!(
            "통과 {}, 주의 {}, 실패 {}, 건너뜀 {}",
            tally.pass, tally.warning, tally.fail, tally.skipped
        ),
    };
    let failure = first_failure.map(|(check, code)| match code {
        Some(code) => format!("{check} ({code})"),
        None => check.to_owned(),
    });

    match (lang, failure) {
        // The first failure may be a local check (Docker, Helm), so the line does not say
        // that the registry failed.
        (Lang::En, Some(failure)) => {
            format!("Checks of {registry}: first failure at {failure}. {counts}.")
        }
        (Lang::Ko, Some(failure)) => {
            format!("{registry} 점검: 처음 실패한 항목은 {failure}입니다. {counts}")
        }
        (Lang::En, None) if tally.warning > 0 => {
            format!("{registry}: reachable, with warnings. {counts}.")
        }
        (Lang::Ko, None) if tally.warning > 0 => {
            format!("{registry}: 연결은 되지만 확인할 점이 있습니다. {counts}")
        }
        (Lang::En, None) => format!("{registry}: no problem found. {counts}."),
        (Lang::Ko, None) => format!("{registry}: 문제를 찾지 못했습니다. {counts}"),
    }
}

/// Returns why the page could not use the helper.
pub fn helper_error(error: &HelperError, lang: Lang) -> String {
    match (error, lang) {
        (HelperError::PairingRejected, Lang::En) => {
            "The helper rejected this page's pairing secret. Open the address the helper printed when it started.".to_owned()
        }
        (HelperError::PairingRejected, Lang::Ko) => {
            "헬퍼가 이 페이지의 페어링 비밀 값을 거부했습니다. 헬퍼를 시작할 때 출력된 주소로 다시 여세요.".to_owned()
        }
        (HelperError::Status { status }, Lang::En) => {
            format!("The helper's run failed with HTTP status {status}. The helper's terminal log has the details.")
        }
        (HelperError::Status { status }, Lang::Ko) => {
            format!("헬퍼 점검이 HTTP 상태 {status}로 실패했습니다. 자세한 내용은 헬퍼 터미널 로그를 보세요.")
        }
        (HelperError::Network { detail }, Lang::En) => {
            format!("The connection to the helper failed: {detail}")
        }
        (HelperError::Network { detail }, Lang::Ko) => {
            format!("헬퍼와의 연결이 실패했습니다: {detail}")
        }
        (HelperError::TimedOut { after_ms }, Lang::En) => {
            format!("The helper did not finish within {after_ms} ms.")
        }
        (HelperError::TimedOut { after_ms }, Lang::Ko) => {
            format!("헬퍼가 {after_ms} ms 안에 점검을 끝내지 못했습니다.")
        }
        (HelperError::Malformed { detail }, Lang::En) => {
            format!("The helper sent a response this page cannot read ({detail}). The helper and the page may be different versions.")
        }
        (HelperError::Malformed { detail }, Lang::Ko) => {
            format!("헬퍼가 보낸 응답을 읽을 수 없습니다({detail}). 헬퍼와 페이지의 버전이 다를 수 있습니다.")
        }
    }
}

/// Returns the helper line for a helper that responded with its version.
pub fn helper_found(version: &str, port: u16, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "version {version} on port {port}. Its checks run from this machine next to the browser's."
        ),
        Lang::Ko => format!(
            "포트 {port}에서 버전 {version} 실행 중. 브라우저 점검과 함께 이 머신에서도 점검합니다."
        ),
    }
}

/// Returns the sentence added to the summary when the browser and the machine finished `count`
/// checks with different verdicts.
pub fn sides_differ_count(count: usize, lang: Lang) -> String {
    match (lang, count) {
        (Lang::En, 1) => "This browser and this machine disagree on 1 check.".to_owned(),
        (Lang::En, _) => format!("This browser and this machine disagree on {count} checks."),
        (Lang::Ko, _) => format!("브라우저와 이 머신의 결과가 다른 점검이 {count}개 있습니다."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_both_languages() {
        for key in Ui::ALL {
            for lang in Lang::ALL {
                assert!(!key.text(lang).trim().is_empty(), "{key:?} is empty in {lang:?}");
            }
        }
    }

    #[test]
    fn korean_entries_are_written_in_korean() {
        let has_hangul = |text: &str| text.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c));
        for key in Ui::ALL {
            assert!(has_hangul(key.text(Lang::Ko)), "{key:?} has no Korean text");
        }
    }

    #[test]
    fn entries_differ_between_languages() {
        for key in Ui::ALL {
            assert_ne!(key.text(Lang::En), key.text(Lang::Ko), "{key:?} is not translated");
        }
    }

    #[test]
    fn helper_errors_have_both_languages() {
        let errors = [
            HelperError::PairingRejected,
            HelperError::Status { status: 500 },
            HelperError::Network { detail: "TypeError".to_owned() },
            HelperError::TimedOut { after_ms: 10 },
            HelperError::Malformed { detail: "EOF".to_owned() },
        ];
        let has_hangul = |text: &str| text.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c));
        for error in errors {
            assert!(!helper_error(&error, Lang::En).is_empty(), "{error:?}");
            assert!(has_hangul(&helper_error(&error, Lang::Ko)), "{error:?}");
        }
    }

    #[test]
    fn tally_counts_each_status() {
        let tally = Tally::count([Status::Pass, Status::Fail, Status::Running, Status::Skipped]);
        assert_eq!(tally.total, 4);
        assert_eq!(tally.pass, 1);
        assert_eq!(tally.fail, 1);
        assert_eq!(tally.unfinished, 1);
        assert_eq!(tally.skipped, 1);
    }

    #[test]
    fn summary_names_first_failure() {
        let tally = Tally { total: 3, pass: 1, fail: 1, skipped: 1, ..Tally::default() };
        let line = summary_done("r.test", tally, Some(("Challenge", Some("CONNECTIVITY_FORBIDDEN_ERROR"))), Lang::En);
        assert!(line.contains("Challenge (CONNECTIVITY_FORBIDDEN_ERROR)"), "{line}");
    }
}
