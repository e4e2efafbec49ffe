//! The customer master, `customers.csv`: names and CRM attributes.
//!
//! Written after the sales, because potential and cost to serve are derived from
//! what each customer actually bought.

use std::io;
use std::path::Path;

use super::names::{Language, NameBook};
use super::profile::{Profile, Role, SECTORS};
use super::rng::Rng;
use super::sales::Totals;
use super::text::cents_string;
use super::world::{World, purpose};
use crate::model::Date;

const HEADER: [&str; 14] = [
    "customer_id",
    "name",
    "sector",
    "region",
    "account_manager",
    "potential",
    "satisfaction",
    "loyalty",
    "relationship_stage",
    "customer_since",
    "cost_to_serve",
    "market_growth",
    "attractiveness",
    "adaptability",
];

const REGIONS: [&str; 6] = ["Nord-Ovest", "Nord-Est", "Centro", "Sud", "Isole", "Export"];

/// Account managers covering each region (same order as `REGIONS`).
const MANAGERS: [&[&str]; 6] = [
    &["Giulia Conti", "Marco Ferri"],
    &["Laura Bassi", "Marco Ferri"],
    &["Andrea Greco"],
    &["Andrea Greco", "Sofia Marchetti"],
    &["Sofia Marchetti"],
    &["Claire Dubois"],
];

/// Writes one row per master customer (unregistered customers are left out).
pub(crate) fn write_customers(world: &World, totals: &[Totals], path: &Path) -> io::Result<()> {
    let mut writer =
        csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_path(path)?;
    writer.write_record(HEADER)?;
    let mut names = NameBook::default();
    for (customer, profile) in world.profiles.iter().enumerate().take(world.master_count) {
        let mut rng = Rng::stream(world.seed, purpose::MASTER, customer as u64);
        let row = customer_row(&mut rng, &mut names, world, profile, &totals[customer]);
        let mut rng = Rng::stream(world.seed, purpose::ASSESSMENT, customer as u64);
        writer.write_record(row.iter().chain(&assessment(&mut rng, profile)))?;
    }
    writer.flush()
}

/// The eleven fields of one customer.
fn customer_row(
    rng: &mut Rng,
    names: &mut NameBook,
    world: &World,
    profile: &Profile,
    totals: &Totals,
) -> [String; 11] {
    let name = names.name(rng, profile.language, profile.sector);
    let region = region(rng, profile.language);
    let manager = rng.pick(MANAGERS[region]).to_string();
    let stage = stage(rng, profile);
    let potential = potential(rng, profile, totals);
    let (satisfaction, loyalty) = satisfaction_and_loyalty(rng, profile);
    let since = customer_since(rng, world, profile);
    let cost_to_serve = cost_to_serve(rng, world, stage, totals);
    [
        profile.id.clone(),
        name,
        SECTORS[profile.sector].to_string(),
        REGIONS[region].to_string(),
        manager,
        potential.map(cents_string).unwrap_or_default(),
        satisfaction.map(|s| s.to_string()).unwrap_or_default(),
        loyalty.map(|l| l.to_string()).unwrap_or_default(),
        stage.to_string(),
        since.to_string(),
        cents_string(cost_to_serve),
    ]
}

/// The customer's expected growth of its own business (a ratio with two
/// decimals, following our volume trend loosely: part of that trend is our
/// share moving), how attractive it is to us and how well our offer fits it
/// (scores 1–5). Market growth is known for about 70% of the customers; the
/// two scores are given mostly for the larger customers, which the account
/// managers have assessed.
fn assessment(rng: &mut Rng, profile: &Profile) -> [String; 3] {
    let trend = super::rng::exp(profile.growth) - 1.0;
    let growth = (0.02 + 0.5 * trend + 0.06 * rng.normal()).clamp(-0.5, 1.0);
    let growth = (!rng.chance(0.30)).then(|| format!("{:.2}", (growth * 100.0).round() / 100.0));
    let score = |x: f64| (x.round().clamp(1.0, 5.0) as u8).to_string();
    let attractiveness = score(3.0 + 0.8 * profile.size + 0.8 * rng.normal());
    let adaptability = score(3.3 + 0.2 * profile.size + 0.9 * rng.normal());
    let assessed = rng.chance(if profile.size > 0.5 { 0.75 } else { 0.30 });
    let (attractiveness, adaptability) =
        if assessed { (attractiveness, adaptability) } else { (String::new(), String::new()) };
    [growth.unwrap_or_default().replace("-0.00", "0.00"), attractiveness, adaptability]
}

/// Region index: Italian companies across Italy; German-speaking ones partly in
/// South Tyrol (Nord-Est), French-speaking ones partly in Aosta (Nord-Ovest); the
/// rest abroad.
fn region(rng: &mut Rng, language: Language) -> usize {
    match language {
        Language::Italian => rng.weighted(&[30.0, 25.0, 20.0, 15.0, 10.0]),
        Language::German if rng.chance(0.4) => 1,
        Language::French if rng.chance(0.15) => 0,
        _ => 5,
    }
}

