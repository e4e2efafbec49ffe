//! Who the customers are and how each one buys.
//!
//! Every customer gets a size (a standard-normal score that drives volume, basket size
//! and discount, so revenue is lognormal and a few accounts dominate), a rhythm
//! (regular, frequent or irregular buyer), a life cycle (established, joined during
//! the history, new, churned, prospect, or missing from the master) and a basket of
//! product categories shaped by its sector.

use super::catalog::CATEGORIES;
use super::names::Language;
use super::rng::{Rng, exp};

/// Sector names, as written in `customers.csv`.
pub(crate) const SECTORS: [&str; 7] = [
    "Construction",
    "Hospitality",
    "Retail",
    "Manufacturing",
    "Healthcare",
    "Agriculture",
    "Public sector",
];

const SECTOR_WEIGHTS: [f64; 7] = [22.0, 12.0, 20.0, 20.0, 8.0, 10.0, 8.0];

/// How much each sector buys of each category (same order as `CATEGORIES`:
/// fasteners, hand tools, power tools, safety, adhesives, plumbing, electrical, packaging).
const AFFINITY: [[f64; 8]; 7] = [
    [5.0, 3.0, 3.0, 3.0, 2.0, 3.0, 3.0, 0.5],
    [0.5, 1.0, 0.3, 1.0, 1.0, 3.0, 3.0, 4.0],
    [4.0, 4.0, 3.0, 1.0, 3.0, 3.0, 3.0, 1.0],
    [5.0, 2.0, 3.0, 4.0, 3.0, 1.0, 2.0, 3.0],
    [0.5, 0.5, 0.3, 4.0, 1.0, 2.0, 2.0, 3.0],
    [2.0, 3.0, 2.0, 2.0, 1.0, 3.0, 1.0, 3.0],
    [2.0, 2.0, 1.0, 3.0, 1.0, 3.0, 3.0, 1.0],
];

/// Monthly purchase level by sector, January first: a spring peak and an August dip
/// (closures) for most; hotels buy before the summer season and stay open in August,
/// farms peak in spring, public bodies spend what is left of the budget in December.
const SEASON: [[f64; 12]; 7] = [
    [0.80, 0.90, 1.10, 1.20, 1.20, 1.15, 1.05, 0.40, 1.05, 1.10, 1.05, 0.80],
    [0.70, 0.85, 1.10, 1.30, 1.35, 1.20, 1.05, 0.80, 0.90, 0.90, 0.85, 0.95],
    [0.85, 0.90, 1.10, 1.20, 1.15, 1.05, 1.00, 0.50, 1.05, 1.05, 1.10, 1.15],
    [0.90, 1.00, 1.10, 1.10, 1.10, 1.05, 1.00, 0.35, 1.10, 1.15, 1.10, 0.85],
    [1.00, 1.00, 1.00, 1.05, 1.00, 1.00, 0.95, 0.70, 1.00, 1.05, 1.05, 1.00],
    [0.70, 0.90, 1.40, 1.50, 1.30, 1.10, 0.90, 0.50, 1.00, 1.10, 0.90, 0.70],
    [0.60, 0.90, 1.00, 1.00, 1.00, 1.00, 0.90, 0.40, 1.00, 1.10, 1.20, 1.70],
];

/// A customer's place in its life cycle over the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// Buying since before the history starts.
    Established,
    /// First purchase somewhere in the history, before its last six months.
    Joined,
    /// First purchase in the last six months.
    New,
    /// Stopped buying before the end of the history.
    Churned,
    /// In the master, never bought.
    Prospect,
    /// Buys, but is missing from the master (opened in the ERP, not yet in the CRM).
    Unregistered,
}

/// Everything that decides what one customer buys.
pub(crate) struct Profile {
    /// `C0001`-style id.
    pub id: String,
    pub role: Role,
    /// Size score (standard normal for most customers).
    pub size: f64,
    /// Index into `SECTORS`.
    pub sector: usize,
    pub language: Language,
    /// First and last month offsets in which the customer may buy (`None`: never).
    pub active: Option<(u32, u32)>,
    /// A month in which the customer surely buys (first of a newcomer, last of a churner).
    pub forced_month: Option<u32>,
    /// Chance to buy in an ordinary month.
    pub buy_prob: f64,
    /// Regular buyers order at a steady pace: their monthly invoice count is the
    /// expected count randomly rounded rather than Poisson-distributed.
    pub steady: bool,
    /// Invoices in a buying month, before seasonality, trend and intensity.
    pub invoice_rate: f64,
    /// Each invoice has `1 + Binomial(7, line_spread)` lines.
    pub line_spread: f64,
    /// Median value of an invoice line, in EUR.
    pub line_value: f64,
    /// Standing discount, in basis points.
    pub discount_bp: u32,
    /// Added to every line's margin: strongly negative for loss-making accounts.
    pub margin_shift: f64,
    /// Yearly growth of volume (log scale).
    pub growth: f64,
    /// Middle of the history, where the growth trend is 1.
    trend_mid: f64,
    /// How strongly the customer follows its sector's seasonality.
    season_amp: f64,
    /// Categories bought and their cumulative shares.
    categories: Vec<(usize, f64)>,
}

