//! The generated world: catalogue, customers, and the purchase intensity that makes
//! the number of sales lines come out as asked.

use super::SampleSpec;
use super::catalog::Catalog;
use super::profile::{self, MonthPlan, Profile, ProfileSeed, Role};
use super::rng::Rng;
use crate::model::MonthIndex;

/// Purposes of the independent random streams derived from the seed.
pub(crate) mod purpose {
    pub const CATALOG: u64 = 1;
    pub const ROLES: u64 = 2;
    pub const PROFILE: u64 = 3;
    pub const MONTH: u64 = 4;
    pub const MASTER: u64 = 5;
    /// The master's assessment columns (market growth, attractiveness,
    /// adaptability), drawn apart so the other columns stay those of any seed.
    pub const ASSESSMENT: u64 = 6;
}

/// Share of sale invoices followed by a credit note.
pub(crate) const CREDIT_RATE: f64 = 0.02;
/// Share of credit notes that reverse their invoice in full (the rest return a line or two).
pub(crate) const FULL_REVERSAL_SHARE: f64 = 0.5;
/// Chance that a partial return covers a second line.
pub(crate) const SECOND_RETURN_LINE: f64 = 0.3;
/// Lines per customer and month when no target is given: 100 lines over 30 months.
const DEFAULT_LINES_PER_CUSTOMER_MONTH: f64 = 100.0 / 30.0;

/// Everything the writers need, drawn once from the spec.
pub(crate) struct World {
    pub seed: u64,
    pub months: u32,
    /// Month index of the first month of history.
    pub first_month: MonthIndex,
    /// Customers in the master (the first profiles); the rest are unregistered.
    pub master_count: usize,
    pub profiles: Vec<Profile>,
    pub catalog: Catalog,
    /// Multiplier of purchase frequency that hits the line target.
    pub intensity: f64,
    /// Digits of the invoice sequence number (6, more for very large data sets).
    pub invoice_digits: usize,
}

impl World {
    /// Draws the catalogue and customers and solves for the intensity.
    pub fn build(spec: &SampleSpec) -> World {
        let catalog = Catalog::generate(&mut Rng::stream(spec.seed, purpose::CATALOG, 0));
        let profiles = draw_profiles(spec);
        let first_month = spec.last_month - spec.months.saturating_sub(1) as i32;
        let mut world = World {
            seed: spec.seed,
            months: spec.months,
            first_month,
            master_count: spec.customers,
            profiles,
            catalog,
            intensity: 1.0,
            invoice_digits: 6,
        };
        let target = spec.target_lines.map_or_else(|| default_lines(spec), |lines| lines as f64);
        world.intensity = world.solve_intensity(target);
        let (_, invoices) = world.expected_totals(world.intensity);
        let per_year = invoices * 12.0 / f64::from(spec.months.max(1));
        // Room for a busy year above the average, so ids keep one width.
        world.invoice_digits = ((per_year * 1.3).ceil() as u64).to_string().len().max(6);
        world
    }

    /// Calendar month (0 = January) of a month offset.
    pub fn calendar_month(&self, offset: u32) -> usize {
        (self.first_month + offset as i32).rem_euclid(12) as usize
    }

    /// A customer's plan for a month, scaled by the world's intensity.
    pub fn plan(&self, customer: usize, offset: u32) -> Option<MonthPlan> {
        let plan = self.profiles[customer].month_plan(offset, self.calendar_month(offset))?;
        Some(scale(plan, self.intensity))
    }

    /// Expected sales lines and invoices (credit notes included) at intensity `k`.
    fn expected_totals(&self, k: f64) -> (f64, f64) {
        let (mut lines, mut invoices) = (0.0, 0.0);
        for profile in &self.profiles {
            let per_invoice = lines_with_credits(profile.lines_per_invoice());
            let mut sales = 0.0;
            for offset in 0..self.months {
                if let Some(plan) = profile.month_plan(offset, self.calendar_month(offset)) {
                    let plan = scale(plan, k);
                    sales += plan.buy * plan.invoices.max(1.0);
                }
            }
            lines += sales * per_invoice;
            invoices += sales * (1.0 + CREDIT_RATE);
        }
        (lines, invoices)
    }

    /// The intensity whose expected line count is `target`, by bisection on a log
    /// scale (the expectation grows monotonically with the intensity).
    fn solve_intensity(&self, target: f64) -> f64 {
        let lines = |k: f64| self.expected_totals(k).0;
        if target <= 0.0 || lines(1.0) <= 0.0 {
            return 1.0;
        }
        let (mut low, mut high) = (1e-4, 1.0);
        while lines(high) < target && high < 1e6 {
            low = high;
            high *= 4.0;
        }
        for _ in 0..16 {
            let middle = (low * high).sqrt();
            if lines(middle) < target {
                low = middle;
            } else {
                high = middle;
            }
        }
        (low * high).sqrt()
    }
}

/// The sales lines aimed for when the spec gives no target.
pub(crate) fn default_lines(spec: &SampleSpec) -> f64 {
    spec.customers as f64 * f64::from(spec.months) * DEFAULT_LINES_PER_CUSTOMER_MONTH
}

/// Scales a month plan by intensity `k`: above 1 a buying customer places more
/// invoices; below 1 it buys in fewer months (a buying month always has an invoice).
pub(crate) fn scale(plan: MonthPlan, k: f64) -> MonthPlan {
    if k >= 1.0 {
        MonthPlan { invoices: plan.invoices * k, ..plan }
    } else if plan.forced {
        plan
    } else {
        MonthPlan { buy: plan.buy * k, ..plan }
    }
}

/// Expected lines per sale invoice including the credit notes that follow some of them.
fn lines_with_credits(sale_lines: f64) -> f64 {
    let returned =
        FULL_REVERSAL_SHARE * sale_lines + (1.0 - FULL_REVERSAL_SHARE) * (1.0 + SECOND_RETURN_LINE);
    sale_lines + CREDIT_RATE * returned
}

/// Master customers followed by a couple of unregistered ones.
fn draw_profiles(spec: &SampleSpec) -> Vec<Profile> {
    let (roles, loss) =
        profile::deal_roles(&mut Rng::stream(spec.seed, purpose::ROLES, 0), spec.customers);
    let unregistered = if spec.customers == 0 { 0 } else { 2 + spec.customers / 5000 };
    let total = spec.customers + unregistered;
    let digits = total.to_string().len().max(4);
    let mut churn_rank = 0;
    (0..total)
        .map(|customer| {
            let role = roles.get(customer).copied().unwrap_or(Role::Unregistered);
            let mut rng = Rng::stream(spec.seed, purpose::PROFILE, customer as u64);
            let seed = ProfileSeed {
                id: format!("C{:0digits$}", customer + 1),
                role,
                loss_maker: loss.get(customer).copied().unwrap_or(false),
                months: spec.months,
                churn_rank,
                rng: &mut rng,
            };
            churn_rank += usize::from(role == Role::Churned);
            profile::draw_profile(seed)
        })
        .collect()
}
