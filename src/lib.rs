//! The acr-health page: a yew application that checks the path from this browser to a container
//! registry, and from this machine too when the helper runs next to it.
//!
//! [`app`] holds the state and its reducer, [`components`] render it, [`probe`] makes the
//! browser's requests and feeds them to the core's rules, [`helper`] talks to the optional
//! helper on loopback, and [`run`] starts both. Every verdict comes from `acr_health_core`; the
//! page only observes and renders.

pub mod api;
pub mod app;
pub mod components;
pub mod embed;
pub mod helper;
pub mod i18n;
pub mod page_url;
pub mod probe;
pub mod run;
pub mod share;

use wasm_bindgen::prelude::*;

/// The id of the element the page mounts into. Without it, the page takes the whole `<body>`.
pub const MOUNT_ID: &str = "acr-health";

/// Mounts the page when the module loads. `wasm-bindgen-test-runner` does not call start
/// functions, so tests mount the components they need themselves.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    // Loaded by `www/acr-health.js` for its JavaScript API: there is no page to mount.
    if api::is_library_host() {
        return Ok(());
    }
    let props = app::AppProps::from_window()?;
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsValue::from_str("no document: the page must run in a browser tab"))?;

    // The stylesheet switches its colors on `<html data-theme>`.
    if let Some(theme) = props.params.theme {
        let root = document
            .document_element()
            .ok_or_else(|| JsValue::from_str("the document has no root element"))?;
        root.set_attribute("data-theme", theme)?;
    }

    // A share link (`#report=`) opens the report it carries instead of the form.
    let shown = share::fragment_payload()?;
    reload_on_new_share_link(shown.clone())?;
    if let Some(payload) = shown {
        return share::view::mount_shared(&document, payload, props.initial_lang);
    }

    match document.get_element_by_id(MOUNT_ID) {
        Some(root) => {
            yew::Renderer::<app::App>::with_root_and_props(root, props).render();
        }
        None => {
            yew::Renderer::<app::App>::with_props(props).render();
        }
    }
    Ok(())
}

const RELOAD_FAILED: &str = "acr-health: could not open the new share link";

/// Reloads the page when its fragment comes to carry another share link than the one shown.
/// Pasting a link into the address bar of a tab that already shows this page changes only the
/// fragment, and browsers do not load the page again for that.
fn reload_on_new_share_link(shown: Option<String>) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let on_change = Closure::<dyn FnMut()>::new(move || {
        let payload = match share::fragment_payload() {
            Ok(payload) => payload,
            Err(error) => return app::report_js_error(RELOAD_FAILED, &error),
        };
        if payload.is_some() && payload != shown {
            if let Err(error) = web_sys::window()
                .ok_or_else(|| JsValue::from_str("no window"))
                .and_then(|window| window.location().reload())
            {
                app::report_js_error(RELOAD_FAILED, &error);
            }
        }
    });
    window.add_event_listener_with_callback("hashchange", on_change.as_ref().unchecked_ref())?;
    // The listener lives as long as the page, so its closure is never freed.
    on_change.forget();
    Ok(())
}
