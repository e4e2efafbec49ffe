//! The BG/NBD model of repeat purchases (Fader, Hardie & Lee 2005,
//! "Counting your customers the easy way"): while active, a customer buys
//! at a rate drawn from a gamma distribution (r, α); after each purchase it
//! drops out with a probability drawn from a beta distribution (a, b).
//! Fitted by maximum likelihood on each customer's repeat purchases `x`,
//! the time `tx` of its last purchase and its age `t`, all from its first
//! purchase; the time unit is the caller's (kamplan uses days).
//!
//! The likelihood is summed in log space over the distinct (x, tx, t)
//! patterns, maximised over the logarithms of the parameters (so they stay
//! positive) by BFGS with the analytic gradient, from r = α = a = b = 1.

use super::optimize::maximise_log_parameters;
use super::special::{digamma, ln_gamma};
use std::collections::BTreeMap;

/// One customer's purchase history, from its first purchase.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct History {
    /// Repeat purchases: purchases after the first.
    pub x: u32,
    /// Time from the first purchase to the last.
    pub tx: f64,
    /// Time from the first purchase to the analysis date.
    pub t: f64,
}

/// The model's parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// A fitted model and how the fit went.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fit {
    pub model: BgNbd,
    /// The maximised log-likelihood, over all customers.
    pub log_likelihood: f64,
    pub iterations: usize,
}

/// Fits the model; an error says why the data cannot inform it.
pub fn fit(histories: &[History]) -> Result<Fit, String> {
    if histories.is_empty() {
        return Err("no customer with purchases to fit the purchase model on".into());
    }
    if histories.iter().all(|h| h.x == 0) {
        return Err(
            "no customer has bought on two different days: the purchase model needs repeat purchases"
                .into(),
        );
    }
    if histories.iter().any(|h| !(h.tx >= 0.0 && h.t >= h.tx && h.t.is_finite())) {
        return Err("a purchase history ends after the analysis date".into());
    }
    if histories.iter().all(|h| h.x == 0 || h.tx == 0.0) {
        return Err("every repeat purchase falls on the day of the first: the purchase rate cannot be estimated".into());
    }
    // Fitted with the longest age as the time unit, where the start r = α =
    // a = b = 1 is near the optimum whatever the caller's unit; α and the
    // likelihood are then brought back to that unit (a time unit k times
    // larger divides α by k and adds Σx·ln k to the log-likelihood).
    let scale = histories.iter().fold(0f64, |m, h| m.max(h.t)).max(f64::MIN_POSITIVE);
    let scaled: Vec<History> =
        histories.iter().map(|h| History { tx: h.tx / scale, t: h.t / scale, ..*h }).collect();
    let repeats: f64 = histories.iter().map(|h| f64::from(h.x)).sum();
    let patterns = patterns(&scaled);
    let found = maximise_log_parameters(|p| log_likelihood_with_gradient(&patterns, p))
        .map_err(|why| format!("the purchase model did not converge: {why}"))?;
    let model = BgNbd {
        r: found.point[0].exp(),
        alpha: found.point[1].exp() * scale,
        a: found.point[2].exp(),
        b: found.point[3].exp(),
    };
    if [model.r, model.alpha, model.a, model.b].iter().any(|v| !v.is_normal()) {
        return Err("the purchase model's fit left its parameters' range".into());
    }
    let log_likelihood = -found.value - repeats * scale.ln();
    Ok(Fit { model, log_likelihood, iterations: found.iterations })
}

/// The distinct histories and how many customers have each, in a fixed order.
fn patterns(histories: &[History]) -> Vec<(History, f64)> {
    let mut counts: BTreeMap<(u32, u64, u64), (History, f64)> = BTreeMap::new();
    for h in histories {
        counts.entry((h.x, h.tx.to_bits(), h.t.to_bits())).or_insert((*h, 0.0)).1 += 1.0;
    }
    counts.into_values().collect()
}

