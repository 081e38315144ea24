//! The visible notes for embedding parameters the page ignored.

use acr_health_core::Lang;
use yew::prelude::*;

use crate::embed::{EmbedNote, EmbedParams};

fn note_text(note: &EmbedNote, lang: Lang) -> (&'static str, &str) {
    match (note, lang) {
        (EmbedNote::Embedder(value), Lang::En) => (
            "Invalid embedder ignored, so no messages are posted; give an origin such as https://portal.example:",
            value,
        ),
        (EmbedNote::Embedder(value), Lang::Ko) => (
            "embedder 값이 올바르지 않아 무시했고 메시지를 보내지 않습니다. https://portal.example 같은 origin을 쓰세요:",
            value,
        ),
        (EmbedNote::Cloud(value), Lang::En) => (
            "Unknown cloud ignored; use AzureCloud, AzureChinaCloud or AzureUSGovernment:",
            value,
        ),
        (EmbedNote::Cloud(value), Lang::Ko) => (
            "알 수 없는 클라우드라 무시했습니다. AzureCloud, AzureChinaCloud, AzureUSGovernment 중 하나를 쓰세요:",
            value,
        ),
        (EmbedNote::Autorun(value), Lang::En) => {
            ("Invalid autorun value ignored, so the checks wait for the Run button; use 1 or 0:", value)
        }
        (EmbedNote::Autorun(value), Lang::Ko) => (
            "autorun 값이 올바르지 않아 무시했습니다. 점검 버튼을 눌러야 시작합니다. 1 또는 0을 쓰세요:",
            value,
        ),
    }
}

#[derive(Clone, PartialEq, Properties)]
pub struct EmbedNotesProps {
    pub lang: Lang,
}

/// Renders one note per ignored value, read from the page's address once.
#[component]
pub fn EmbedNotes(props: &EmbedNotesProps) -> Html {
    let notes = use_memo((), |_| EmbedParams::from_window().notes);
    html! {
        { for notes.iter().map(|note| {
            let (text, value) = note_text(note, props.lang);
            html! {
                <p class="notice embed-note" role="alert">{ text }{ " " }<code>{ value }</code></p>
            }
        }) }
    }
}
