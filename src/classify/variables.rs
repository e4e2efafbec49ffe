//! The catalogue of base variables: every figure a customer has before any
//! rule runs, declared once with its kind, whether it is a column of
//! `portfolio.csv`, its name and meaning in each language, and how it is
//! read from the customer's metrics and master record. The fact table, the
//! CSV and workbook columns, `explain`, `check`'s name checks, `kamplan
//! variables` and the table of docs/rules.md#base-variables all come from
//! here, so a new metric is declared in one place.
//! Definitions: docs/metrics.md#per-customer-metrics and
//! docs/metrics.md#variables-from-the-master-and-the-account-files.

use super::PortfolioRow;
use super::facts::Fact;
use crate::locale::Locale;
use crate::model::records::Customer;
use crate::model::{Amount, Date};

/// What a variable holds, which decides how a person reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// An amount in the report currency.
    Money,
    /// An exact quantity of goods.
    Quantity,
    /// A whole number of things (orders, products, months).
    Count,
    Days,
    Years,
    /// A ratio read as a percentage (0.25 is 25%).
    Ratio,
    /// A score or coefficient read as a decimal number.
    Decimal,
    /// A score on a 0–100 scale, read as a whole number.
    Points,
    Date,
    /// 1 or 0.
    Flag,
}

impl Kind {
    /// The figure kind of `locale::format::figure`.
    pub fn format(self) -> &'static str {
        match self {
            Kind::Money => "money",
            Kind::Ratio => "pct",
            Kind::Days => "days",
            Kind::Years => "years",
            Kind::Decimal => "decimal",
            Kind::Text => "text",
            Kind::Date => "date",
            Kind::Quantity | Kind::Count | Kind::Points | Kind::Flag => "count",
        }
    }

    /// The kind in words, for the table of variables.
    pub fn describe(self, locale: Locale) -> &'static str {
        let (en, it) = match self {
            Kind::Text => ("text", "testo"),
            Kind::Money => ("amount", "importo"),
            Kind::Quantity => ("quantity", "quantità"),
            Kind::Count => ("whole number", "numero intero"),
            Kind::Days => ("days", "giorni"),
            Kind::Years => ("whole years", "anni compiuti"),
            Kind::Ratio => ("ratio (0.25 is 25%)", "rapporto (0,25 è il 25%)"),
            Kind::Decimal => ("decimal number", "numero decimale"),
            Kind::Points => ("score 0–100", "punteggio 0–100"),
            Kind::Date => ("date", "data"),
            Kind::Flag => ("1 or 0", "1 o 0"),
        };
        if locale == Locale::It { it } else { en }
    }
}

/// A text in each language.
#[derive(Clone, Copy, Debug)]
pub struct Words {
    pub en: &'static str,
    pub it: &'static str,
}

impl Words {
    pub fn get(self, locale: Locale) -> &'static str {
        if locale == Locale::It { self.it } else { self.en }
    }
}

/// What a variable is read from: one customer's row and the analysis date.
pub struct Subject<'a> {
    pub row: &'a PortfolioRow,
    pub customer: &'a Customer,
    pub as_of: Date,
}