/// The log-likelihood of all customers at the parameters `e^p`, with its
/// gradient with respect to `p` (the log-parameters).
fn log_likelihood_with_gradient(patterns: &[(History, f64)], p: &[f64]) -> (f64, [f64; 4]) {
    let (r, alpha, a, b) = (p[0].exp(), p[1].exp(), p[2].exp(), p[3].exp());
    let (mut ll, mut g) = (0.0, [0.0; 4]);
    for &(h, weight) in patterns {
        let x = f64::from(h.x);
        let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
        let a2 = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
        let a3 = -(r + x) * (alpha + h.t).ln();
        // The second term exists only after a repeat purchase (b + x − 1 is then > 0).
        let a4 = (h.x > 0).then(|| a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + h.tx).ln());
        let (lse, w4) = match a4 {
            Some(a4) => {
                let m = a3.max(a4);
                let lse = m + ((a3 - m).exp() + (a4 - m).exp()).ln();
                (lse, (a4 - lse).exp())
            }
            None => (a3, 0.0),
        };
        let w3 = 1.0 - w4;
        ll += weight * (a1 + a2 + lse);
        let d_r = digamma(r + x) - digamma(r) + alpha.ln()
            - w3 * (alpha + h.t).ln()
            - w4 * (alpha + h.tx).ln();
        let d_alpha = r / alpha - w3 * (r + x) / (alpha + h.t) - w4 * (r + x) / (alpha + h.tx);
        let d_a = digamma(a + b) - digamma(a + b + x) + w4 / a;
        let mut d_b = digamma(b + x) - digamma(a + b + x) - digamma(b) + digamma(a + b);
        if h.x > 0 {
            d_b -= w4 / (b + x - 1.0);
        }
        // d/d(ln θ) = θ · d/dθ.
        for (k, d) in [r * d_r, alpha * d_alpha, a * d_a, b * d_b].into_iter().enumerate() {
            g[k] += weight * d;
        }
    }
    (ll, g)
}

/// The log-likelihood of the given histories under a model.
pub fn log_likelihood(model: &BgNbd, histories: &[History]) -> f64 {
    let p = [model.r.ln(), model.alpha.ln(), model.a.ln(), model.b.ln()];
    log_likelihood_with_gradient(&patterns(histories), &p).0
}

impl BgNbd {
    /// ln of `a/(b+x−1) · ((α+t)/(α+tx))^(r+x)`: the odds of having dropped
    /// out against being active, after a repeat purchase.
    fn log_dropout_odds(&self, h: &History) -> Option<f64> {
        let x = f64::from(h.x);
        (h.x > 0).then(|| {
            (self.r + x) * ((self.alpha + h.t) / (self.alpha + h.tx)).ln()
                + (self.a / (self.b + x - 1.0)).ln()
        })
    }

    /// The probability that the customer is still active at its age `t`
    /// (1 for a customer who has not bought again: in this model a
    /// customer can drop out only right after a purchase).
    pub fn p_alive(&self, h: &History) -> f64 {
        match self.log_dropout_odds(h) {
            None => 1.0,
            Some(odds) => 1.0 / (1.0 + odds.exp()),
        }
    }

    /// Expected purchases in the `horizon` after its age `t` (FHL eq. 10).
    /// For a ≤ 2 its hypergeometric function goes through Euler's
    /// transformation, whose series then has small terms for any x and no
    /// 0/0 at a = 1; beyond, that series' terms grow with a (a fit on data
    /// where every customer drops out alike sends a and b far out), and the
    /// paper's own series, of positive terms, is summed in log space.
    pub fn expected_purchases(&self, h: &History, horizon: f64) -> f64 {
        let numerator = if self.a <= 2.0 {
            self.numerator_euler(h, horizon)
        } else {
            self.numerator_direct(h, horizon)
        };
        match self.log_dropout_odds(h) {
            None => numerator,
            // numerator / (1 + e^odds), without overflow for large odds.
            Some(odds) if odds > 0.0 => numerator * (-odds).exp() / (1.0 + (-odds).exp()),
            Some(odds) => numerator / (1.0 + odds.exp()),
        }
    }

    /// (a+b+x−1)/(a−1) · [1 − ((α+t)/(α+t+τ))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z)],
    /// the 2F1 series rescaled as it grows (its terms grow before they fall
    /// when x is large); for a > 1.
    fn numerator_direct(&self, h: &History, horizon: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let x = f64::from(h.x);
        let l = ((alpha + h.t) / (alpha + h.t + horizon)).ln();
        let z = horizon / (alpha + h.t + horizon);
        let (p, q, c) = (r + x, b + x, a + b + x - 1.0);
        // The terms are positive: summed as they are, the sum and the term
        // scaled down by 10^250 whenever the sum passes it (`shift` keeps
        // the logarithm of the scale).
        let (mut term, mut sum, mut shift) = (1.0f64, 1.0f64, 0.0f64);
        for k in 0..1_000_000 {
            let k = f64::from(k);
            let ratio = (p + k) * (q + k) / ((c + k) * (k + 1.0)) * z;
            term *= ratio;
            sum += term;
            if sum > 1e250 {
                term *= 1e-250;
                sum *= 1e-250;
                shift += 250.0 * std::f64::consts::LN_10;
            }
            // Past the peak, the rest is below rounding.
            if ratio < 1.0 && term < 1e-17 * sum {
                break;
            }
        }
        let ln_f = shift + sum.ln();
        c / (a - 1.0) * -(p * l + ln_f).exp_m1()
    }

