//! The models applied to a portfolio: both fitted on every customer's
//! purchase history up to the analysis date, then each customer's chance of
//! still being active, its expected purchases and revenue over the next
//! year, and the discounted value of its next years
//! (docs/metrics.md#forecast).

use super::bgnbd::{self, BgNbd, History};
use super::gammagamma::{self, GammaGamma, Spend};
use crate::metrics::PurchaseHistory;
use crate::model::Date;

/// The year ahead, in days.
pub const YEAR: f64 = 365.0;
/// A customer whose spend and frequency correlate beyond this (in absolute
/// value) breaks the spend model's assumption enough to say so.
pub const CORRELATION_WARNING: f64 = 0.3;

/// Fewer customers with purchases than this tell the models too little
/// about the portfolio's spread of rhythms to judge any one of them.
pub const MIN_CUSTOMERS: usize = 30;

/// The project's settings (`[forecast]` of kamplan.toml).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// Yearly rate at which future revenue is discounted.
    pub discount_rate: f64,
    /// Months of revenue the customer value adds up.
    pub value_months: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { discount_rate: 0.10, value_months: 36 }
    }
}

/// One customer's forecast.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CustomerOutlook {
    pub p_alive: f64,
    /// Expected purchase days in the next 365 days.
    pub expected_purchases: f64,
    /// Expected revenue per future purchase day; `None` without a spend model
    /// or when the customer's own repeat spend is not positive or not known.
    pub expected_spend: Option<f64>,
    /// The discounted revenue of the next `value_months` months, where the
    /// expected spend is known.
    pub value: Option<f64>,
}

impl CustomerOutlook {
    /// Expected revenue in the next 365 days.
    pub fn expected_revenue(&self) -> Option<f64> {
        self.expected_spend.map(|s| s * self.expected_purchases)
    }
}

/// The models fitted on a portfolio and what each customer gets from them.
#[derive(Clone, Debug, PartialEq)]
pub struct Outlook {
    pub settings: Settings,
    pub as_of: Date,
    /// The purchase model, or why it could not be fitted.
    pub purchases: Result<bgnbd::Fit, String>,
    /// The spend model, or why it could not be fitted (or used).
    pub spend: Result<gammagamma::Fit, String>,
    /// Customers with a purchase history: the purchase model's.
    pub customers: usize,
    /// Customers with repeat purchases left out of the spend model: their
    /// repeat days net to zero or less, or the first day's revenue is not known.
    pub spend_left_out: usize,
    /// Customers whose figures did not come out as finite numbers, left
    /// without a forecast rather than shown as such (none is expected).
    pub not_finite: usize,
}

impl Outlook {
    /// Whether the spend model's assumption of spend independent of
    /// frequency is doubtful on this data.
    pub fn spend_correlated(&self) -> bool {
        self.spend.as_ref().is_ok_and(|f| f.correlation.abs() > CORRELATION_WARNING)
    }
}

fn to_history(h: &PurchaseHistory, as_of: Date) -> History {
    History { x: h.days - 1, tx: f64::from(h.last - h.first), t: f64::from(as_of - h.first) }
}

/// The mean revenue of the repeat purchase days, when positive and known.
fn repeat_spend(h: &PurchaseHistory) -> Option<Spend> {
    let x = h.days.checked_sub(1).filter(|&x| x > 0)?;
    let mean = h.repeat_revenue?.to_f64() / f64::from(x);
    (mean > 0.0).then_some(Spend { x, mean })
}

/// Fits both models on the histories (one per customer, `None` without
/// purchases) as of `as_of`; `Outlook::customer` then forecasts each.
pub fn fit(histories: &[Option<PurchaseHistory>], as_of: Date, settings: Settings) -> Outlook {
    let known: Vec<History> = histories.iter().flatten().map(|h| to_history(h, as_of)).collect();
    let purchases = if known.len() < MIN_CUSTOMERS {
        let who = match known.len() {
            1 => "1 customer has".to_string(),
            n => format!("{n} customers have"),
        };
        Err(format!(
            "only {who} purchases, fewer than the {MIN_CUSTOMERS} the purchase model needs to tell a customer's silence from the portfolio's spread"
        ))
    } else {
        bgnbd::fit(&known)
    };
    let repeaters = histories.iter().flatten().filter(|h| h.days > 1).count();
    let spends: Vec<Spend> = histories.iter().flatten().filter_map(repeat_spend).collect();
    let spend = gammagamma::fit(&spends).and_then(|fit| match fit.model.population_mean() {
        Some(_) => Ok(fit),
        None => Err(format!(
            "the spend model's q = {:.3} is not above 1: spend per purchase varies too much across customers for a mean",
            fit.model.q
        )),
    });
    Outlook {
        settings,
        as_of,
        customers: known.len(),
        spend_left_out: repeaters - spends.len(),
        not_finite: 0,
        purchases,
        spend,
    }
}

impl Outlook {
    /// One customer's forecast; `None` without a fitted purchase model, or
    /// when its figures do not come out as finite numbers (then counted by
    /// `count_not_finite`).
    pub fn customer(&self, h: &PurchaseHistory) -> Option<CustomerOutlook> {
        let model = self.purchases.as_ref().ok()?.model;
        let history = to_history(h, self.as_of);
        let expected_spend = self.spend.as_ref().ok().and_then(|s| expected_spend(&s.model, h));
        let customer = CustomerOutlook {
            p_alive: model.p_alive(&history),
            expected_purchases: model.expected_purchases(&history, YEAR),
            expected_spend,
            value: expected_spend.map(|s| value(&model, &history, s, self.settings)),
        };
        let figures = [Some(customer.p_alive), Some(customer.expected_purchases), customer.value];
        figures.iter().flatten().all(|v| v.is_finite()).then_some(customer)
    }

    /// Notes the customers with a history that `customer` gave nothing.
    pub fn count_not_finite<'a>(
        &mut self,
        pairs: impl Iterator<Item = (Option<&'a PurchaseHistory>, Option<&'a CustomerOutlook>)>,
    ) {
        if self.purchases.is_ok() {
            self.not_finite = pairs.filter(|(h, c)| h.is_some() && c.is_none()).count();
        }
    }
}

/// A customer's expected spend per purchase: its own repeat spend weighed
/// with the portfolio's; the portfolio's without repeat purchases; none
/// when its repeat days net to zero or less, or are not known.
fn expected_spend(model: &GammaGamma, h: &PurchaseHistory) -> Option<f64> {
    match h.days {
        1 => model.expected_spend(0, None),
        _ => repeat_spend(h).and_then(|s| model.expected_spend(s.x, Some(s.mean))),
    }
}

/// The next `value_months` months of expected revenue, each month a twelfth
/// of a year discounted from its end at the yearly rate.
fn value(model: &BgNbd, history: &History, spend: f64, settings: Settings) -> f64 {
    let monthly = (1.0 + settings.discount_rate).powf(1.0 / 12.0) - 1.0;
    super::discounted_value(model, history, spend, settings.value_months, YEAR / 12.0, monthly)
}