impl<'a> Subject<'a> {
    /// The row's customer; one not in the master reads as an empty record.
    pub fn new(row: &'a PortfolioRow, as_of: Date) -> Subject<'a> {
        static NONE: std::sync::LazyLock<Customer> = std::sync::LazyLock::new(Customer::default);
        Subject { row, customer: row.customer.as_ref().unwrap_or(&NONE), as_of }
    }
}

/// One base variable.
pub struct Variable {
    pub name: &'static str,
    pub kind: Kind,
    /// A column of `portfolio.csv` (the columns keep catalogue order).
    pub column: bool,
    /// The name in a sentence or heading ("share of wallet").
    pub label: Words,
    /// What it means, in a line.
    pub about: Words,
    /// The value as measured or read.
    pub value: fn(&Subject) -> Fact,
    /// When the value is doubtful: the rules then see it as missing, and
    /// `portfolio.csv` still shows it as measured
    /// (docs/metrics.md#share_of_wallet-potential-and-potential_stale).
    pub doubtful: Option<Doubt>,
}

/// What makes a value doubtful, and why in words.
pub struct Doubt {
    pub test: fn(&Subject) -> bool,
    /// A clause after the value: "is above 100%, so … it is set aside".
    pub why: Words,
}

const SHARE_ABOVE_ONE: Doubt = Doubt {
    test: share_above_one,
    why: words(
        "is above 100%, so the potential estimate is doubtful and it is set aside",
        "supera il 100%: la stima del potenziale è dubbia e il valore è messo da parte",
    ),
};

const POTENTIAL_BELOW_REVENUE: Doubt = Doubt {
    test: share_above_one,
    why: words(
        "is below this period's revenue, so the estimate is doubtful and it is set aside",
        "è inferiore al fatturato del periodo: la stima è dubbia e il valore è messo da parte",
    ),
};

const COST_INCOMPLETE: Doubt = Doubt {
    test: cost_incomplete,
    why: words(
        "counts lines without a cost as 0, so it is doubtful and set aside",
        "conta come 0 le righe senza costo: è dubbio e messo da parte",
    ),
};

const fn words(en: &'static str, it: &'static str) -> Words {
    Words { en, it }
}

fn amount(a: Option<Amount>) -> Fact {
    a.map_or(Fact::Null, Fact::Amount)
}

/// A model's estimate of money, to the cent.
fn estimate(x: Option<f64>) -> Fact {
    x.and_then(|x| Amount::from_f64_rounded((x * 100.0).round() / 100.0))
        .map_or(Fact::Null, Fact::Amount)
}

fn number(x: Option<f64>) -> Fact {
    x.map_or(Fact::Null, Fact::Number)
}

fn text(t: Option<&String>) -> Fact {
    t.map_or(Fact::Null, |t| Fact::Text(t.clone()))
}

fn count(n: Option<u64>) -> Fact {
    n.map_or(Fact::Null, |n| Fact::Count(n as i64))
}

/// The potential estimate is below the revenue: the share of wallet passes 100%.
fn share_above_one(s: &Subject) -> bool {
    s.row.metrics.share_doubtful()
}

/// Some lines of the window have no cost and count as 0: the cost is
/// understated and the margin overstated (docs/metrics.md#cost-margin-and-margin_pct).
fn cost_incomplete(s: &Subject) -> bool {
    s.row.metrics.margin_doubtful()
}

/// Product categories bought (net revenue above zero) in the window or the
/// previous one; missing when the data has no category.
fn categories(s: &Subject, current: bool) -> Fact {
    let categories = &s.row.metrics.categories;
    let bought = categories
        .iter()
        .filter(|c| if current { c.current.is_positive() } else { c.previous.is_positive() })
        .count();
    if categories.is_empty() { Fact::Null } else { Fact::Count(bought as i64) }
}

/// Every base variable, in the order of the fact table; the columns of
/// `portfolio.csv` come first, in their order.
pub static CATALOGUE: &[Variable] = &[
    Variable {
        name: "customer_id",
        kind: Kind::Text,
        column: true,
        label: words("customer id", "codice cliente"),
        about: words(
            "the customer's code, after the [customer_ids] rule",
            "il codice del cliente, dopo la regola [customer_ids]",
        ),
        value: |s| Fact::Text(s.row.customer_id.clone()),
        doubtful: None,
    },
    Variable {
        name: "name",
        kind: Kind::Text,
        column: true,
        label: words("name", "ragione sociale"),
        about: words("the name in the customers master", "il nome nell'anagrafica clienti"),
        value: |s| text(s.customer.name.as_ref()),
        doubtful: None,
    },
    Variable {
        name: "revenue",
        kind: Kind::Money,
        column: true,
        label: words("revenue", "fatturato"),
        about: words(
            "net revenue of the window, credit notes included",
            "fatturato netto del periodo, note di credito comprese",
        ),
        value: |s| Fact::Amount(s.row.metrics.revenue),
        doubtful: None,
    },
    Variable {
        name: "cost",
        kind: Kind::Money,
        column: true,
        label: words("cost", "costo"),
        about: words(
            "cost of the window's lines; missing without a cost column; doubtful when a line has no cost",
            "costo delle righe del periodo; assente senza una colonna dei costi; dubbio se una riga non ha costo",
        ),
        value: |s| amount(s.row.metrics.cost),
        doubtful: Some(COST_INCOMPLETE),
    },
    Variable {
        name: "margin",
        kind: Kind::Money,
        column: true,
        label: words("margin", "margine"),
        about: words(
            "revenue − cost; doubtful when a line has no cost",
            "fatturato − costo; dubbio se una riga non ha costo",
        ),
        value: |s| amount(s.row.metrics.margin),
        doubtful: Some(COST_INCOMPLETE),
    },
    Variable {
        name: "margin_pct",
        kind: Kind::Ratio,
        column: true,
        label: words("margin %", "margine %"),
        about: words(
            "margin ÷ revenue; missing when revenue is not above zero",
            "margine ÷ fatturato; assente se il fatturato non è positivo",
        ),
        value: |s| number(s.row.metrics.margin_pct),
        doubtful: Some(COST_INCOMPLETE),
    },
    Variable {
        name: "quantity",
        kind: Kind::Quantity,
        column: true,
        label: words("quantity", "quantità"),
        about: words(
            "quantity of the window's lines; missing without a quantity column",
            "quantità delle righe del periodo; assente senza una colonna delle quantità",
        ),
        value: |s| amount(s.row.metrics.quantity),
        doubtful: None,
    },
    Variable {
        name: "orders",
        kind: Kind::Count,
        column: true,
        label: words("orders", "ordini"),
        about: words(
            "distinct invoices of the window (purchase dates without an invoice column)",
            "fatture distinte del periodo (date d'acquisto senza una colonna delle fatture)",
        ),
        value: |s| Fact::Count(s.row.metrics.orders as i64),
        doubtful: None,
    },
    Variable {
        name: "products",
        kind: Kind::Count,
        column: true,
        label: words("products", "prodotti"),
        about: words(
            "distinct products bought in the window; missing without a product column",
            "prodotti distinti acquistati nel periodo; assente senza una colonna dei prodotti",
        ),
        value: |s| count(s.row.metrics.products),
        doubtful: None,
    },
    Variable {
        name: "revenue_prev",
        kind: Kind::Money,
        column: true,
        label: words("revenue prev", "fatturato del periodo precedente"),
        about: words(
            "net revenue of the previous window, as long as the window",
            "fatturato netto del periodo precedente, lungo quanto il periodo",
        ),
        value: |s| Fact::Amount(s.row.metrics.revenue_prev),
        doubtful: None,
    },
    Variable {
        name: "growth",
        kind: Kind::Ratio,
        column: true,
        label: words("growth", "crescita"),
        about: words(
            "revenue ÷ revenue_prev − 1; missing when revenue_prev is not above zero",
            "fatturato ÷ fatturato del periodo precedente − 1; assente se quest'ultimo non è positivo",
        ),
        value: |s| number(s.row.metrics.growth),
        doubtful: None,
    },
    Variable {
        name: "last_purchase",
        kind: Kind::Date,
        column: true,
        label: words("last purchase", "ultimo acquisto"),
        about: words(
            "latest date with a line on or before the analysis date",
            "ultima data con una riga entro la data di analisi",
        ),
        value: |s| s.row.metrics.last_purchase.map_or(Fact::Null, Fact::Date),
        doubtful: None,
    },
    Variable {
        name: "days_since_last",
        kind: Kind::Days,
        column: true,
        label: words("days since last", "giorni dall'ultimo acquisto"),
        about: words(
            "days from last_purchase to the analysis date",
            "giorni dall'ultimo acquisto alla data di analisi",
        ),
        value: |s| s.row.metrics.days_since_last.map_or(Fact::Null, Fact::Count),
        doubtful: None,
    },
    Variable {
        name: "share_of_wallet",
        kind: Kind::Ratio,
        column: true,
        label: words("share of wallet", "quota del fabbisogno"),
        about: words(
            "revenue ÷ potential; above 100% it is doubtful and the rules see it as missing",
            "fatturato ÷ potenziale; oltre il 100% è dubbia e le regole la vedono assente",
        ),
        value: |s| number(s.row.metrics.share_of_wallet),
        doubtful: Some(SHARE_ABOVE_ONE),
    },
    Variable {
        name: "active_months",
        kind: Kind::Count,
        column: true,
        label: words("active months", "mesi attivi"),
        about: words(
            "months of the window with net revenue other than zero",
            "mesi del periodo con fatturato netto diverso da zero",
        ),
        value: |s| Fact::Count(i64::from(s.row.metrics.active_months)),
        doubtful: None,
    },
    Variable {
        name: "cv",
        kind: Kind::Decimal,
        column: true,
        label: words("cv", "coefficiente di variazione"),
        about: words(
            "coefficient of variation of the monthly revenue of the window",
            "coefficiente di variazione del fatturato mensile del periodo",
        ),
        value: |s| number(s.row.metrics.cv),
        doubtful: None,
    },
    Variable {
        name: "p_alive",
        kind: Kind::Ratio,
        column: true,
        label: words("probability still active", "probabilità che sia ancora attivo"),
        about: words(
            "probability that the customer still buys, from the purchase model (BG/NBD) on its whole history; missing without purchases or a fitted model",
            "probabilità che il cliente acquisti ancora, dal modello degli acquisti (BG/NBD) su tutta la sua storia; assente senza acquisti o senza modello stimato",
        ),
        value: |s| number(s.row.outlook.map(|o| o.p_alive)),
        doubtful: None,
    },
    Variable {
        name: "expected_purchases_12m",
        kind: Kind::Decimal,
        column: true,
        label: words(
            "expected purchase days next 12 months",
            "giorni d'acquisto attesi nei prossimi 12 mesi",
        ),
        about: words(
            "purchase days the purchase model expects in the 365 days after the analysis date",
            "giorni d'acquisto che il modello degli acquisti prevede nei 365 giorni dopo la data di analisi",
        ),
        value: |s| number(s.row.outlook.map(|o| o.expected_purchases)),
        doubtful: None,
    },
    Variable {
        name: "expected_revenue_12m",
        kind: Kind::Money,
        column: true,
        label: words("expected revenue next 12 months", "fatturato atteso nei prossimi 12 mesi"),
        about: words(
            "expected purchase days × expected revenue per purchase day (Gamma-Gamma spend model); missing when the customer's repeat days net to zero or less",
            "giorni d'acquisto attesi × fatturato atteso per giorno d'acquisto (modello di spesa Gamma-Gamma); assente se i giorni successivi al primo hanno un netto nullo o negativo",
        ),
        value: |s| estimate(s.row.outlook.and_then(|o| o.expected_revenue())),
        doubtful: None,
    },
    Variable {
        name: "clv",
        kind: Kind::Money,
        column: true,
        label: words("customer value", "valore del cliente"),
        about: words(
            "expected revenue of the next months ([forecast] value_months, 36 by default), each discounted at [forecast] discount_rate a year",
            "fatturato atteso dei prossimi mesi ([forecast] value_months, 36 di norma), ciascuno scontato al tasso annuo [forecast] discount_rate",
        ),
        value: |s| estimate(s.row.outlook.and_then(|o| o.value)),
        doubtful: None,
    },
    Variable {
        name: "price_effect",
        kind: Kind::Money,
        column: true,
        label: words("price effect", "effetto prezzo"),
        about: words(
            "revenue change from the prices of the products bought in both windows, at this window's quantities; missing without products and quantities",
            "variazione del fatturato dovuta ai prezzi dei prodotti acquistati in entrambi i periodi, alle quantità di questo periodo; assente senza prodotti e quantità",
        ),
        value: |s| amount(s.row.metrics.drivers.map(|d| d.price)),
        doubtful: None,
    },
    Variable {
        name: "volume_effect",
        kind: Kind::Money,
        column: true,
        label: words("volume effect", "effetto volume"),
        about: words(
            "revenue change from the total quantity of the products bought in both windows, at the previous window's average price",
            "variazione del fatturato dovuta alla quantità totale dei prodotti acquistati in entrambi i periodi, al prezzo medio del periodo precedente",
        ),
        value: |s| amount(s.row.metrics.drivers.map(|d| d.volume)),
        doubtful: None,
    },
    Variable {
        name: "mix_effect",
        kind: Kind::Money,
        column: true,
        label: words("mix effect", "effetto mix"),
        about: words(
            "revenue change from the shift of quantity between those products at different prices",
            "variazione del fatturato dovuta allo spostamento della quantità tra quei prodotti a prezzi diversi",
        ),
        value: |s| amount(s.row.metrics.drivers.map(|d| d.mix)),
        doubtful: None,
    },
    Variable {
        name: "new_products_effect",
        kind: Kind::Money,
        column: true,
        label: words("new products effect", "effetto prodotti nuovi"),
        about: words(
            "revenue of the products bought in this window and not in the previous one",
            "fatturato dei prodotti acquistati in questo periodo e non nel precedente",
        ),
        value: |s| amount(s.row.metrics.drivers.map(|d| d.new_products)),
        doubtful: None,
    },
    Variable {
        name: "dropped_products_effect",
        kind: Kind::Money,
        column: true,
        label: words("dropped products effect", "effetto prodotti abbandonati"),
        about: words(
            "minus the previous window's revenue of the products not bought again in this one",
            "meno il fatturato del periodo precedente dei prodotti non più acquistati in questo",
        ),
        value: |s| amount(s.row.metrics.drivers.map(|d| d.dropped_products)),
        doubtful: None,
    },
    Variable {
        name: "median_gap",
        kind: Kind::Days,
        column: false,
        label: words("median gap", "intervallo mediano tra gli acquisti"),
        about: words(
            "median days between consecutive purchase dates up to the analysis date; missing with fewer than two",
            "mediana dei giorni tra date d'acquisto consecutive fino alla data di analisi; assente con meno di due",
        ),
        value: |s| number(s.row.metrics.median_gap),
        doubtful: None,
    },
    Variable {
        name: "categories",
        kind: Kind::Count,
        column: false,
        label: words("categories", "categorie"),
        about: words(
            "product categories bought in the window; missing when no line has a category",
            "categorie di prodotto acquistate nel periodo; assente se nessuna riga ha una categoria",
        ),
        value: |s| categories(s, true),
        doubtful: None,
    },
    Variable {
        name: "categories_prev",
        kind: Kind::Count,
        column: false,
        label: words("categories prev", "categorie del periodo precedente"),
        about: words(
            "product categories bought in the previous window",
            "categorie di prodotto acquistate nel periodo precedente",
        ),
        value: |s| categories(s, false),
        doubtful: None,
    },
    Variable {
        name: "sector",
        kind: Kind::Text,
        column: false,
        label: words("sector", "settore"),
        about: words("from the customers master", "dall'anagrafica clienti"),
        value: |s| text(s.customer.sector.as_ref()),
        doubtful: None,
    },
    Variable {
        name: "region",
        kind: Kind::Text,
        column: false,
        label: words("region", "area"),
        about: words("from the customers master", "dall'anagrafica clienti"),
        value: |s| text(s.customer.region.as_ref()),
        doubtful: None,
    },
    Variable {
        name: "account_manager",
        kind: Kind::Text,
        column: false,
        label: words("account manager", "account manager"),
        about: words("from the customers master", "dall'anagrafica clienti"),
        value: |s| text(s.customer.account_manager.as_ref()),
        doubtful: None,
    },
    Variable {
        name: "potential",
        kind: Kind::Money,
        column: false,
        label: words("potential", "potenziale"),
        about: words(
            "the customer's estimated purchase potential; set aside when below the revenue",
            "il potenziale d'acquisto stimato del cliente; messo da parte se inferiore al fatturato",
        ),
        value: |s| amount(s.customer.potential),
        doubtful: Some(POTENTIAL_BELOW_REVENUE),
    },
    Variable {
        name: "potential_stale",
        kind: Kind::Flag,
        column: false,
        label: words("potential stale", "potenziale non aggiornato"),
        about: words(
            "1 when the master's potential was set aside as below the revenue",
            "1 se il potenziale in anagrafica è stato messo da parte perché inferiore al fatturato",
        ),
        value: |s| Fact::Count(i64::from(share_above_one(s) && s.customer.potential.is_some())),
        doubtful: None,
    },
    Variable {
        name: "satisfaction",
        kind: Kind::Decimal,
        column: false,
        label: words("satisfaction", "soddisfazione"),
        about: words("a survey score, 1–5", "un punteggio d'indagine, 1–5"),
        value: |s| amount(s.customer.satisfaction),
        doubtful: None,
    },
    Variable {
        name: "loyalty",
        kind: Kind::Points,
        column: false,
        label: words("loyalty", "fedeltà"),
        about: words("a survey score, 0–100", "un punteggio d'indagine, 0–100"),
        value: |s| amount(s.customer.loyalty),
        doubtful: None,
    },
    Variable {
        name: "relationship_stage",
        kind: Kind::Text,
        column: false,
        label: words("relationship stage", "fase della relazione"),
        about: words(
            "pre-KAM, early-KAM, mid-KAM, partnership-KAM or synergistic-KAM",
            "pre-KAM, early-KAM, mid-KAM, partnership-KAM o synergistic-KAM",
        ),
        value: |s| s.customer.relationship_stage.map_or(Fact::Null, |t| Fact::Text(t.to_string())),
        doubtful: None,
    },
    Variable {
        name: "customer_since",
        kind: Kind::Date,
        column: false,
        label: words("customer since", "cliente dal"),
        about: words("the start of the relationship", "l'inizio della relazione"),
        value: |s| s.customer.customer_since.map_or(Fact::Null, Fact::Date),
        doubtful: None,
    },
    Variable {
        name: "cost_to_serve",
        kind: Kind::Money,
        column: false,
        label: words("cost to serve", "costo di servizio"),
        about: words(
            "the yearly cost of serving the customer, as written in the master",
            "il costo annuo di servizio del cliente, come scritto in anagrafica",
        ),
        value: |s| amount(s.customer.cost_to_serve),
        doubtful: None,
    },
    Variable {
        name: "market_growth",
        kind: Kind::Ratio,
        column: false,
        label: words("market growth", "crescita attesa"),
        about: words(
            "the customer's expected yearly growth, as a ratio (0.05 is +5%)",
            "la crescita annua attesa del cliente, come rapporto (0,05 è +5%)",
        ),
        value: |s| amount(s.customer.market_growth),
        doubtful: None,
    },
    Variable {
        name: "attractiveness",
        kind: Kind::Decimal,
        column: false,
        label: words("attractiveness", "attrattività"),
        about: words(
            "how attractive the customer is to us, 1–5",
            "quanto il cliente è attraente per noi, 1–5",
        ),
        value: |s| amount(s.customer.attractiveness),
        doubtful: None,
    },
    Variable {
        name: "adaptability",
        kind: Kind::Decimal,
        column: false,
        label: words("adaptability", "adattabilità"),
        about: words(
            "how well our offer fits the customer's requirements, 1–5",
            "quanto la nostra offerta si adatta alle esigenze del cliente, 1–5",
        ),
        value: |s| amount(s.customer.adaptability),
        doubtful: None,
    },
    Variable {
        name: "relationship_length",
        kind: Kind::Years,
        column: false,
        label: words("relationship length", "durata della relazione"),
        about: words(
            "completed years from customer_since to the analysis date",
            "anni compiuti da cliente dal alla data di analisi",
        ),
        value: |s| {
            s.customer
                .customer_since
                .and_then(|since| completed_years(since, s.as_of))
                .map_or(Fact::Null, Fact::Count)
        },
        doubtful: None,
    },
    Variable {
        name: "key_client_type",
        kind: Kind::Text,
        column: false,
        label: words("key client type", "ruolo del cliente"),
        about: words(
            "mainstay, prospect, image-maker or expert, from the account file",
            "mainstay, prospect, image-maker o expert, dalla scheda del cliente",
        ),
        value: |s| text(s.customer.key_client_type.as_ref()),
        doubtful: None,
    },
    Variable {
        name: "days_to_contract_expiry",
        kind: Kind::Days,
        column: false,
        label: words("days to contract expiry", "giorni alla scadenza del contratto"),
        about: words(
            "days from the analysis date to the contract's expiry (negative once expired)",
            "giorni dalla data di analisi alla scadenza del contratto (negativi se scaduto)",
        ),
        value: |s| {
            contract_expiry(s.customer).map_or(Fact::Null, |d| Fact::Count(i64::from(d - s.as_of)))
        },
        doubtful: None,
    },
];

/// The base variable named `name`.
pub fn find(name: &str) -> Option<&'static Variable> {
    CATALOGUE.iter().find(|v| v.name == name)
}

