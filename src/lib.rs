//! The acr-health page.