    /// The numerator through Euler's transformation (the bracket above as
    /// C·h(ε) − Σ τₖ·e^(εL), ε = a − 1).
    fn numerator_euler(&self, h: &History, horizon: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let x = f64::from(h.x);
        let l = ((alpha + h.t) / (alpha + h.t + horizon)).ln();
        let z = horizon / (alpha + h.t + horizon);
        let epsilon = a - 1.0;
        let big_a = a + b - 1.0 - r;
        let c = a + b + x - 1.0;
        let h_eps = if epsilon == 0.0 { -l } else { -(epsilon * l).exp_m1() / epsilon };
        let mut term = big_a * z;
        let mut series = 0.0;
        for k in 1..100_000 {
            series += term;
            if term.abs() <= 1e-17 * series.abs() || term == 0.0 {
                break;
            }
            let k = f64::from(k);
            term *= (big_a + k) * (epsilon + k) / ((c + k) * (k + 1.0)) * z;
        }
        c * h_eps - series * (epsilon * l).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<History> {
        vec![
            History { x: 0, tx: 0.0, t: 30.0 },
            History { x: 2, tx: 20.0, t: 38.0 },
            History { x: 5, tx: 35.0, t: 38.0 },
            History { x: 1, tx: 3.0, t: 38.0 },
            History { x: 0, tx: 0.0, t: 10.0 },
        ]
    }

    #[test]
    fn the_gradient_is_the_slope_of_the_likelihood() {
        let patterns = patterns(&sample());
        let p = [-0.7, 1.2, -0.3, 0.6];
        let (_, gradient) = log_likelihood_with_gradient(&patterns, &p);
        for k in 0..4 {
            let (mut up, mut down) = (p, p);
            up[k] += 1e-6;
            down[k] -= 1e-6;
            let numeric = (log_likelihood_with_gradient(&patterns, &up).0
                - log_likelihood_with_gradient(&patterns, &down).0)
                / 2e-6;
            assert!((gradient[k] - numeric).abs() < 1e-6 * (1.0 + numeric.abs()), "{k}");
        }
    }

    #[test]
    fn degenerate_data_is_refused_with_the_reason() {
        assert!(fit(&[]).unwrap_err().contains("no customer"));
        let once = [History { x: 0, tx: 0.0, t: 10.0 }; 3];
        assert!(fit(&once).unwrap_err().contains("two different days"));
        let same_day = [History { x: 2, tx: 0.0, t: 10.0 }, History { x: 0, tx: 0.0, t: 5.0 }];
        assert!(fit(&same_day).unwrap_err().contains("day of the first"));
    }

    #[test]
    fn expected_purchases_match_the_direct_series_and_have_no_hole_at_a_equal_1() {
        let h = History { x: 3, tx: 25.0, t: 38.0 };
        let model = BgNbd { r: 0.8, alpha: 6.0, a: 0.7, b: 2.5 };
        // The paper's form with the hypergeometric series summed directly.
        let (r, alpha, a, b, x, t) = (0.8, 6.0, 0.7, 2.5, 3.0, 10.0);
        let z = t / (alpha + h.t + t);
        let (p, q, c) = (r + x, b + x, a + b + x - 1.0);
        let (mut term, mut f) = (1.0, 0.0);
        for k in 0..5000 {
            f += term;
            let k = f64::from(k);
            term *= (p + k) * (q + k) / ((c + k) * (k + 1.0)) * z;
        }
        let direct = c / (a - 1.0) * (1.0 - ((alpha + h.t) / (alpha + h.t + t)).powf(r + x) * f)
            / (1.0 + a / (b + x - 1.0) * ((alpha + h.t) / (alpha + h.tx)).powf(r + x));
        let ours = model.expected_purchases(&h, t);
        assert!((ours - direct).abs() < 1e-9 * direct.abs(), "{ours} {direct}");
        let at_one = BgNbd { a: 1.0, ..model }.expected_purchases(&h, t);
        let near = BgNbd { a: 1.0 + 1e-7, ..model }.expected_purchases(&h, t);
        assert!(at_one.is_finite() && (at_one - near).abs() < 1e-5 * at_one);
    }

    #[test]
    fn both_series_agree_where_they_meet_and_stay_finite_far_out() {
        for (x, tx) in [(0, 0.0), (3, 25.0), (40, 37.0), (1000, 37.5)] {
            let h = History { x, tx, t: 38.0 };
            let model = BgNbd { r: 0.8, alpha: 6.0, a: 1.7, b: 2.5 };
            let euler = model.numerator_euler(&h, 20.0);
            let direct = model.numerator_direct(&h, 20.0);
            assert!((euler - direct).abs() < 1e-9 * euler.abs(), "x {x}: {euler} {direct}");
        }
        // A fit where everyone drops out alike: a and b in the millions.
        let flat = BgNbd { r: 0.09, alpha: 4.8, a: 3.5e7, b: 3.6e7 };
        for x in [0, 2, 500] {
            let e = flat.expected_purchases(&History { x, tx: 32.0, t: 638.0 }, 365.0);
            assert!(e.is_finite() && e >= 0.0, "x {x}: {e}");
        }
    }
}
