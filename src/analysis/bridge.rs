//! The revenue bridge of the portfolio (docs/metrics.md#revenue-bridge):
//! from the previous window's revenue to this window's, through the
//! customers who are new, returning, growing, declining and lost, and the
//! causes of the change of those who bought in both windows.

use crate::classify::Portfolio;
use crate::drivers::Drivers;
use crate::metrics::CustomerMetrics;
use crate::model::Amount;

/// A step of the bridge: how many customers, and what they changed (a
/// fall is negative).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Step {
    pub customers: usize,
    pub amount: Amount,
}

impl Step {
    fn add(&mut self, amount: Amount) {
        self.customers += 1;
        self.amount += amount;
    }
}

/// Where a customer stands between the two windows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Movement {
    /// Lines in this window, none before it.
    New,
    /// Lines in this window, none in the previous one, some before that.
    Returning,
    /// Lines in both windows.
    Continuing,
    /// Lines in the previous window, none in this one.
    Lost,
    /// No lines in either window.
    Absent,
}

impl Movement {
    /// The name the documents' templates test for.
    pub fn name(self) -> &'static str {
        match self {
            Movement::New => "new",
            Movement::Returning => "returning",
            Movement::Continuing => "continuing",
            Movement::Lost => "lost",
            Movement::Absent => "absent",
        }
    }
}

/// A customer's place in the bridge.
pub fn movement(m: &CustomerMetrics) -> Movement {
    match (m.bought.previous, m.bought.current) {
        (true, true) => Movement::Continuing,
        (true, false) => Movement::Lost,
        (false, true) if m.bought.earlier => Movement::Returning,
        (false, true) => Movement::New,
        (false, false) => Movement::Absent,
    }
}

/// The portfolio's bridge. `revenue_prev` plus every step's amount is
/// `revenue` exactly.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bridge {
    pub revenue_prev: Amount,
    pub revenue: Amount,
    pub new: Step,
    pub returning: Step,
    /// Continuing customers whose revenue rose, and whose revenue fell.
    pub growth: Step,
    pub decline: Step,
    /// Continuing customers with the same revenue in both windows.
    pub unchanged: usize,
    /// Their previous revenue, negative.
    pub lost: Step,
    /// The change of the continuing customers by cause, summed over them;
    /// `None` unless the sales have products and quantities.
    pub drivers: Option<Drivers>,
}

impl Bridge {
    /// The steps in the order the bridge adds them.
    pub fn steps(&self) -> [Step; 5] {
        [self.new, self.returning, self.growth, self.decline, self.lost]
    }
}

/// The bridge of `portfolio`'s revenue from the previous window to this one.
pub fn bridge(portfolio: &Portfolio) -> Bridge {
    let mut b = Bridge::default();
    let mut drivers: Option<Drivers> = None;
    for row in &portfolio.rows {
        let m = &row.metrics;
        b.revenue_prev += m.revenue_prev;
        b.revenue += m.revenue;
        let change = m.revenue - m.revenue_prev;
        match movement(m) {
            Movement::New => b.new.add(m.revenue),
            Movement::Returning => b.returning.add(m.revenue),
            Movement::Lost => b.lost.add(-m.revenue_prev),
            Movement::Absent => {}
            Movement::Continuing => {
                match change.units().signum() {
                    1 => b.growth.add(change),
                    -1 => b.decline.add(change),
                    _ => b.unchanged += 1,
                }
                if let Some(d) = m.drivers {
                    *drivers.get_or_insert_with(Drivers::default) += d;
                }
            }
        }
    }
    b.drivers = drivers;
    b
}
