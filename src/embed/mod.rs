//! Embedding the page in a portal: the `embedder=` parameter, the notes shown for embedding
//! values the page ignores, and the messages posted to the embedding page.
//!
//! # Query parameters
//!
//! `registry`, `cloud` (`AzureCloud`, `AzureChinaCloud`, `AzureUSGovernment`), `lang` (`en`,
//! `ko`), `autorun` (`1`, `true`, `yes`; `0`, `false`, `no`), `helper_port`, `theme` (`light`,
//! `dark`, `system`), `embedder` (the embedding page's origin, such as
//! `https://portal.example`), `arm_url` (the ARM base URL: an Azure cloud's management host,
//! or loopback for tests) and `arm_registry` (the registry's name in Azure). A value the page
//! cannot use is ignored and named in a visible note; the page never stops for it. A refused
//! `arm_url` turns the ARM checks off instead of falling back to another host. No parameter
//! carries an ARM token: the user pastes it, or a portal passes it to `runChecks`.
//!
//! # Messages
//!
//! Only with `embedder=` does the page post anything, and only to that origin: to the parent
//! window when framed, or to the window that opened it. Each message is a plain object with
//! `source: "acr-health"`, `type` and `run` (a number that grows with each run):
//! `{type: "progress", result}` once per finished check, and `{type: "report", report, link}`
//! when the run is done. `report` has the layout of `--output json`; `link` is the share link.
//!
//! # Content-Security-Policy
//!
//! The page loads nothing from another host. A portal that serves it, or frames it, under a
//! Content-Security-Policy needs at least:
//!
//! ```text
//! default-src 'self';
//! script-src 'self' 'wasm-unsafe-eval';
//! style-src 'self';
//! img-src 'self' data:;
//! connect-src 'self' https: http://127.0.0.1:* http://localhost:*;
//! frame-ancestors https://portal.example;
//! ```
//!
//! `'wasm-unsafe-eval'` lets the browser compile the WebAssembly module. `connect-src` must
//! allow the registries to check (`https:`, or the exact login servers), the cloud's ARM host
//! for the ARM checks (such as `https://management.azure.com`) and the helper on loopback. `frame-ancestors` names the portals allowed to frame the page; the page itself does
//! no frame-busting. The page's `index.html` starts the module from an inline
//! `<script type="module">`, so a policy without `'unsafe-inline'` needs that script's hash
//! (`'sha256-...'`) in `script-src`. A portal page that frames the page needs
//! `frame-src` for the page's origin, and one that imports `www/acr-health.js` from another
//! origin needs `script-src` and `connect-src` for it, with CORS
//! (`Access-Control-Allow-Origin`) on that origin's files.

pub mod notes;
pub mod params;
pub mod post;

pub use notes::EmbedNotes;
pub use params::{EmbedNote, EmbedParams, ParsedEmbed};
pub use post::{post_progress, post_report};
