//! The credential fields. What the user types stays in memory, in this component and in the
//! request handed to the run. It is never written to the address, storage or a log. The secret
//! fields are password inputs, so nothing here is rendered back in full.

use acr_health_core::rules::registry::Credential;
use acr_health_core::Lang;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::Ui;

/// The kind of credential the user gives. Each kind selects its token flow in the core.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CredentialKind {
    #[default]
    Anonymous,
    Password,
    AadToken,
    RefreshToken,
}

impl CredentialKind {
    pub const ALL: [CredentialKind; 4] = [
        CredentialKind::Anonymous,
        CredentialKind::Password,
        CredentialKind::AadToken,
        CredentialKind::RefreshToken,
    ];

    /// Returns the value of the option, which is also the helper API's `kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKind::Anonymous => "anonymous",
            CredentialKind::Password => "password",
            CredentialKind::AadToken => "aad_token",
            CredentialKind::RefreshToken => "refresh_token",
        }
    }

    pub fn from_value(value: &str) -> Option<CredentialKind> {
        CredentialKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == value)
    }

    fn label(self) -> Ui {
        match self {
            CredentialKind::Anonymous => Ui::CredentialAnonymous,
            CredentialKind::Password => Ui::CredentialPassword,
            CredentialKind::AadToken => Ui::CredentialAadToken,
            CredentialKind::RefreshToken => Ui::CredentialRefreshToken,
        }
    }
}

/// The values of the credential fields. Fields that the chosen kind does not use are ignored.
#[derive(Clone, Default, PartialEq)]
pub struct CredentialForm {
    pub kind: CredentialKind,
    pub username: String,
    pub password: String,
    pub token: String,
    pub tenant: String,
}

impl std::fmt::Debug for CredentialForm {
    // Shows which fields are filled in, never their secret values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialForm")
            .field("kind", &self.kind)
            .field("username", &self.username)
            .field("password_set", &!self.password.is_empty())
            .field("token_set", &!self.token.is_empty())
            .field("tenant", &self.tenant)
            .finish()
    }
}

/// The field of [`CredentialForm`] that an input edits.
#[derive(Clone, Copy)]
enum Field {
    Username,
    Password,
    Token,
    Tenant,
}

#[derive(Clone, PartialEq, Properties)]
pub struct CredentialsProps {
    pub lang: Lang,
    pub value: CredentialForm,
    pub onchange: Callback<CredentialForm>,
}

#[component]
pub fn Credentials(props: &CredentialsProps) -> Html {
    let lang = props.lang;
    let form = &props.value;

    let onkind = {
        let value = form.clone();
        let onchange = props.onchange.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Some(kind) = CredentialKind::from_value(&select.value()) {
                onchange.emit(CredentialForm { kind, ..value.clone() });
            }
        })
    };

    let oninput = |field: Field| {
        let value = form.clone();
        let onchange = props.onchange.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let mut next = value.clone();
            let text = input.value();
            match field {
                Field::Username => next.username = text,
                Field::Password => next.password = text,
                Field::Token => next.token = text,
                Field::Tenant => next.tenant = text,
            }
            onchange.emit(next);
        })
    };

    let fields = match form.kind {
        CredentialKind::Anonymous => html! {},
        CredentialKind::Password => html! {
            <>
                <label for="username">{ Ui::Username.text(lang) }</label>
                <input id="username" type="text" autocomplete="off" spellcheck="false"
                    value={form.username.clone()} oninput={oninput(Field::Username)} />
                <label for="password">{ Ui::Password.text(lang) }</label>
                <input id="password" type="password" autocomplete="off"
                    value={form.password.clone()} oninput={oninput(Field::Password)} />
            </>
        },
        CredentialKind::AadToken => html! {
            <>
                <label for="token">{ Ui::AadToken.text(lang) }</label>
                <input id="token" type="password" autocomplete="off" spellcheck="false"
                    aria-describedby="token-hint"
                    value={form.token.clone()} oninput={oninput(Field::Token)} />
                <p id="token-hint" class="hint">{ Ui::AadTokenHint.text(lang) }</p>
                <label for="tenant">{ Ui::Tenant.text(lang) }</label>
                <input id="tenant" type="text" autocomplete="off" spellcheck="false"
                    value={form.tenant.clone()} oninput={oninput(Field::Tenant)} />
            </>
        },
        CredentialKind::RefreshToken => html! {
            <>
                <label for="token">{ Ui::RefreshToken.text(lang) }</label>
                <input id="token" type="password" autocomplete="off" spellcheck="false"
                    aria-describedby="token-hint"
                    value={form.token.clone()} oninput={oninput(Field::Token)} />
                <p id="token-hint" class="hint">{ Ui::RefreshTokenHint.text(lang) }</p>
            </>
        },
    };

    html! {
        <fieldset class="credentials">
            <legend>{ Ui::Credentials.text(lang) }</legend>
            <label for="credential-kind" class="visually-hidden">{ Ui::Credentials.text(lang) }</label>
            <select id="credential-kind" onchange={onkind}>
                { for CredentialKind::ALL.iter().map(|kind| html! {
                    <option value={kind.as_str()} selected={*kind == form.kind}>
                        { kind.label().text(lang) }
                    </option>
                }) }
            </select>
            { fields }
            if form.kind != CredentialKind::Anonymous {
                <p class="hint">{ Ui::CredentialsKept.text(lang) }</p>
            }
        </fieldset>
    }
}

impl CredentialForm {
    /// Returns the core's credential for the chosen kind. Surrounding whitespace of a pasted
    /// token or user name is dropped; a password is taken exactly as typed.
    pub fn to_core(&self) -> Credential {
        match self.kind {
            CredentialKind::Anonymous => Credential::Anonymous,
            CredentialKind::Password => Credential::Password {
                username: self.username.trim().to_owned(),
                password: self.password.clone(),
            },
            CredentialKind::AadToken => Credential::AadToken {
                token: self.token.trim().to_owned(),
                tenant: Some(self.tenant.trim().to_owned()).filter(|tenant| !tenant.is_empty()),
            },
            CredentialKind::RefreshToken => Credential::RefreshToken {
                token: self.token.trim().to_owned(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kind: CredentialKind) -> CredentialForm {
        CredentialForm {
            kind,
            username: " admin ".to_owned(),
            password: " pass word ".to_owned(),
            token: " tok-secret\n".to_owned(),
            tenant: "  ".to_owned(),
        }
    }

    #[test]
    fn to_core_maps_each_kind() {
        let cases = [
            (CredentialKind::Anonymous, Credential::Anonymous),
            (
                CredentialKind::Password,
                Credential::Password {
                    username: "admin".to_owned(),
                    password: " pass word ".to_owned(),
                },
            ),
            (
                CredentialKind::AadToken,
                Credential::AadToken {
                    token: "tok-secret".to_owned(),
                    tenant: None,
                },
            ),
            (
                CredentialKind::RefreshToken,
                Credential::RefreshToken {
                    token: "tok-secret".to_owned(),
                },
            ),
        ];
        for (kind, expected) in cases {
            assert_eq!(form(kind).to_core(), expected, "{kind:?}");
        }
    }

    #[test]
    fn debug_hides_secrets() {
        let debug = format!("{:?}", form(CredentialKind::Password));
        assert!(!debug.contains("pass word"), "{debug}");
        assert!(!debug.contains("tok-secret"), "{debug}");
    }

    #[test]
    fn kind_values_round_trip() {
        for kind in CredentialKind::ALL {
            assert_eq!(CredentialKind::from_value(kind.as_str()), Some(kind));
        }
    }
}