/// A column's header in the workbook: its id in English; in another language its name in
/// words (the catalogue's for a base variable), or the id as the rules
/// write it (a classification, a matrix).
pub fn column_header(column: &str, locale: Locale) -> String {
    let words = column.replace('_', " ");
    match (locale, find(column)) {
        (Locale::En, _) => column.to_string(),
        (_, Some(variable)) => variable.label.get(locale).to_string(),
        _ if locale.has(&words) => locale.text(&words).to_string(),
        _ => column.to_string(),
    }
}

/// The columns of `portfolio.csv` that come from the catalogue, in order.
pub fn columns() -> impl Iterator<Item = &'static Variable> {
    CATALOGUE.iter().filter(|v| v.column)
}

/// How a variable's figures read: from the catalogue, else (derived metrics
/// and other rule variables) from its name.
pub fn format_of(name: &str) -> &'static str {
    if let Some(v) = find(name) {
        return v.kind.format();
    }
    match name {
        // Added by the rules: a 1/0 flag, not an amount.
        "key_account" => "count",
        m if m.starts_with("days_") => "days",
        m if m.ends_with("_pct") || m.ends_with("_share") => "pct",
        _ => "money",
    }
}

/// A variable's name in a sentence: the catalogue's, else the locale's
/// reading of the name (rule variables such as `net_contribution`).
pub fn label(locale: Locale, name: &str) -> String {
    match find(name) {
        Some(v) => v.label.get(locale).to_string(),
        None => locale.variable_name(name),
    }
}

