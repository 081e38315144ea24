//! Reports rendered for people and programs: the az-style text of the CLI (English and
//! Korean), and the versioned JSON of `--output json` and the helper API.

mod json;
pub mod markdown;
mod text;

pub use json::{from_json, to_json, JsonError};
pub use text::{status_label, summary, to_text};
