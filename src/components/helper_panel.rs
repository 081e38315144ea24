//! One line about the helper on this machine: looking, found (with its version) or absent,
//! with how to start one.

use acr_health_core::Lang;
use yew::prelude::*;

use crate::app::HelperStatus;
use crate::i18n::{helper_found, Ui};

#[derive(Clone, PartialEq, Properties)]
pub struct HelperPanelProps {
    pub lang: Lang,
    pub status: HelperStatus,
    pub onlook: Callback<()>,
}

#[component]
pub fn HelperPanel(props: &HelperPanelProps) -> Html {
    let lang = props.lang;
    let onclick = {
        let onlook = props.onlook.clone();
        Callback::from(move |_: MouseEvent| onlook.emit(()))
    };
    let look_button = html! {
        <button type="button" id="helper-look" class="secondary" {onclick}>
            { Ui::HelperLook.text(lang) }
        </button>
    };

    let (class, body) = match &props.status {
        HelperStatus::Unknown => ("unknown", html! { { look_button } }),
        HelperStatus::Looking => ("looking", html! { { Ui::HelperLooking.text(lang) } }),
        HelperStatus::Absent => (
            "absent",
            html! { <>{ Ui::HelperAbsent.text(lang) }{ " " }{ look_button }</> },
        ),
        HelperStatus::Found { version, port, paired: true, .. } => {
            ("found", html! { { helper_found(version, *port, lang) } })
        }
        HelperStatus::Found { version, port, paired: false, .. } => (
            "unpaired",
            html! { <>{ helper_found(version, *port, lang) }{ " " }{ Ui::HelperNotPaired.text(lang) }</> },
        ),
        HelperStatus::Failed { error, .. } => (
            "failed",
            html! { <>{ error.message(lang) }{ " " }{ look_button }</> },
        ),
    };

    html! {
        <p id="helper" class={classes!("helper", class)} aria-live="polite">
            <strong>{ Ui::Helper.text(lang) }{ ": " }</strong>
            { body }
        </p>
    }
}
