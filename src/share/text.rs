//! The words of the share and export controls, in English and Korean.

use acr_health_core::Lang;

/// One piece of text of the share view and the export bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareText {
    ExportHeading,
    LinkLabel,
    HideOption,
    HideHint,
    CopyLink,
    CopyMarkdown,
    CopyJson,
    CopyText,
    Copied,
    CopyFailed,
    LinkTooLong,
    SharedBanner,
    SharedReadOnly,
    RerunHere,
    RegistryHidden,
    OpenFailed,
    StartNew,
}

impl ShareText {
    pub fn text(self, lang: Lang) -> &'static str {
        use ShareText as T;
        match (self, lang) {
            (T::ExportHeading, Lang::En) => "Share this report",
            (T::ExportHeading, Lang::Ko) => "리포트 공유",
            (T::LinkLabel, Lang::En) => "Link to this report",
            (T::LinkLabel, Lang::Ko) => "이 리포트의 링크",
            (T::HideOption, Lang::En) => "Hide the registry name and IP addresses",
            (T::HideOption, Lang::Ko) => "레지스트리 이름과 IP 주소 숨기기",
            (T::HideHint, Lang::En) => {
                "The link, Markdown, JSON and text below carry the whole report inside them. \
                 No password or token is ever included."
            }
            (T::HideHint, Lang::Ko) => {
                "아래 링크, Markdown, JSON, 텍스트에는 리포트 전체가 들어 있습니다. 비밀번호나 \
                 토큰은 들어가지 않습니다."
            }
            (T::CopyLink, Lang::En) => "Copy link",
            (T::CopyLink, Lang::Ko) => "링크 복사",
            (T::CopyMarkdown, Lang::En) => "Copy as Markdown",
            (T::CopyMarkdown, Lang::Ko) => "Markdown으로 복사",
            (T::CopyJson, Lang::En) => "Copy as JSON",
            (T::CopyJson, Lang::Ko) => "JSON으로 복사",
            (T::CopyText, Lang::En) => "Copy as text (az style)",
            (T::CopyText, Lang::Ko) => "텍스트로 복사 (az 형식)",
            (T::Copied, Lang::En) => "Copied to the clipboard.",
            (T::Copied, Lang::Ko) => "클립보드에 복사했습니다.",
            (T::CopyFailed, Lang::En) => {
                "The browser did not allow copying here. Select the text below and copy it."
            }
            (T::CopyFailed, Lang::Ko) => {
                "이 브라우저에서는 복사가 허용되지 않았습니다. 아래 텍스트를 선택해 복사하세요."
            }
            (T::LinkTooLong, Lang::En) => {
                "This link is longer than 2,000 characters, so some chat tools and ticket \
                 systems may cut it. Attach the JSON instead if it arrives broken."
            }
            (T::LinkTooLong, Lang::Ko) => {
                "링크가 2,000자를 넘어 일부 메신저나 티켓 시스템에서 잘릴 수 있습니다. 링크가 \
                 깨지면 JSON을 대신 첨부하세요."
            }
            (T::SharedBanner, Lang::En) => "Shared report. The checks ran at",
            (T::SharedBanner, Lang::Ko) => "공유된 리포트입니다. 점검 시각:",
            (T::SharedReadOnly, Lang::En) => {
                "This is a copy of someone else's results, read-only. Run the checks yourself \
                 to see the path from your machine."
            }
            (T::SharedReadOnly, Lang::Ko) => {
                "다른 사람이 얻은 결과의 읽기 전용 사본입니다. 내 머신에서의 경로를 보려면 직접 \
                 점검을 실행하세요."
            }
            (T::RerunHere, Lang::En) => "Run the same checks from my machine",
            (T::RerunHere, Lang::Ko) => "내 머신에서 같은 점검 실행",
            (T::RegistryHidden, Lang::En) => {
                "The registry name was hidden before sharing; type it in to run the checks."
            }
            (T::RegistryHidden, Lang::Ko) => {
                "공유할 때 레지스트리 이름을 숨겼습니다. 점검하려면 이름을 직접 입력하세요."
            }
            (T::OpenFailed, Lang::En) => "This shared report could not be opened.",
            (T::OpenFailed, Lang::Ko) => "공유된 리포트를 열 수 없습니다.",
            (T::StartNew, Lang::En) => "Start a new check",
            (T::StartNew, Lang::Ko) => "새 점검 시작",
        }
    }
}
