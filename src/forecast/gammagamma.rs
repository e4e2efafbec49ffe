//! The Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005,
//! "RFM and CLV: using iso-value curves for customer base analysis"): each
//! purchase's value is gamma-distributed with shape p around a customer's
//! own mean, and the customers' scale parameters are gamma-distributed
//! (q, γ) across the portfolio. Fitted by maximum likelihood on the
//! customers with repeat purchases, from the number `x` of repeat purchases
//! and their mean value `m` (the first purchase left out, as in the paper).
//!
//! The model assumes a customer's spend per purchase does not depend on how
//! often it buys; `Spend::correlation` measures that on the data.

use super::optimize::maximise_log_parameters;
use super::special::{digamma, ln_gamma};

/// One customer's repeat purchases: how many, and their mean value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spend {
    pub x: u32,
    pub mean: f64,
}

/// The model's parameters (γ is in the money unit of the spends).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
}

/// A fitted model and how the fit went.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fit {
    pub model: GammaGamma,
    pub log_likelihood: f64,
    pub iterations: usize,
    /// The customers it was fitted on.
    pub customers: usize,
    /// Pearson's correlation of repeat purchases and mean spend over them.
    pub correlation: f64,
}

/// Fits the model on customers with repeat purchases and a positive mean
/// spend (the caller leaves the others out and says so); an error says why
/// the data cannot inform it.
pub fn fit(spends: &[Spend]) -> Result<Fit, String> {
    if spends.iter().any(|s| s.x == 0 || !(s.mean > 0.0 && s.mean.is_finite())) {
        return Err(
            "the spend model takes only customers with repeat purchases of positive mean value"
                .into(),
        );
    }
    if spends.len() < 2 {
        return Err(
            "fewer than two customers have bought on two different days: the spend model needs them"
                .into(),
        );
    }
    if spends.iter().all(|s| s.mean == spends[0].mean) {
        return Err(
            "every customer spends the same per purchase: the spread of spend cannot be estimated"
                .into(),
        );
    }
    // Fitted with the mean spend as the money unit, where the start
    // p = q = γ = 1 is near the optimum whatever the currency; γ and the
    // likelihood are brought back (a unit k times larger divides γ by k and
    // adds ln k per customer to the log-likelihood).
    let scale = spends.iter().map(|s| s.mean).sum::<f64>() / spends.len() as f64;
    let scaled: Vec<Spend> = spends.iter().map(|s| Spend { mean: s.mean / scale, ..*s }).collect();
    let found = maximise_log_parameters(|p| log_likelihood_with_gradient(&scaled, p))
        .map_err(|why| format!("the spend model did not converge: {why}"))?;
    let model = GammaGamma {
        p: found.point[0].exp(),
        q: found.point[1].exp(),
        gamma: found.point[2].exp() * scale,
    };
    if [model.p, model.q, model.gamma].iter().any(|v| !v.is_normal()) {
        return Err("the spend model's fit left its parameters' range".into());
    }
    Ok(Fit {
        model,
        log_likelihood: -found.value - spends.len() as f64 * scale.ln(),
        iterations: found.iterations,
        customers: spends.len(),
        correlation: correlation(spends),
    })
}

/// The log-likelihood of the observed mean spends at the parameters `e^p`,
/// with its gradient with respect to `p`.
fn log_likelihood_with_gradient(spends: &[Spend], p: &[f64]) -> (f64, [f64; 3]) {
    let (pp, q, gamma) = (p[0].exp(), p[1].exp(), p[2].exp());
    let (mut ll, mut g) = (0.0, [0.0; 3]);
    for s in spends {
        let (x, m) = (f64::from(s.x), s.mean);
        let px = pp * x;
        let total = gamma + x * m;
        ll += ln_gamma(px + q) - ln_gamma(px) - ln_gamma(q)
            + q * gamma.ln()
            + (px - 1.0) * m.ln()
            + px * x.ln()
            - (px + q) * total.ln();
        let common = digamma(px + q);
        let d_p = x * (common - digamma(px) + m.ln() + x.ln() - total.ln());
        let d_q = common - digamma(q) + gamma.ln() - total.ln();
        let d_gamma = q / gamma - (px + q) / total;
        for (k, d) in [pp * d_p, q * d_q, gamma * d_gamma].into_iter().enumerate() {
            g[k] += d;
        }
    }
    (ll, g)
}

/// The log-likelihood of the given spends under a model.
pub fn log_likelihood(model: &GammaGamma, spends: &[Spend]) -> f64 {
    let p = [model.p.ln(), model.q.ln(), model.gamma.ln()];
    log_likelihood_with_gradient(spends, &p).0
}

