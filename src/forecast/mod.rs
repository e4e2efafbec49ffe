//! Forward-looking models of each customer's purchases, fitted on the whole
//! history: whether a customer is still active and how often it is expected
//! to buy (BG/NBD, `bgnbd`), and how much it is expected to spend per
//! purchase (Gamma-Gamma, `gammagamma`). Pure computation: the summaries
//! come in, the fitted models go out.

pub mod bgnbd;
pub mod gammagamma;
mod optimize;
pub mod outlook;
mod special;

/// The discounted value of a customer's expected purchases over `periods`
/// periods of `length` time units each: per period, the purchases expected
/// in it times `spend`, discounted at `rate` per period from the period's
/// end (the form of lifetimes' `customer_lifetime_value`).
pub fn discounted_value(
    model: &bgnbd::BgNbd,
    history: &bgnbd::History,
    spend: f64,
    periods: u32,
    length: f64,
    rate: f64,
) -> f64 {
    let mut before = 0.0;
    let mut value = 0.0;
    for i in 1..=periods {
        let through = model.expected_purchases(history, f64::from(i) * length);
        value += spend * (through - before) / (1.0 + rate).powi(i as i32);
        before = through;
    }
    value
}
