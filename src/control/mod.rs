//! Control of the last plan: every build records each customer's strategy
//! and the targets of its objectives ([`record`], `plans.csv`); a later build
//! pointed at that record judges each objective against the results of its
//! own window ([`judge`]).

pub mod judge;
pub mod record;

pub use judge::{Attainment, Control, Judged, Status, due_months, judge};
pub use record::{Comparison, PlanKpi, PlanRow};
