//! The export bar: the share link and the copy buttons for the link, Markdown, JSON and
//! az-style text, with the option to hide the registry name and IP addresses first.

use acr_health_core::render::markdown::to_markdown;
use acr_health_core::render::{to_json, to_text};
use acr_health_core::{share, Lang, Report};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::share::clipboard;
use crate::share::text::ShareText;

/// Links longer than this may be cut by chat tools and ticket systems.
pub const SAFE_LINK_CHARS: usize = 2_000;

#[derive(Clone, PartialEq, Properties)]
pub struct ExportBarProps {
    pub lang: Lang,
    pub report: Report,
    /// The page address the link starts with; its query and fragment are dropped.
    pub page_url: String,
}

/// One thing the user can copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Export {
    Link,
    Markdown,
    Json,
    Text,
}

impl Export {
    const ALL: [Export; 4] = [Export::Link, Export::Markdown, Export::Json, Export::Text];

    fn id(self) -> &'static str {
        match self {
            Export::Link => "copy-link",
            Export::Markdown => "copy-markdown",
            Export::Json => "copy-json",
            Export::Text => "copy-text",
        }
    }

    fn label(self) -> ShareText {
        match self {
            Export::Link => ShareText::CopyLink,
            Export::Markdown => ShareText::CopyMarkdown,
            Export::Json => ShareText::CopyJson,
            Export::Text => ShareText::CopyText,
        }
    }

    fn render(self, report: &Report, link: &str, lang: Lang) -> String {
        match self {
            Export::Link => link.to_owned(),
            Export::Markdown => to_markdown(report, lang),
            Export::Json => to_json(report),
            Export::Text => to_text(report, lang),
        }
    }
}

/// The outcome of the last copy.
#[derive(Clone, Debug, PartialEq)]
enum CopyState {
    Idle,
    Copied(Export),
    /// The clipboard refused; the text is shown for manual copying.
    Failed { export: Export, text: String },
}

#[component]
pub fn ExportBar(props: &ExportBarProps) -> Html {
    let lang = props.lang;
    let hide = use_state(|| false);
    let copy_state = use_state(|| CopyState::Idle);

    let shown = if *hide {
        share::anonymize(&props.report)
    } else {
        props.report.clone()
    };
    let link = share::link(&props.page_url, &shown);

    let onhide = {
        let hide = hide.clone();
        let copy_state = copy_state.clone();
        Callback::from(move |event: Event| {
            let checkbox: HtmlInputElement = event.target_unchecked_into();
            hide.set(checkbox.checked());
            copy_state.set(CopyState::Idle);
        })
    };

    let button = |export: Export| {
        let text = export.render(&shown, &link, lang);
        let copy_state = copy_state.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let text = text.clone();
            let copy_state = copy_state.clone();
            spawn_local(async move {
                match clipboard::write_text(&text).await {
                    Ok(()) => copy_state.set(CopyState::Copied(export)),
                    Err(_) => copy_state.set(CopyState::Failed { export, text }),
                }
            });
        });
        html! {
            <button type="button" id={export.id()} {onclick}>{ export.label().text(lang) }</button>
        }
    };

    html! {
        <section id="share" class="share" aria-labelledby="share-heading">
            <h2 id="share-heading">{ ShareText::ExportHeading.text(lang) }</h2>
            <p class="hint">{ ShareText::HideHint.text(lang) }</p>
            <label class="option">
                <input type="checkbox" id="share-hide" checked={*hide} onchange={onhide} />
                { " " }{ ShareText::HideOption.text(lang) }
            </label>
            <label for="share-link">{ ShareText::LinkLabel.text(lang) }</label>
            <input id="share-link" type="text" readonly=true value={link.clone()}
                data-length={link.len().to_string()} />
            if link.len() > SAFE_LINK_CHARS {
                <p class="notice">{ ShareText::LinkTooLong.text(lang) }</p>
            }
            <div class="copy-buttons">
                { for Export::ALL.into_iter().map(button) }
            </div>
            { copy_status(&copy_state, lang) }
        </section>
    }
}

fn copy_status(state: &CopyState, lang: Lang) -> Html {
    match state {
        CopyState::Idle => html! {},
        CopyState::Copied(export) => html! {
            <p id="copy-status" role="status" data-copied={export.id()}>
                { ShareText::Copied.text(lang) }
            </p>
        },
        CopyState::Failed { export, text } => html! {
            <div id="copy-status" role="alert" data-failed={export.id()}>
                <p>{ ShareText::CopyFailed.text(lang) }</p>
                <textarea readonly=true rows="8" value={text.clone()} />
            </div>
        },
    }
}
