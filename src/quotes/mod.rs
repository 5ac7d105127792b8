//! Quotations: verified quotations of the commentary and direct speech found in the seeds.

pub mod matcher;
pub mod speech;