/// What a customer does in one month, before intensity scaling.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MonthPlan {
    /// Chance to buy at all.
    pub buy: f64,
    /// Expected invoices if buying (at least one is always issued).
    pub invoices: f64,
    /// The customer buys this month whatever the intensity.
    pub forced: bool,
}

/// Largest growth trend on a log scale: e³ ≈ 20 times the volume.
const MAX_TREND_LOG: f64 = 3.0;

impl Profile {
    /// The month's plan, or `None` outside the customer's active period.
    pub fn month_plan(&self, offset: u32, calendar_month: usize) -> Option<MonthPlan> {
        let (first, last) = self.active?;
        if offset < first || offset > last {
            return None;
        }
        let season = 1.0 + self.season_amp * (SEASON[self.sector][calendar_month] - 1.0);
        // At most 20 times the middle's volume either way: over a long history an
        // unbounded trend would ask for billions of invoices in its last months.
        let years = (f64::from(offset) - self.trend_mid) / 12.0;
        let trend = exp((self.growth * years).clamp(-MAX_TREND_LOG, MAX_TREND_LOG));
        let forced = self.forced_month == Some(offset);
        // Quiet months mean fewer invoices, and for some customers no order at all.
        let buy = if forced { 1.0 } else { (self.buy_prob * season.sqrt()).min(1.0) };
        Some(MonthPlan { buy, invoices: self.invoice_rate * season * trend, forced })
    }

    /// Expected lines of a sale invoice.
    pub fn lines_per_invoice(&self) -> f64 {
        1.0 + 7.0 * self.line_spread
    }

    /// A category of the customer's basket, for a uniform draw `u` in `[0, 1)`.
    pub fn category(&self, u: f64) -> usize {
        let at = self.categories.partition_point(|&(_, cumulative)| cumulative <= u);
        self.categories[at.min(self.categories.len() - 1)].0
    }
}

/// Life-cycle roles of the master customers, in customer order.
///
/// Roles are dealt from a shuffled deck with fixed quotas rather than drawn one by one,
/// so every case the classifier must handle occurs even in a small sample.
pub(crate) fn deal_roles(rng: &mut Rng, count: usize) -> (Vec<Role>, Vec<bool>) {
    let mut order: Vec<usize> = (0..count).collect();
    rng.shuffle(&mut order);
    let share =
        |fraction: f64, at_least: usize| ((count as f64 * fraction).round() as usize).max(at_least);
    let quotas = [
        (Role::Prospect, share(0.05, 1)),
        (Role::Churned, share(0.07, 2)),
        (Role::New, share(0.06, 2)),
        (Role::Joined, share(0.08, 1)),
    ];
    let mut roles = vec![Role::Established; count];
    let mut deck = order.iter().copied();
    for (role, quota) in quotas {
        for customer in deck.by_ref().take(quota) {
            roles[customer] = role;
        }
    }
    // Loss-making accounts come from the established rest: "a customer or two".
    let loss_makers = if count <= 1000 { 2 } else { count / 500 };
    let mut loss = vec![false; count];
    for customer in deck.take(loss_makers) {
        loss[customer] = true;
    }
    (roles, loss)
}

/// Everything a profile is drawn from besides its own random stream.
pub(crate) struct ProfileSeed<'a> {
    pub id: String,
    pub role: Role,
    pub loss_maker: bool,
    pub months: u32,
    /// Position among the churners, so early and late churn alternate.
    pub churn_rank: usize,
    pub rng: &'a mut Rng,
}

