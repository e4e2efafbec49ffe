//! Value types shared by every stage: dates, exact amounts, exact bounds.

pub mod amount;
pub mod date;
pub mod decimal;

pub use amount::Amount;
pub use date::{Date, MonthIndex};
pub use decimal::Bound;
pub mod fields;
pub mod ids;
