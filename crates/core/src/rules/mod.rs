//! The rules that turn observations into verdicts. The page and the helper both call these, so
//! one server behaviour always gets one code.

pub mod arm;
pub mod environment;
pub mod registry;
