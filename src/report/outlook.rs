//! The portfolio's forecast as the report shows it: the revenue expected in
//! the next 12 months and the revenue at risk, by class and by strategy,
//! and the fitted models for the appendix (docs/metrics.md#forecast).

use crate::classify::{ClassKind, Portfolio};
use crate::config::rules::Rules;
use serde::Serialize;

/// A customer below this chance of still buying counts as probably gone.
pub const PROBABLY_GONE: f64 = 0.5;

#[derive(Debug, Serialize)]
pub struct PortfolioOutlook {
    /// The first ABC classification, the one the table groups by.
    pub by_class: Option<OutlookTable>,
    pub by_strategy: Option<OutlookTable>,
    pub total: OutlookRow,
    /// Customers still buying in the window whom the model gives less than
    /// an even chance, and their revenue in the window.
    pub probably_gone: usize,
    pub probably_gone_revenue: f64,
    /// The spend model's assumption fails on this portfolio.
    pub rough: bool,
    pub models: Models,
}

#[derive(Debug, Serialize)]
pub struct OutlookTable {
    pub title: String,
    pub rows: Vec<OutlookRow>,
}

/// Figures of a group of customers, in whole currency units (so that a
/// total is the sum of the rows as printed).
#[derive(Debug, Default, Serialize)]
pub struct OutlookRow {
    pub label: String,
    pub customers: usize,
    /// Revenue of the window, scaled to 12 months.
    pub revenue_year: f64,
    /// `None` when the spend model is missing.
    pub expected_revenue: Option<f64>,
    /// Σ revenue_year × (1 − p_alive).
    pub at_risk: f64,
}

/// The fitted models, for the appendix.
#[derive(Debug, Serialize)]
pub struct Models {
    pub purchases: Option<PurchaseModel>,
    pub spend: Option<SpendModel>,
    /// Customers with repeat purchases left out of the spend model.
    pub spend_left_out: usize,
    pub value_months: u32,
    pub discount_rate: f64,
}

#[derive(Debug, Serialize)]
pub struct PurchaseModel {
    pub customers: usize,
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
    pub log_likelihood: f64,
    /// r/α × 365: the mean purchase days a year of an active customer.
    pub yearly_rate: f64,
    /// a/(a + b): the mean chance of stopping after a purchase day.
    pub dropout: f64,
}

#[derive(Debug, Serialize)]
pub struct SpendModel {
    pub customers: usize,
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
    pub log_likelihood: f64,
    /// γp/(q − 1): the mean spend per purchase day across the portfolio.
    pub mean_spend: f64,
    pub correlation: f64,
    pub correlation_limit: f64,
}

/// The report's outlook; `None` when the purchase model was not fitted.
pub fn portfolio_outlook(portfolio: &Portfolio, rules: &Rules) -> Option<PortfolioOutlook> {
    let o = &portfolio.outlook;
    let purchases = o.purchases.as_ref().ok()?;
    let with_spend = o.spend.is_ok();
    let scale = 12.0 / f64::from(portfolio.period.months);
    let group = |label: String, rows: &mut dyn Iterator<Item = usize>| {
        let mut line =
            OutlookRow { label, expected_revenue: with_spend.then_some(0.0), ..Default::default() };
        for r in rows {
            let row = &portfolio.rows[r];
            let revenue_year = row.metrics.revenue.to_f64() * scale;
            line.customers += 1;
            line.revenue_year += revenue_year;
            if let Some(c) = row.outlook {
                line.at_risk += revenue_year.max(0.0) * (1.0 - c.p_alive);
                if let Some(e) = line.expected_revenue.as_mut() {
                    *e += c.expected_revenue().unwrap_or(0.0);
                }
            }
        }
        line.revenue_year = line.revenue_year.round();
        line.at_risk = line.at_risk.round();
        line.expected_revenue = line.expected_revenue.map(f64::round);
        line
    };
    let all = 0..portfolio.rows.len();
    let by = |id: &str, labels: Vec<(String, String)>, title: String| {
        let rows = labels
            .into_iter()
            .map(|(value, label)| {
                let mut members =
                    all.clone().filter(|&r| portfolio.text(id, r).as_deref() == Some(&value));
                group(label, &mut members)
            })
            .filter(|row| row.customers > 0)
            .collect();
        OutlookTable { title, rows }
    };
    let locale = rules.locale;
    let titles = super::classification_titles(rules);
    let by_class =
        portfolio.classifications.iter().zip(&titles).find(|(c, _)| c.kind == ClassKind::Abc).map(
            |(c, t)| {
                let labels = c
                    .classes
                    .iter()
                    .map(|k| (k.clone(), locale.fill("Class {class}", &[("class", k)])))
                    .collect();
                by(&c.id, labels, t.title.clone())
            },
        );
    let by_strategy = (!rules.strategies.is_empty()).then(|| {
        let labels = rules.strategies.iter().map(|s| (s.id.clone(), s.title.clone())).collect();
        by("strategy", labels, locale.text("Strategy").to_string())
    });
    let parts = by_class.as_ref().or(by_strategy.as_ref());
    let total = match parts {
        // The total of a table is the sum of its rows as printed.
        Some(table) => OutlookRow {
            label: locale.text("Portfolio").to_string(),
            customers: table.rows.iter().map(|r| r.customers).sum(),
            revenue_year: table.rows.iter().map(|r| r.revenue_year).sum(),
            expected_revenue: with_spend
                .then(|| table.rows.iter().filter_map(|r| r.expected_revenue).sum()),
            at_risk: table.rows.iter().map(|r| r.at_risk).sum(),
        },
        None => group(locale.text("Portfolio").to_string(), &mut all.clone()),
    };
    let gone: Vec<usize> = all
        .clone()
        .filter(|&r| {
            let row = &portfolio.rows[r];
            row.metrics.revenue.is_positive()
                && row.outlook.is_some_and(|c| c.p_alive < PROBABLY_GONE)
        })
        .collect();
    let m = purchases.model;
    Some(PortfolioOutlook {
        by_class,
        by_strategy,
        total,
        probably_gone: gone.len(),
        probably_gone_revenue: gone
            .iter()
            .map(|&r| portfolio.rows[r].metrics.revenue.to_f64())
            .sum::<f64>()
            .round(),
        rough: o.spend_correlated(),
        models: Models {
            purchases: Some(PurchaseModel {
                customers: o.customers,
                r: m.r,
                alpha: m.alpha,
                a: m.a,
                b: m.b,
                log_likelihood: purchases.log_likelihood,
                yearly_rate: m.r / m.alpha * 365.0,
                dropout: m.a / (m.a + m.b),
            }),
            spend: o.spend.as_ref().ok().map(|s| SpendModel {
                customers: s.customers,
                p: s.model.p,
                q: s.model.q,
                gamma: s.model.gamma,
                log_likelihood: s.log_likelihood,
                mean_spend: s.model.population_mean().expect("a fitted spend model has q > 1"),
                correlation: s.correlation,
                correlation_limit: crate::forecast::outlook::CORRELATION_WARNING,
            }),
            spend_left_out: o.spend_left_out,
            value_months: o.settings.value_months,
            discount_rate: o.settings.discount_rate,
        },
    })
}
