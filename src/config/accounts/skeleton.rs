//! The commented account file `kamplan init-account` writes: the account's
//! hard data as a header, the master's values shown (commented, so they go on
//! following the master until the consultant decides otherwise) and an
//! example of every table.

use crate::model::records::Customer;

/// A new account file for `customer_id`. `facts` are (label, value) lines
/// about the account printed in the header, such as its revenue and classes.
pub fn skeleton(
    customer_id: &str,
    customer: Option<&Customer>,
    facts: &[(String, String)],
) -> String {
    let mut out = String::new();
    let name = customer.and_then(|c| c.name.as_deref()).unwrap_or(customer_id);
    out.push_str(&format!("# Account file of {name} ({customer_id}).\n"));
    out.push_str(
        "# What the sales data cannot tell: fill in what you know, delete what does not apply.\n",
    );
    out.push_str(
        "# Values set here replace the customers master's; commented lines show the master's.\n",
    );
    out.push_str(
        "# Texts are read in the project's language; write one in two as `terms.en = \"…\"`\n# and `terms.it = \"…\"`, or declare another with `language = \"en\"` at the top.\n#\n",
    );
    if !facts.is_empty() {
        out.push_str("# From the data:\n");
        let width = facts.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
        for (label, value) in facts {
            out.push_str(&format!("#   {label:<width$}  {value}\n"));
        }
    }
    out.push_str("\n[account]\n");
    out.push_str(&format!("customer_id = {}\n", toml_string(customer_id)));
    let c = customer.cloned().unwrap_or_default();
    let text = |v: &Option<String>| v.as_deref().map(toml_string);
    let shown = [
        ("name", text(&c.name), "\"Company name\""),
        ("sector", text(&c.sector), "\"Sector\""),
        ("region", text(&c.region), "\"Region\""),
        ("account_manager", text(&c.account_manager), "\"Who manages the account\""),
        ("potential", c.potential.map(|a| a.to_string()), "250000   # yearly purchase potential"),
        (
            "cost_to_serve",
            c.cost_to_serve.map(|a| a.to_string()),
            "12000    # yearly cost of serving it",
        ),
        ("customer_since", c.customer_since.map(|d| d.to_string()), "2018-04-01"),
        (
            "relationship_stage",
            c.relationship_stage.map(toml_string),
            "\"mid-KAM\"   # pre-KAM, early-KAM, mid-KAM, partnership-KAM, synergistic-KAM",
        ),
    ];
    for (key, value, example) in shown {
        match value {
            Some(v) => out.push_str(&format!("# {key} = {v}   # from the master\n")),
            None => out.push_str(&format!("# {key} = {example}\n")),
        }
    }
    out.push_str("# key_client_type = \"mainstay\"   # mainstay, prospect, image-maker, expert\n");
    out.push_str("# lost_reason = \"Why the customer stopped buying, if it did\"\n");
    out.push_str("# notes = \"\"\"\n# Free notes printed in the account plan.\n# \"\"\"\n");

    out.push_str("\n[survey]\n");
    match c.satisfaction {
        Some(s) => out.push_str(&format!("# satisfaction = {s}   # 1–5, from the master\n")),
        None => out.push_str("# satisfaction = 4   # 1–5\n"),
    }
    match c.loyalty {
        Some(l) => out.push_str(&format!("# loyalty = {l}   # 0–100, from the master\n")),
        None => out.push_str("# loyalty = 70   # 0–100\n"),
    }
    out.push_str(
        "\n[contract]\n# expiry = 2026-12-31\n# terms.en = \"Framework agreement, prices fixed for 12 months, 60 days payment\"\n# terms.it = \"Accordo quadro, prezzi fissi per 12 mesi, pagamento a 60 giorni\"\n",
    );
    out.push_str(SKELETON_TABLES);
    out
}

/// The repeated tables, as commented examples.
const SKELETON_TABLES: &str = r#"
# Decision-making unit: one [[dmu]] per person.
# influence: low, medium, high; attitude (towards us): champion, supporter, neutral, sceptic, opponent.
# [[dmu]]
# name = "Anna Rossi"
# role = "Purchasing manager"
# influence = "high"
# attitude = "supporter"
# criteria = "Delivery reliability, payment terms"

# Competitors present at the account. share: their estimated share of the
# account's purchases in our categories (0.3 = 30%); price_position: lower,
# similar or higher than ours.
# [[competitor]]
# name = "Competitor Ltd"
# products = "Fasteners, anchors"
# share = 0.3
# price_position = "lower"

# History: deliveries, proposals, meetings, complaints.
# kind: delivery, proposal, meeting, complaint, other; outcome: won, lost, open.
# [[history]]
# date = 2025-03-14
# kind = "proposal"
# subject = "Yearly supply of safety equipment"
# outcome = "lost"
# reason = "Price 8% above the winning offer"
# value = 48000

# SWOT entries of your own; the account plan adds those drawn from the data.
[swot]
strengths = []
weaknesses = []
opportunities = []
threats = []

# Objectives of your own, printed with those computed from the playbook.
# [[objective]]
# objective = "Become the sole supplier of fixings"
# measure = "Share of the fixings budget"
# target = "100% by the end of next year"
# due = 2026-12-31
"#;

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
