//! The page's components, one per file. Each takes the current language as a prop and reads its
//! words from [`crate::i18n`] or the core, so a language switch re-renders everything.

pub mod arm_fields;
pub mod check_row;
pub mod credentials;
pub mod header;
pub mod helper_panel;
pub mod registry_form;
pub mod results;
pub mod summary;
