//! Value types shared by every stage: dates, exact amounts, exact bounds.

/// Most characters (UTF-16 code units) a spreadsheet cell holds: longer
/// texts are refused when read, so every output can carry what was read.
pub const MAX_TEXT_UNITS: usize = 32_767;

pub mod amount;
pub mod date;
pub mod decimal;

pub use amount::Amount;
pub use date::{Date, MonthIndex};
pub use decimal::Bound;
pub mod fields;
pub mod ids;
