//! Value types shared by every stage: dates, exact amounts, exact bounds.

/// Most characters (UTF-16 code units) a spreadsheet cell holds: longer
/// texts are refused when read, so every output can carry what was read.
pub const MAX_TEXT_UNITS: usize = 32_767;

/// Satisfaction scores (1–5) below this mean a dissatisfied customer, and
/// from `SATISFIED_FROM` a satisfied one: one definition, shared by the
/// SWOT and by the default rules (the loyalty × satisfaction matrix's bands,
/// the dissatisfied alert and the retention strategy, which a test holds to
/// these values). Below the middle of the scale is dissatisfied: a 2.5 of 5
/// is not an indifferent customer.
pub const DISSATISFIED_BELOW: f64 = 3.0;
pub const SATISFIED_FROM: f64 = 4.0;

pub mod amount;
pub mod date;
pub mod decimal;

pub use amount::Amount;
pub use date::{Date, MonthIndex};
pub use decimal::Bound;
pub mod fields;
pub mod ids;
pub mod records;
