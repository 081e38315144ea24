//! The registry form: what to check, in which cloud, with which credential, and how long to wait
//! for each response.

use acr_health_core::parse::registry_input::Cloud;
use acr_health_core::Lang;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::arm_fields::{derived_registry_name, ArmFields, ArmForm};
use crate::components::credentials::{CredentialForm, Credentials};
use crate::i18n::Ui;

/// The timeout of each request when the user does not change it.
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 10;
/// The maximum timeout the form accepts.
pub const MAX_TIMEOUT_SECONDS: u32 = 300;

/// Everything a run needs from the form. It contains the credential's secrets, so it has no
/// `Debug` that could print them.
#[derive(Clone, PartialEq)]
pub struct RunRequest {
    pub input: String,
    pub cloud: Cloud,
    pub credential: CredentialForm,
    /// The optional ARM token and settings.
    pub arm: ArmForm,
    pub timeout_ms: u32,
}

#[derive(Clone, PartialEq, Properties)]
pub struct RegistryFormProps {
    pub lang: Lang,
    #[prop_or_default]
    pub initial_registry: String,
    /// The cloud named in the address; an unknown name leaves the default selected.
    #[prop_or_default]
    pub initial_cloud: Option<String>,
    /// Starts a run once on mount when the registry is filled in.
    #[prop_or_default]
    pub autorun: bool,
    /// The registry's name in Azure from the address (`arm_registry=`).
    #[prop_or_default]
    pub initial_arm_registry: Option<String>,
    /// Offers the helper's `az` login for the ARM checks.
    #[prop_or_default]
    pub helper_can_use_az: bool,
    /// The ARM base URL from the address, shown beside the token field.
    #[prop_or_default]
    pub arm_url: Option<String>,
    pub running: bool,
    pub onrun: Callback<RunRequest>,
}

#[component]
pub fn RegistryForm(props: &RegistryFormProps) -> Html {
    let lang = props.lang;
    let input = use_state(|| props.initial_registry.clone());
    let cloud = use_state(|| {
        props
            .initial_cloud
            .as_deref()
            .and_then(Cloud::from_name)
            .unwrap_or_default()
    });
    let credential = use_state(CredentialForm::default);
    let arm = use_state(|| ArmForm {
        registry: props.initial_arm_registry.clone().unwrap_or_default(),
        ..ArmForm::default()
    });
    let timeout_seconds = use_state(|| DEFAULT_TIMEOUT_SECONDS);

    // Run once on mount when the embedding page asked for it.
    {
        let onrun = props.onrun.clone();
        let request = RunRequest {
            input: (*input).clone(),
            cloud: *cloud,
            credential: CredentialForm::default(),
            arm: (*arm).clone(),
            timeout_ms: DEFAULT_TIMEOUT_SECONDS * 1000,
        };
        let autorun = props.autorun && !request.input.trim().is_empty();
        use_effect_with((), move |_| {
            if autorun {
                onrun.emit(request);
            }
        });
    }

    let onsubmit = {
        let onrun = props.onrun.clone();
        let input = input.clone();
        let cloud = cloud.clone();
        let credential = credential.clone();
        let arm = arm.clone();
        let timeout_seconds = timeout_seconds.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            onrun.emit(RunRequest {
                input: (*input).clone(),
                cloud: *cloud,
                credential: (*credential).clone(),
                arm: (*arm).clone(),
                timeout_ms: *timeout_seconds * 1000,
            });
        })
    };

    let oninput = {
        let input = input.clone();
        Callback::from(move |event: InputEvent| {
            let field: HtmlInputElement = event.target_unchecked_into();
            input.set(field.value());
        })
    };

    let oncloud = {
        let cloud = cloud.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Some(chosen) = Cloud::from_name(&select.value()) {
                cloud.set(chosen);
            }
        })
    };

    let ontimeout = {
        let timeout_seconds = timeout_seconds.clone();
        Callback::from(move |event: InputEvent| {
            let field: HtmlInputElement = event.target_unchecked_into();
            // The field's min, max and step make the browser block the form while the text is
            // not a valid number, so a value that does not parse is never submitted.
            if let Ok(seconds) = field.value().trim().parse::<u32>() {
                if (1..=MAX_TIMEOUT_SECONDS).contains(&seconds) {
                    timeout_seconds.set(seconds);
                }
            }
        })
    };

    let oncredential = {
        let credential = credential.clone();
        Callback::from(move |value: CredentialForm| credential.set(value))
    };

    let onarm = {
        let arm = arm.clone();
        Callback::from(move |value: ArmForm| arm.set(value))
    };
    let derived_name = derived_registry_name(&input, *cloud);

    html! {
        <form class="registry-form" {onsubmit} autocomplete="off">
            <div class="field">
                <label for="registry">{ Ui::Registry.text(lang) }</label>
                <input id="registry" name="registry" type="text" required=true
                    spellcheck="false" autocapitalize="none" inputmode="url"
                    placeholder="myregistry.azurecr.io"
                    aria-describedby="registry-hint"
                    value={(*input).clone()} {oninput} />
                <p id="registry-hint" class="hint">{ Ui::RegistryHint.text(lang) }</p>
            </div>
            <div class="field">
                <label for="cloud">{ Ui::Cloud.text(lang) }</label>
                <select id="cloud" onchange={oncloud} aria-describedby="cloud-hint">
                    { for Cloud::ALL.iter().map(|option| html! {
                        <option value={option.as_str()} selected={*option == *cloud}>
                            { format!("{} ({})", option.as_str(), option.suffix()) }
                        </option>
                    }) }
                </select>
                <p id="cloud-hint" class="hint">{ Ui::CloudCustomNote.text(lang) }</p>
            </div>
            <Credentials {lang} value={(*credential).clone()} onchange={oncredential} />
            <ArmFields {lang} value={(*arm).clone()} onchange={onarm} {derived_name}
                helper_can_use_az={props.helper_can_use_az} custom_url={props.arm_url.clone()} />
            <div class="field">
                <label for="timeout">{ Ui::Timeout.text(lang) }</label>
                <input id="timeout" type="number" required=true min="1"
                    max={MAX_TIMEOUT_SECONDS.to_string()} step="1" inputmode="numeric"
                    value={timeout_seconds.to_string()} oninput={ontimeout} />
            </div>
            <button id="run" type="submit" disabled={props.running} aria-busy={props.running.then_some("true")}>
                { if props.running { Ui::Running.text(lang) } else { Ui::Run.text(lang) } }
            </button>
        </form>
    }
}
