//! The checks through Azure Resource Manager, from this machine.

pub mod az;
