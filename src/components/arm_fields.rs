//! The optional "Azure Resource Manager" group of the form: an ARM access token, the registry's
//! name in Azure, and, with a paired helper that can, permission for the helper to use the
//! machine's `az` login.
//!
//! The token stays in this component's state and in the run request, never in the address,
//! storage or a log; its input is a password field, so it is never rendered back in full.

use acr_health_core::parse::registry_input::{self, Cloud};
use acr_health_core::Lang;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::Ui;

/// What the user gave for the ARM checks. An empty token means the browser runs no ARM check.
#[derive(Clone, Default, PartialEq)]
pub struct ArmForm {
    pub token: String,
    /// The registry's name in Azure; empty to let the core derive it.
    pub registry: String,
    /// Whether the helper may get a token from the machine's `az` login.
    pub from_az: bool,
}

impl std::fmt::Debug for ArmForm {
    // Shows whether a token is there, never the token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArmForm")
            .field("token_set", &!self.token.trim().is_empty())
            .field("registry", &self.registry)
            .field("from_az", &self.from_az)
            .finish()
    }
}

impl ArmForm {
    /// The pasted token without surrounding whitespace, or `None` when the field is empty.
    pub fn token(&self) -> Option<&str> {
        Some(self.token.trim()).filter(|token| !token.is_empty())
    }

    /// The registry name the user typed, or `None` to let the core derive it.
    pub fn registry_name(&self) -> Option<&str> {
        Some(self.registry.trim()).filter(|name| !name.is_empty())
    }
}

/// Returns the registry name the core derives from the form's registry input: the first label
/// of an Azure login server (`myreg.azurecr.io` gives `myreg`, and so does a bare `myreg`).
/// `None` when the input names another host, which the core then finds by its login server.
pub fn derived_registry_name(input: &str, cloud: Cloud) -> Option<String> {
    let server = registry_input::parse(input, cloud).ok()?;
    server.cloud?;
    server.host.split('.').next().map(str::to_owned)
}

/// The registry names ACR accepts, as an HTML `pattern` (matched against the whole value).
pub const REGISTRY_NAME_PATTERN: &str = "[A-Za-z0-9]{5,50}";

/// The field of [`ArmForm`] that an input edits.
#[derive(Clone, Copy)]
enum Field {
    Token,
    Registry,
}

#[derive(Clone, PartialEq, Properties)]
pub struct ArmFieldsProps {
    pub lang: Lang,
    pub value: ArmForm,
    pub onchange: Callback<ArmForm>,
    /// The name the core would use when the registry field stays empty, shown as its
    /// placeholder; `None` when the registry is found by its login server.
    #[prop_or_default]
    pub derived_name: Option<String>,
    /// Offers the `az` login checkbox: a paired helper that runs ARM checks is present.
    #[prop_or_default]
    pub helper_can_use_az: bool,
    /// The ARM base URL named in the page's address, shown so the user sees where the token
    /// goes. `None` for the cloud's default.
    #[prop_or_default]
    pub custom_url: Option<String>,
}

#[component]
pub fn ArmFields(props: &ArmFieldsProps) -> Html {
    let lang = props.lang;
    let form = &props.value;

    let oninput = |field: Field| {
        let value = form.clone();
        let onchange = props.onchange.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let mut next = value.clone();
            match field {
                Field::Token => next.token = input.value(),
                Field::Registry => next.registry = input.value(),
            }
            onchange.emit(next);
        })
    };

    let onfromaz = {
        let value = form.clone();
        let onchange = props.onchange.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            onchange.emit(ArmForm {
                from_az: input.checked(),
                ..value.clone()
            });
        })
    };

    let placeholder = props
        .derived_name
        .clone()
        .unwrap_or_else(|| Ui::ArmRegistryByLoginServer.text(lang).to_owned());

    html! {
        <fieldset class="credentials arm">
            <legend>{ Ui::ArmGroup.text(lang) }</legend>
            <p class="hint">{ Ui::ArmGroupHint.text(lang) }</p>
            <label for="arm-token">{ Ui::ArmToken.text(lang) }</label>
            <input id="arm-token" type="password" autocomplete="off" spellcheck="false"
                aria-describedby="arm-token-hint"
                value={form.token.clone()} oninput={oninput(Field::Token)} />
            <p id="arm-token-hint" class="hint">{ Ui::ArmTokenHint.text(lang) }</p>
            if let Some(url) = &props.custom_url {
                <p id="arm-url" class="hint">{ Ui::ArmUrlInUse.text(lang) }{ " " }<code>{ url }</code></p>
            }
            <label for="arm-registry">{ Ui::ArmRegistry.text(lang) }</label>
            // An ACR name is 5 to 50 letters and digits. The pattern makes the browser block the
            // form on any other name, which the helper would reject with its whole run.
            <input id="arm-registry" type="text" autocomplete="off" spellcheck="false"
                autocapitalize="none" aria-describedby="arm-registry-hint"
                pattern={REGISTRY_NAME_PATTERN}
                placeholder={placeholder}
                value={form.registry.clone()} oninput={oninput(Field::Registry)} />
            <p id="arm-registry-hint" class="hint">{ Ui::ArmRegistryHint.text(lang) }</p>
            if props.helper_can_use_az {
                <label class="checkbox" for="arm-from-az">
                    <input id="arm-from-az" type="checkbox" checked={form.from_az}
                        aria-describedby="arm-from-az-hint" onchange={onfromaz} />
                    { " " }{ Ui::ArmFromAz.text(lang) }
                </label>
                <p id="arm-from-az-hint" class="hint">{ Ui::ArmFromAzHint.text(lang) }</p>
            }
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_name_is_the_first_label_of_an_azure_login_server() {
        let cases = [
            ("myreg", Cloud::AzureCloud, Some("myreg")),
            ("myreg.azurecr.io", Cloud::AzureCloud, Some("myreg")),
            (
                "https://MyReg.azurecr.cn/v2/",
                Cloud::AzureCloud,
                Some("myreg"),
            ),
            ("myreg", Cloud::AzureUSGovernment, Some("myreg")),
            ("127.0.0.1:5000", Cloud::AzureCloud, None),
            ("registry.example.test", Cloud::AzureCloud, None),
            ("", Cloud::AzureCloud, None),
        ];
        for (input, cloud, expected) in cases {
            assert_eq!(
                derived_registry_name(input, cloud).as_deref(),
                expected,
                "{input:?} in {cloud:?}"
            );
        }
    }

    #[test]
    fn empty_fields_leave_the_choice_to_the_core() {
        let form = ArmForm {
            token: " \n".to_owned(),
            registry: "  ".to_owned(),
            from_az: false,
        };
        assert_eq!(form.token(), None);
        assert_eq!(form.registry_name(), None);

        let form = ArmForm {
            token: " eyJ.arm.token\n".to_owned(),
            registry: " labreg ".to_owned(),
            from_az: true,
        };
        assert_eq!(form.token(), Some("eyJ.arm.token"));
        assert_eq!(form.registry_name(), Some("labreg"));
    }

    #[test]
    fn debug_hides_the_token() {
        let form = ArmForm {
            token: "arm-secret-token".to_owned(),
            registry: "labreg".to_owned(),
            from_az: false,
        };
        let debug = format!("{form:?}");
        assert!(!debug.contains("arm-secret-token"), "{debug}");
        assert!(debug.contains("token_set: true"), "{debug}");
    }
}