/// Draws one customer's profile.
pub(crate) fn draw_profile(seed: ProfileSeed<'_>) -> Profile {
    let ProfileSeed { id, role, loss_maker, months, churn_rank, rng } = seed;
    let mut size = match role {
        Role::Unregistered => -0.6 + 0.5 * rng.normal(),
        _ => rng.normal(),
    };
    if loss_maker {
        // A loss-making account is a mid-sized one that was priced too keenly.
        size = size.min(0.0);
    }
    let sector = rng.weighted(&SECTOR_WEIGHTS);
    let language = Language::draw(rng);
    let (active, forced_month) = active_period(rng, role, months, churn_rank);
    let (buy_prob, steady) = buy_probability(rng, size, role);
    let growth = match role {
        Role::Churned => rng.range(-0.5, -0.1),
        Role::New | Role::Joined => rng.range(0.0, 0.3),
        _ => 0.02 + 0.15 * rng.normal(),
    };
    Profile {
        id,
        role,
        size,
        sector,
        language,
        active,
        forced_month,
        buy_prob,
        steady,
        invoice_rate: exp(0.75 * size - 0.1 + 0.3 * rng.normal()).min(30.0),
        line_spread: (0.22 + 0.08 * size + 0.05 * rng.normal()).clamp(0.02, 0.85),
        line_value: 120.0 * exp(0.45 * size + 0.3 * rng.normal()),
        discount_bp: discount_bp(rng, size),
        margin_shift: if loss_maker { -0.40 } else { 0.0 },
        growth,
        trend_mid: f64::from(months.saturating_sub(1)) / 2.0,
        season_amp: rng.range(0.6, 1.4),
        categories: basket(rng, size, sector),
    }
}

/// The months a customer may buy in, and a month in which it surely buys.
fn active_period(
    rng: &mut Rng,
    role: Role,
    months: u32,
    churn_rank: usize,
) -> (Option<(u32, u32)>, Option<u32>) {
    let last = months.saturating_sub(1);
    let recent =
        |rng: &mut Rng, span: u32| last - rng.below(u64::from(span.min(months).max(1))) as u32;
    match role {
        Role::Established => (Some((0, last)), None),
        Role::Prospect => (None, None),
        Role::Joined => {
            let start = 1 + rng.below(u64::from(last.saturating_sub(7).max(1))) as u32;
            let start = start.min(last);
            (Some((start, last)), Some(start))
        }
        Role::New => {
            let start = recent(rng, 6);
            (Some((start, last)), Some(start))
        }
        Role::Unregistered => {
            let start = recent(rng, 4);
            (Some((start, last)), Some(start))
        }
        Role::Churned => {
            // Half the churners left long ago (more than six months before the end),
            // half recently; the classifier treats the two differently.
            let end = if churn_rank.is_multiple_of(2) && last >= 9 {
                let earliest = last / 4;
                earliest + rng.below(u64::from(last - 7 - earliest + 1)) as u32
            } else {
                last.saturating_sub(1 + rng.below(6.min(u64::from(last.max(1)))) as u32)
            };
            (Some((0, end)), Some(end))
        }
    }
}

/// Chance to buy in a month, and whether the customer is a steady regular buyer: big
/// accounts are mostly regular, small ones often irregular; churners were regular
/// customers before they left.
fn buy_probability(rng: &mut Rng, size: f64, role: Role) -> (f64, bool) {
    let big = 1.0 / (1.0 + exp(-1.2 * size));
    let regular = 0.15 + 0.5 * big;
    let irregular = if role == Role::Churned { 0.0 } else { 0.45 - 0.3 * big };
    let u = rng.unit();
    if u < regular {
        (rng.range(0.92, 1.0), true)
    } else if u < 1.0 - irregular {
        (rng.range(0.5, 0.8), false)
    } else {
        (rng.range(0.1, 0.3), false)
    }
}

/// Standing discount: larger accounts negotiate more. Rounded to half a percent.
fn discount_bp(rng: &mut Rng, size: f64) -> u32 {
    let discount = (0.03 + 0.035 * size + 0.025 * rng.normal()).clamp(0.0, 0.30);
    ((discount * 200.0).round() * 50.0) as u32
}

/// The customer's categories with cumulative shares: bigger customers buy from more
/// categories, chosen by sector affinity.
fn basket(rng: &mut Rng, size: f64, sector: usize) -> Vec<(usize, f64)> {
    let wanted =
        (2.5 + 1.2 * size + rng.normal()).round().clamp(1.0, CATEGORIES.len() as f64) as usize;
    let mut affinity = AFFINITY[sector];
    let mut chosen = Vec::with_capacity(wanted);
    for _ in 0..wanted {
        let category = rng.weighted(&affinity);
        chosen.push((category, affinity[category] * rng.lognormal(1.0, 0.5)));
        affinity[category] = 0.0;
    }
    chosen.sort_by_key(|&(category, _)| category);
    let total: f64 = chosen.iter().map(|&(_, w)| w).sum();
    let mut running = 0.0;
    for entry in &mut chosen {
        running += entry.1 / total;
        entry.1 = running;
    }
    chosen.last_mut().expect("at least one category").1 = 1.0;
    chosen
}
