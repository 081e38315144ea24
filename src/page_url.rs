//! The page's options from its own address: embedding options in the query string, and the
//! helper's pairing secret in the fragment, which browsers never send to any server. The
//! embedding (`embedder=`) and share link (`report=`) parameters are read by `embed` and
//! `share`.

use acr_health_core::rules::arm::{arm_base_url, ArmUrlError};
use acr_health_core::Lang;
use wasm_bindgen::JsValue;
use web_sys::UrlSearchParams;

/// The helper's port when the address does not name one.
pub const DEFAULT_HELPER_PORT: u16 = 8765;

/// Options taken from the page's address.
#[derive(Clone, PartialEq, Default)]
pub struct PageParams {
    /// `registry=`: the registry to fill into the form.
    pub registry: Option<String>,
    /// `cloud=`: the cloud to resolve a bare registry name in, as written in the address.
    pub cloud: Option<String>,
    /// `lang=`: a language that wins over the browser's preferences.
    pub lang: Option<Lang>,
    /// `autorun=1` or `autorun=true`: run the checks as soon as the page has loaded.
    pub autorun: bool,
    /// `helper_port=`: where to look for the helper on loopback.
    pub helper_port: u16,
    /// Whether the address named `helper_port`, rather than the page taking the default.
    pub helper_port_given: bool,
    /// `theme=light` or `theme=dark`: a color theme that wins over the system setting.
    pub theme: Option<&'static str>,
    /// `pair=` in the fragment: the secret the helper printed, needed to run its checks.
    pub pairing_secret: Option<String>,
    /// `arm_url=`: where ARM requests go instead of the cloud's default.
    pub arm_url: ArmUrl,
    /// `arm_registry=`: the registry's name in Azure, filled into the form.
    pub arm_registry: Option<String>,
}

/// The ARM base URL the address names. An ARM token is a bearer credential for a whole
/// tenant's resources, so an address that names a host the core rejects turns the ARM checks
/// off rather than falling back to another host.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ArmUrl {
    /// No `arm_url=`: the default of the registry's cloud.
    #[default]
    Default,
    /// A URL the core accepted, normalized (no trailing slash).
    Given(String),
    /// An `arm_url=` the core rejected, so no ARM request may be sent.
    Refused,
}

impl std::fmt::Debug for PageParams {
    // The pairing secret stays out of every log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageParams")
            .field("registry", &self.registry)
            .field("cloud", &self.cloud)
            .field("lang", &self.lang)
            .field("autorun", &self.autorun)
            .field("helper_port", &self.helper_port)
            .field("helper_port_given", &self.helper_port_given)
            .field("theme", &self.theme)
            .field("paired", &self.pairing_secret.is_some())
            .field("arm_url", &self.arm_url)
            .field("arm_registry", &self.arm_registry)
            .finish()
    }
}

/// A value in the address that the page cannot use. The page shows it instead of silently
/// falling back to a default.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamError {
    HelperPort(String),
    Lang(String),
    Theme(String),
    /// `arm_url=` as written, and why the core rejected it.
    ArmUrl(String, ArmUrlError),
}

impl PageParams {
    /// Parses `location.search` and `location.hash` (each with or without its leading `?` or
    /// `#`). Returns the options and the values it had to reject.
    pub fn parse(search: &str, hash: &str) -> Result<(PageParams, Vec<ParamError>), JsValue> {
        let query = UrlSearchParams::new_with_str(search.trim_start_matches('?'))?;
        let fragment = UrlSearchParams::new_with_str(hash.trim_start_matches('#'))?;
        let mut errors = Vec::new();

        let lang = match query.get("lang") {
            None => None,
            Some(tag) => {
                let lang = Lang::from_tag(&tag);
                if lang.is_none() {
                    errors.push(ParamError::Lang(tag));
                }
                lang
            }
        };

        let helper_port_given = query.has("helper_port");
        let helper_port = match query.get("helper_port") {
            None => DEFAULT_HELPER_PORT,
            Some(text) => match text.trim().parse::<u16>() {
                Ok(port) if port != 0 => port,
                _ => {
                    errors.push(ParamError::HelperPort(text));
                    DEFAULT_HELPER_PORT
                }
            },
        };

        let theme = match query.get("theme") {
            None => None,
            Some(name) => match name.trim() {
                "light" => Some("light"),
                "dark" => Some("dark"),
                // `system` (or `auto`) is the system setting, which applies without an attribute.
                "system" | "auto" | "" => None,
                _ => {
                    errors.push(ParamError::Theme(name));
                    None
                }
            },
        };

        let autorun = matches!(
            query.get("autorun").as_deref().map(str::trim),
            Some("1" | "true" | "yes" | "")
        );

        let arm_url = match query.get("arm_url") {
            None => ArmUrl::Default,
            Some(text) => match arm_base_url(&text) {
                Ok(url) => ArmUrl::Given(url),
                Err(error) => {
                    errors.push(ParamError::ArmUrl(text, error));
                    ArmUrl::Refused
                }
            },
        };

        let params = PageParams {
            registry: non_empty(query.get("registry")),
            cloud: non_empty(query.get("cloud")),
            lang,
            autorun,
            helper_port,
            helper_port_given,
            theme,
            pairing_secret: non_empty(fragment.get("pair")),
            arm_url,
            arm_registry: non_empty(query.get("arm_registry")),
        };
        Ok((params, errors))
    }

    /// Reads the options from the current window's address.
    pub fn from_window() -> Result<(PageParams, Vec<ParamError>), JsValue> {
        let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
        let location = window.location();
        PageParams::parse(&location.search()?, &location.hash()?)
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}
