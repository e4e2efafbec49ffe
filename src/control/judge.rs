//! The last plan judged against this window's results: each objective met,
//! missed, not yet due or not measurable, and the attainment by strategy and
//! by owner.

use super::record::{PlanKpi, PlanRow};
use crate::classify::Portfolio;
use crate::model::Date;

/// How an objective of the last plan came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Met,
    Missed,
    /// Its due date is after this analysis date: shown, not judged.
    NotDue,
    /// The metric has no value now (the customer left the data, or the
    /// value is missing or doubtful): not judged rather than called missed.
    NoValue,
    /// The plan could set no target.
    NoTarget,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Missed => "missed",
            Status::NotDue => "not_due",
            Status::NoValue => "no_value",
            Status::NoTarget => "no_target",
        }
    }
}

/// One objective of the last plan, with the result.
#[derive(Clone, Debug, PartialEq)]
pub struct Judged {
    pub customer_id: String,
    pub name: String,
    pub strategy_then: String,
    pub strategy_title_then: String,
    /// The strategy now; None when the customer is no longer in the data.
    pub strategy_now: Option<String>,
    pub kpi: PlanKpi,
    pub actual: Option<f64>,
    pub status: Status,
}

/// One customer of the last plan: its strategy then and now.
#[derive(Clone, Debug, PartialEq)]
pub struct Then {
    pub customer_id: String,
    pub key_account: bool,
    pub strategy_then: String,
    pub strategy_title_then: String,
    pub strategy_now: Option<String>,
}

/// The last plan against this window.
#[derive(Clone, Debug, PartialEq)]
pub struct Control {
    /// The analysis date of the last plan.
    pub plan_as_of: Date,
    /// Every customer of the last plan, in its order.
    pub customers: Vec<Then>,
    /// Every objective of the last plan, in its order.
    pub objectives: Vec<Judged>,
}

/// Objectives of a group, by how they came out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attainment {
    pub key: String,
    pub objectives: usize,
    pub met: usize,
    pub missed: usize,
    pub not_due: usize,
    /// Not judged: no value now, or no target in the plan.
    pub unmeasured: usize,
}

impl Attainment {
    /// Met among the objectives judged (met or missed); None when none was.
    pub fn rate(&self) -> Option<f64> {
        let judged = self.met + self.missed;
        (judged > 0).then(|| self.met as f64 / judged as f64)
    }

    fn add(&mut self, status: Status) {
        self.objectives += 1;
        match status {
            Status::Met => self.met += 1,
            Status::Missed => self.missed += 1,
            Status::NotDue => self.not_due += 1,
            Status::NoValue | Status::NoTarget => self.unmeasured += 1,
        }
    }
}

/// The months (as their last day) at whose end the objectives of `plan` due
/// by `as_of` are judged: each objective is measured on the window that ends
/// with the month of its due date.
pub fn due_months(plan: &[PlanRow], as_of: Date) -> Vec<Date> {
    let mut ends: Vec<Date> = plan
        .iter()
        .filter_map(|r| r.kpi.as_ref())
        .filter(|k| k.due <= as_of)
        .map(|k| Date::last_of_month(k.due.month_index()).min(as_of))
        .collect();
    ends.sort();
    ends.dedup();
    ends
}

/// Judges the plan `plan` against `portfolio`, whose analysis date must be
/// later than the plan's. `at_due` holds the portfolio classified at the end
/// of each month of [`due_months`] (the same window length); an objective
/// whose month has none is measured on `portfolio`.
pub fn judge(
    plan: &[PlanRow],
    portfolio: &Portfolio,
    at_due: &[(Date, Portfolio)],
) -> Result<Control, String> {
    let as_of = portfolio.period.as_of;
    let Some(plan_as_of) = plan.first().map(|r| r.as_of) else {
        return Err("it holds no plan (no row below the header)".into());
    };
    if plan_as_of >= as_of {
        return Err(format!(
            "it is the plan of {plan_as_of}, not earlier than this analysis date ({as_of}): there are no results to judge it by yet; point it at the record of an earlier build"
        ));
    }
    let mut customers: Vec<Then> = Vec::new();
    let mut objectives = Vec::new();
    for r in plan {
        let row = portfolio.row_of(&r.customer_id);
        let strategy_now = row.and_then(|row| portfolio.text("strategy", row));
        if customers.last().is_none_or(|c| c.customer_id != r.customer_id) {
            customers.push(Then {
                customer_id: r.customer_id.clone(),
                key_account: r.key_account,
                strategy_then: r.strategy.clone(),
                strategy_title_then: r.strategy_title.clone(),
                strategy_now: strategy_now.clone(),
            });
        }
        let Some(kpi) = &r.kpi else { continue };
        // Due by now: measured on the window ending with its due month.
        let end = Date::last_of_month(kpi.due.month_index()).min(as_of);
        let measured = match at_due.iter().find(|(d, _)| *d == end) {
            Some((_, p)) if kpi.due <= as_of => p,
            _ => portfolio,
        };
        let actual = measured
            .row_of(&r.customer_id)
            .and_then(|row| measured.facts.get(&kpi.metric, row)?.as_f64());
        let status = match (kpi.target, actual) {
            (None, _) => Status::NoTarget,
            _ if kpi.due > as_of => Status::NotDue,
            (_, None) => Status::NoValue,
            (Some(target), Some(actual)) if kpi.comparison.holds(actual, target) => Status::Met,
            _ => Status::Missed,
        };
        objectives.push(Judged {
            customer_id: r.customer_id.clone(),
            name: r.name.clone(),
            strategy_then: r.strategy.clone(),
            strategy_title_then: r.strategy_title.clone(),
            strategy_now,
            kpi: kpi.clone(),
            actual,
            status,
        });
    }
    Ok(Control { plan_as_of, customers, objectives })
}

impl Control {
    /// The objectives of the customer `customer_id`.
    pub fn of(&self, customer_id: &str) -> impl Iterator<Item = &Judged> {
        self.objectives.iter().filter(move |j| j.customer_id == customer_id)
    }

    /// The customer's strategy in the last plan, if it was in it.
    pub fn then(&self, customer_id: &str) -> Option<&Then> {
        self.customers.iter().find(|c| c.customer_id == customer_id)
    }

    /// Attainment of all objectives.
    pub fn total(&self) -> Attainment {
        let mut total = Attainment { key: String::new(), ..Default::default() };
        self.objectives.iter().for_each(|j| total.add(j.status));
        total
    }

    /// Attainment grouped by `key` (the strategy then, the owner…), groups
    /// in the order they first appear.
    pub fn by(&self, key: impl Fn(&Judged) -> &str) -> Vec<Attainment> {
        let mut groups: Vec<Attainment> = Vec::new();
        for j in &self.objectives {
            let k = key(j);
            let at = match groups.iter().position(|g| g.key == k) {
                Some(i) => i,
                None => {
                    groups.push(Attainment { key: k.to_string(), ..Default::default() });
                    groups.len() - 1
                }
            };
            groups[at].add(j.status);
        }
        groups
    }
}