/// KAM relationship stage, rising with size; many small customers have none recorded.
fn stage(rng: &mut Rng, profile: &Profile) -> &'static str {
    const STAGES: [&str; 6] =
        ["", "pre-KAM", "early-KAM", "mid-KAM", "partnership-KAM", "synergistic-KAM"];
    let weights: [f64; 6] = match profile.size {
        _ if profile.role == Role::Prospect => [60.0, 40.0, 0.0, 0.0, 0.0, 0.0],
        z if z > 1.9 => [0.0, 0.0, 0.0, 10.0, 45.0, 45.0],
        z if z > 1.28 => [0.0, 0.0, 20.0, 50.0, 30.0, 0.0],
        z if z > 0.52 => [0.0, 20.0, 50.0, 30.0, 0.0, 0.0],
        z if z > -0.25 => [20.0, 50.0, 30.0, 0.0, 0.0, 0.0],
        _ => [60.0, 40.0, 0.0, 0.0, 0.0, 0.0],
    };
    STAGES[rng.weighted(&weights)]
}

/// Annual purchase potential in cents, rounded to 100 EUR: usually 1.1–4 times what
/// the customer buys a year, sometimes (a stale estimate) less; unknown for ~10%.
fn potential(rng: &mut Rng, profile: &Profile, totals: &Totals) -> Option<i64> {
    let unknown = rng.chance(0.10);
    let factor = if rng.chance(0.07) { rng.range(0.6, 1.0) } else { rng.range(1.1, 4.0) };
    let annual = match totals.sale_months {
        Some((first, last)) if totals.revenue_cents > 0 => {
            totals.revenue_cents as f64 * 12.0 / f64::from(last - first + 1)
        }
        // Prospects: an estimate from the company's size.
        _ => rng.lognormal(600_000.0, 1.0) * super::rng::exp(1.2 * profile.size),
    };
    let cents = ((annual * factor / 10_000.0).round() as i64).max(10) * 10_000;
    (!unknown).then_some(cents)
}

/// Satisfaction 1–5 and loyalty 0–100, correlated with each other and lower for
/// customers who left; each is missing for ~15%.
fn satisfaction_and_loyalty(rng: &mut Rng, profile: &Profile) -> (Option<u8>, Option<u8>) {
    let churned = if profile.role == Role::Churned { 1.0 } else { 0.0 };
    let mood = 3.5 + 0.35 * profile.size + 0.8 * rng.normal() - 1.3 * churned;
    let satisfaction = mood.round().clamp(1.0, 5.0);
    let loyalty = 55.0 + 8.0 * (satisfaction - 3.0) + 5.0 * profile.size + 10.0 * rng.normal()
        - 15.0 * churned;
    let satisfaction = (!rng.chance(0.15)).then_some(satisfaction as u8);
    let loyalty = (!rng.chance(0.15)).then_some(loyalty.round().clamp(0.0, 100.0) as u8);
    (satisfaction, loyalty)
}

/// When the customer was opened: years before the history for long-standing ones,
/// shortly before the first purchase for newcomers, within the last year for prospects.
fn customer_since(rng: &mut Rng, world: &World, profile: &Profile) -> Date {
    let history_start = Date::first_of_month(world.first_month).days();
    let history_end =
        Date::last_of_month(world.first_month + world.months.saturating_sub(1) as i32).days();
    let days = match (profile.role, profile.active) {
        (Role::Prospect, _) => history_end - rng.below(365) as i32,
        (Role::Joined | Role::New, Some((first, _))) => {
            Date::first_of_month(world.first_month + first as i32).days() - rng.below(45) as i32
        }
        _ => history_start - 30 - rng.below(25 * 365) as i32,
    };
    Date::from_days(days)
}

/// Annual cost to serve in cents: order handling per invoice plus account-management
/// visits, which grow with the relationship stage.
fn cost_to_serve(rng: &mut Rng, world: &World, stage: &str, totals: &Totals) -> i64 {
    let visits = match stage {
        "synergistic-KAM" => 24.0,
        "partnership-KAM" => 14.0,
        "mid-KAM" => 8.0,
        "early-KAM" => 4.0,
        "pre-KAM" => 2.0,
        _ => 0.5,
    };
    let invoices_per_year = f64::from(totals.invoices) * 12.0 / f64::from(world.months.max(1));
    let mut eur =
        150.0 + invoices_per_year * rng.range(9.0, 16.0) + visits * rng.range(90.0, 140.0);
    // Some close partners get a dedicated team and special logistics that eat
    // most of their margin: the over-invested accounts of a resource review.
    // Drawn last, so the customer's other figures are those of any seed.
    if matches!(stage, "partnership-KAM" | "synergistic-KAM") && rng.chance(0.3) {
        let yearly_margin = (totals.revenue_cents - totals.cost_cents) as f64 / 100.0 * 12.0
            / f64::from(world.months.max(1));
        eur += yearly_margin.max(0.0) * rng.range(0.85, 1.05);
    }
    (eur * 100.0).round() as i64
}