/// Whole years from `since` to `to`: an anniversary counts on its day (one on
/// 29 February on 1 March of other years); `None` if `since` is after `to`.
fn completed_years(since: Date, to: Date) -> Option<i64> {
    if since > to {
        return None;
    }
    let (sy, sm, sd) = since.ymd();
    let (ty, tm, td) = to.ymd();
    Some(i64::from(ty - sy) - i64::from((tm, td) < (sm, sd)))
}

/// The contract's expiry: from an account file, else from a master column
/// named like "Contract expiry".
pub fn contract_expiry(customer: &Customer) -> Option<Date> {
    customer.contract_expiry.or_else(|| {
        customer
            .attributes
            .iter()
            .find(|(k, _)| crate::model::fields::normalize_header(k) == "contractexpiry")
            .and_then(|(_, v)| parse_any_date(v))
    })
}

/// A date written ISO, dd/mm/yyyy or dd.mm.yyyy.
fn parse_any_date(text: &str) -> Option<Date> {
    use crate::config::dialect::DateFormat;
    ["yyyy-mm-dd", "dd/mm/yyyy", "dd.mm.yyyy"]
        .iter()
        .find_map(|f| DateFormat::from_name(f)?.parse(text))
}

/// The table of base variables in Markdown, as docs/rules.md#base-variables shows it.
pub fn markdown_table(locale: Locale) -> String {
    let (heading, yes, no) = match locale {
        Locale::It => ("| variabile | valore | in portfolio.csv | significato |", "sì", "no"),
        _ => ("| variable | value | in portfolio.csv | meaning |", "yes", "no"),
    };
    let mut out = format!("{heading}\n| --- | --- | --- | --- |\n");
    for v in CATALOGUE {
        let column = if v.column { yes } else { no };
        let (kind, about) = (v.kind.describe(locale), v.about.get(locale));
        out.push_str(&format!("| `{}` | {kind} | {column} | {about} |\n", v.name));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_length_count_completed_anniversaries() {
        let d = |y, m, day| Date::from_ymd(y, m, day).unwrap();
        assert_eq!(completed_years(d(2020, 6, 30), d(2025, 6, 30)), Some(5));
        assert_eq!(completed_years(d(2020, 7, 1), d(2025, 6, 30)), Some(4));
        assert_eq!(completed_years(d(2025, 6, 30), d(2025, 6, 30)), Some(0));
        assert_eq!(completed_years(d(2020, 2, 29), d(2025, 2, 28)), Some(4));
        assert_eq!(completed_years(d(2020, 2, 29), d(2025, 3, 1)), Some(5));
        assert_eq!(completed_years(d(2025, 7, 1), d(2025, 6, 30)), None);
    }
}
