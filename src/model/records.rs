//! The domain records every stage shares: a sales line that passed its
//! checks, a customer of the master, and the master itself. Readers build
//! them; ledger, metrics, rules and documents read them.

use crate::model::{Amount, Date};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A sales line that passed every check.
#[derive(Clone, Debug, PartialEq)]
pub struct SalesLine<'a> {
    pub date: Date,
    pub customer_id: Cow<'a, str>,
    pub revenue: Amount,
    pub invoice_id: Option<Cow<'a, str>>,
    pub product_id: Option<Cow<'a, str>>,
    pub product_category: Option<Cow<'a, str>>,
    pub quantity: Option<Amount>,
    pub cost: Option<Amount>,
}

/// The relationship stages, in order of maturity
/// (docs/metrics.md#variables-from-the-master-and-the-account-files).
pub const RELATIONSHIP_STAGES: &[&str] =
    &["pre-KAM", "early-KAM", "mid-KAM", "partnership-KAM", "synergistic-KAM"];

/// One customer of the master.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Customer {
    pub id: String,
    pub name: Option<String>,
    pub sector: Option<String>,
    pub region: Option<String>,
    pub account_manager: Option<String>,
    pub potential: Option<Amount>,
    pub satisfaction: Option<Amount>,
    pub loyalty: Option<Amount>,
    pub relationship_stage: Option<&'static str>,
    pub customer_since: Option<Date>,
    pub cost_to_serve: Option<Amount>,
    /// The customer's expected growth of its own business (or of its purchases
    /// in our categories), as a ratio: 0.05 is +5% a year.
    pub market_growth: Option<Amount>,
    /// How attractive the customer is to us, scored 1–5.
    pub attractiveness: Option<Amount>,
    /// How well our offer and organisation fit the customer's requirements, scored 1–5.
    pub adaptability: Option<Amount>,
    /// Set by an account file (a master column of that name stays an attribute).
    pub contract_expiry: Option<Date>,
    /// Mainstay, prospect, image-maker or expert; set by an account file.
    pub key_client_type: Option<String>,
    /// Other columns, by header.
    pub attributes: BTreeMap<String, String>,
}

/// The customers master, by customer id.
#[derive(Clone, Debug, Default)]
pub struct Master {
    pub path: Option<PathBuf>,
    pub customers: BTreeMap<String, Customer>,
}
