//! Every fact key the host collector writes, with its value type: the constants and the
//! table live in the model (`praxcheck_model::fact_keys`), so the collector, the rules'
//! checks and the documentation test share them; call sites write `keys::FIREWALL_ENABLED`,
//! never the string.

pub use praxcheck_model::fact_keys::*;