/// Pearson's correlation of `x` and `mean`; 0 when either does not vary.
fn correlation(spends: &[Spend]) -> f64 {
    let n = spends.len() as f64;
    let mx = spends.iter().map(|s| f64::from(s.x)).sum::<f64>() / n;
    let mm = spends.iter().map(|s| s.mean).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for s in spends {
        let (dx, dm) = (f64::from(s.x) - mx, s.mean - mm);
        sxy += dx * dm;
        sxx += dx * dx;
        syy += dm * dm;
    }
    if sxx == 0.0 || syy == 0.0 { 0.0 } else { sxy / (sxx * syy).sqrt() }
}

impl GammaGamma {
    /// The mean spend per purchase across the portfolio, γp/(q − 1); `None`
    /// when q ≤ 1, where the model's mean is infinite.
    pub fn population_mean(&self) -> Option<f64> {
        (self.q > 1.0).then(|| self.gamma * self.p / (self.q - 1.0))
    }

    /// The expected spend per future purchase of a customer with `x` repeat
    /// purchases of mean value `mean`: a weighted average of its own mean
    /// and the portfolio's, the weight of its own growing with `x`
    /// ((γ + m·x)·p / (p·x + q − 1)). For x = 0 (or no mean) the
    /// portfolio's. `None` when q ≤ 1.
    pub fn expected_spend(&self, x: u32, mean: Option<f64>) -> Option<f64> {
        let population = self.population_mean()?;
        match mean {
            Some(m) if x > 0 => {
                let x = f64::from(x);
                Some((self.gamma + m * x) * self.p / (self.p * x + self.q - 1.0))
            }
            _ => Some(population),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Spend> {
        [(1, 20.0), (2, 35.5), (5, 12.0), (3, 80.0), (1, 9.5), (7, 41.0)]
            .iter()
            .map(|&(x, mean)| Spend { x, mean })
            .collect()
    }

    #[test]
    fn the_gradient_is_the_slope_of_the_likelihood() {
        let spends = sample();
        let p = [0.9, 1.1, 2.5];
        let (_, gradient) = log_likelihood_with_gradient(&spends, &p);
        for k in 0..3 {
            let (mut up, mut down) = (p, p);
            up[k] += 1e-6;
            down[k] -= 1e-6;
            let numeric = (log_likelihood_with_gradient(&spends, &up).0
                - log_likelihood_with_gradient(&spends, &down).0)
                / 2e-6;
            assert!((gradient[k] - numeric).abs() < 1e-6 * (1.0 + numeric.abs()), "{k}");
        }
    }

    #[test]
    fn the_fit_does_not_depend_on_the_currency_unit() {
        let cents: Vec<Spend> =
            sample().iter().map(|s| Spend { mean: s.mean * 100.0, ..*s }).collect();
        let (euros, cents) = (fit(&sample()).unwrap(), fit(&cents).unwrap());
        assert!((euros.model.p - cents.model.p).abs() < 1e-6 * euros.model.p);
        assert!((euros.model.gamma * 100.0 - cents.model.gamma).abs() < 1e-6 * cents.model.gamma);
        let shift = -6.0 * 100f64.ln();
        assert!((euros.log_likelihood + shift - cents.log_likelihood).abs() < 1e-6);
    }

    #[test]
    fn degenerate_data_is_refused_with_the_reason() {
        assert!(fit(&[]).unwrap_err().contains("fewer than two"));
        let same = [Spend { x: 2, mean: 10.0 }, Spend { x: 4, mean: 10.0 }];
        assert!(fit(&same).unwrap_err().contains("the same"));
        assert!(fit(&[Spend { x: 0, mean: 10.0 }]).unwrap_err().contains("repeat purchases"));
        assert!(fit(&[Spend { x: 1, mean: -3.0 }]).unwrap_err().contains("positive"));
    }

    #[test]
    fn the_expected_spend_moves_from_the_portfolio_mean_to_the_customer_own() {
        let model = GammaGamma { p: 6.0, q: 4.0, gamma: 15.0 };
        let population = model.population_mean().unwrap();
        assert_eq!(model.expected_spend(0, None), Some(population));
        let few = model.expected_spend(1, Some(100.0)).unwrap();
        let many = model.expected_spend(50, Some(100.0)).unwrap();
        assert!(population < few && few < many && many < 100.0);
        assert_eq!(GammaGamma { q: 0.9, ..model }.expected_spend(1, Some(1.0)), None);
    }
}
