//! The catalog: for every [`crate::Code`], its severity and its explanation in each language.
