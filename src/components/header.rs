//! The title and the language switch.

use acr_health_core::Lang;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::{language_name, Ui};

#[derive(Clone, PartialEq, Properties)]
pub struct HeaderProps {
    pub lang: Lang,
    pub onlang: Callback<Lang>,
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let lang = props.lang;
    let onchange = {
        let onlang = props.onlang.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            // The options carry only tags that `Lang::from_tag` accepts.
            if let Some(lang) = Lang::from_tag(&select.value()) {
                onlang.emit(lang);
            }
        })
    };

    html! {
        <header class="page-header">
            <h1>{ Ui::Title.text(lang) }</h1>
            <p class="tagline">{ Ui::Tagline.text(lang) }</p>
            <div class="language-switch">
                <label for="lang">{ Ui::Language.text(lang) }</label>
                <select id="lang" {onchange}>
                    { for Lang::ALL.iter().map(|option| html! {
                        <option value={option.tag()} lang={option.tag()} selected={*option == lang}>
                            { language_name(*option) }
                        </option>
                    }) }
                </select>
            </div>
        </header>
    }
}
