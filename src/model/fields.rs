//! The canonical fields of sales lines and of the customers master
//! (docs/metrics.md#inputs), and the header names ERP exports commonly use
//! for them.

/// Fields of a sales line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SalesField {
    Date,
    CustomerId,
    Revenue,
    InvoiceId,
    ProductId,
    ProductCategory,
    Quantity,
    Cost,
}

/// Fields of the customers master; other columns are kept as attributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MasterField {
    CustomerId,
    Name,
    Sector,
    Region,
    AccountManager,
    Potential,
    Satisfaction,
    Loyalty,
    RelationshipStage,
    CustomerSince,
    CostToServe,
    MarketGrowth,
    Attractiveness,
    Adaptability,
}

/// What a field holds, which decides the column types a typed file
/// (Parquet) may give it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    Date,
    /// Money: exact decimals only, unless floats are accepted by a setting.
    Money,
    /// A quantity or a score: any number.
    Number,
    /// A code: text or a whole number, never a float or a date.
    Id,
    /// Free text: any value, written as text.
    Text,
}

/// A canonical field: its name and the header spellings recognised without a mapping.
pub trait CanonicalField: Copy + Eq + 'static {
    const ALL: &'static [Self];
    /// The kamplan.toml table where this kind of file is configured.
    const TABLE: &'static str;
    fn name(self) -> &'static str;
    /// Usual English and Italian header names, already normalised (see [`normalize_header`]).
    fn synonyms(self) -> &'static [&'static str];
    fn required(self) -> bool;
    fn kind(self) -> ValueKind;
    /// Position in `ALL`.
    fn index(self) -> usize;

    fn from_name(name: &str) -> Option<Self> {
        let wanted = normalize_header(name);
        Self::ALL.iter().copied().find(|f| normalize_header(f.name()) == wanted)
    }

    /// The field a header names, by canonical name or a known synonym.
    fn recognise(header: &str) -> Option<Self> {
        let h = normalize_header(header);
        Self::ALL
            .iter()
            .copied()
            .find(|f| normalize_header(f.name()) == h || f.synonyms().contains(&h.as_str()))
    }
}

impl CanonicalField for SalesField {
    const TABLE: &'static str = "sales";
    const ALL: &'static [Self] = &[
        SalesField::Date,
        SalesField::CustomerId,
        SalesField::Revenue,
        SalesField::InvoiceId,
        SalesField::ProductId,
        SalesField::ProductCategory,
        SalesField::Quantity,
        SalesField::Cost,
    ];

    fn name(self) -> &'static str {
        match self {
            SalesField::Date => "date",
            SalesField::CustomerId => "customer_id",
            SalesField::Revenue => "revenue",
            SalesField::InvoiceId => "invoice_id",
            SalesField::ProductId => "product_id",
            SalesField::ProductCategory => "product_category",
            SalesField::Quantity => "quantity",
            SalesField::Cost => "cost",
        }
    }

    fn synonyms(self) -> &'static [&'static str] {
        match self {
            SalesField::Date => &[
                "date",
                "invoicedate",
                "documentdate",
                "postingdate",
                "orderdate",
                "data",
                "datadocumento",
                "datafattura",
                "datadoc",
                "datareg",
                "dataregistrazione",
            ],
            SalesField::CustomerId => &[
                "customer",
                "customerid",
                "customercode",
                "customerno",
                "customernumber",
                "clientid",
                "clientcode",
                "accountid",
                "codicecliente",
                "codcliente",
                "codcli",
                "cliente",
                "idcliente",
            ],
            SalesField::Revenue => &[
                "revenue",
                "netamount",
                "amount",
                "netsales",
                "sales",
                "salesamount",
                "linetotal",
                "net",
                "importo",
                "importonetto",
                "fatturato",
                "valore",
                "valorenetto",
                "imponibile",
                "ricavo",
                "ricavi",
            ],
            SalesField::InvoiceId => &[
                "invoice",
                "invoiceid",
                "invoiceno",
                "invoicenumber",
                "documentno",
                "documentnumber",
                "docno",
                "numerofattura",
                "nfattura",
                "numfattura",
                "numerodocumento",
                "numdoc",
                "ndoc",
                "documento",
            ],
            SalesField::ProductId => &[
                "product",
                "productid",
                "productcode",
                "sku",
                "item",
                "itemcode",
                "itemno",
                "article",
                "codiceprodotto",
                "codicearticolo",
                "codarticolo",
                "codart",
                "articolo",
                "prodotto",
            ],
            SalesField::ProductCategory => &[
                "category",
                "productcategory",
                "productgroup",
                "productfamily",
                "productline",
                "family",
                "categoria",
                "categoriaprodotto",
                "famiglia",
                "gruppomerceologico",
                "lineaprodotto",
            ],
            SalesField::Quantity => {
                &["quantity", "qty", "units", "quantita", "qta", "qt", "pezzi", "colli"]
            }
            SalesField::Cost => &[
                "cost",
                "cogs",
                "costofgoods",
                "costofsales",
                "totalcost",
                "linecost",
                "costo",
                "costovenduto",
                "costodelvenduto",
                "costototale",
            ],
        }
    }

    fn required(self) -> bool {
        matches!(self, SalesField::Date | SalesField::CustomerId | SalesField::Revenue)
    }

    fn kind(self) -> ValueKind {
        match self {
            SalesField::Date => ValueKind::Date,
            SalesField::Revenue | SalesField::Cost => ValueKind::Money,
            SalesField::Quantity => ValueKind::Number,
            SalesField::CustomerId
            | SalesField::InvoiceId
            | SalesField::ProductId
            | SalesField::ProductCategory => ValueKind::Id,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl CanonicalField for MasterField {
    const TABLE: &'static str = "customers";
    const ALL: &'static [Self] = &[
        MasterField::CustomerId,
        MasterField::Name,
        MasterField::Sector,
        MasterField::Region,
        MasterField::AccountManager,
        MasterField::Potential,
        MasterField::Satisfaction,
        MasterField::Loyalty,
        MasterField::RelationshipStage,
        MasterField::CustomerSince,
        MasterField::CostToServe,
        MasterField::MarketGrowth,
        MasterField::Attractiveness,
        MasterField::Adaptability,
    ];

    fn name(self) -> &'static str {
        match self {
            MasterField::CustomerId => "customer_id",
            MasterField::Name => "name",
            MasterField::Sector => "sector",
            MasterField::Region => "region",
            MasterField::AccountManager => "account_manager",
            MasterField::Potential => "potential",
            MasterField::Satisfaction => "satisfaction",
            MasterField::Loyalty => "loyalty",
            MasterField::RelationshipStage => "relationship_stage",
            MasterField::CustomerSince => "customer_since",
            MasterField::CostToServe => "cost_to_serve",
            MasterField::MarketGrowth => "market_growth",
            MasterField::Attractiveness => "attractiveness",
            MasterField::Adaptability => "adaptability",
        }
    }

    fn synonyms(self) -> &'static [&'static str] {
        match self {
            MasterField::CustomerId => SalesField::CustomerId.synonyms(),
            MasterField::Name => &[
                "name",
                "customername",
                "company",
                "companyname",
                "clientname",
                "ragionesociale",
                "denominazione",
                "nome",
                "nomecliente",
            ],
            MasterField::Sector => {
                &["sector", "industry", "segment", "settore", "settoremerceologico"]
            }
            MasterField::Region => &["region", "area", "territory", "regione", "zona"],
            MasterField::AccountManager => &[
                "accountmanager",
                "salesrep",
                "salesperson",
                "agent",
                "agente",
                "venditore",
                "commerciale",
            ],
            MasterField::Potential => {
                &["potential", "purchasepotential", "potenziale", "potenzialeannuo"]
            }
            MasterField::Satisfaction => &["satisfaction", "csat", "soddisfazione"],
            MasterField::Loyalty => &["loyalty", "fedelta", "fidelizzazione"],
            MasterField::RelationshipStage => {
                &["relationshipstage", "kamstage", "stage", "faserelazione", "fase"]
            }
            MasterField::CustomerSince => {
                &["customersince", "since", "clientedal", "dataacquisizione"]
            }
            MasterField::CostToServe => {
                &["costtoserve", "servicecost", "costoservizio", "costodiservizio"]
            }
            MasterField::MarketGrowth => {
                &["marketgrowth", "expectedgrowth", "crescitamercato", "crescitaattesa"]
            }
            MasterField::Attractiveness => &["attractiveness", "attrattivita"],
            MasterField::Adaptability => &["adaptability", "adattabilita"],
        }
    }

    fn required(self) -> bool {
        self == MasterField::CustomerId
    }

    fn kind(self) -> ValueKind {
        match self {
            MasterField::CustomerId => ValueKind::Id,
            MasterField::CustomerSince => ValueKind::Date,
            MasterField::Potential | MasterField::CostToServe => ValueKind::Money,
            MasterField::Satisfaction
            | MasterField::Loyalty
            | MasterField::MarketGrowth
            | MasterField::Attractiveness
            | MasterField::Adaptability => ValueKind::Number,
            MasterField::Name
            | MasterField::Sector
            | MasterField::Region
            | MasterField::AccountManager
            | MasterField::RelationshipStage => ValueKind::Text,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Normalises a header for matching: lower case, accents folded, and everything
/// but letters and digits dropped, so `Codice Cliente`, `codice_cliente` and
/// `CODICE-CLIENTE` match, and `Quantità` matches `quantita`.
pub fn normalize_header(header: &str) -> String {
    header
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => Some('a'),
            'è' | 'é' | 'ê' | 'ë' => Some('e'),
            'ì' | 'í' | 'î' | 'ï' => Some('i'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => Some('o'),
            'ù' | 'ú' | 'û' | 'ü' => Some('u'),
            'ç' => Some('c'),
            'ñ' => Some('n'),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// The closest candidate to a misspelt name, for "did you mean" hints.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_is_the_position_in_all() {
        assert!(SalesField::ALL.iter().enumerate().all(|(i, f)| f.index() == i));
        assert!(MasterField::ALL.iter().enumerate().all(|(i, f)| f.index() == i));
    }

    #[test]
    fn recognises_usual_headers() {
        assert_eq!(SalesField::recognise("Codice Cliente"), Some(SalesField::CustomerId));
        assert_eq!(SalesField::recognise("Quantità"), Some(SalesField::Quantity));
        assert_eq!(SalesField::recognise("Data documento"), Some(SalesField::Date));
        assert_eq!(SalesField::recognise("Importo netto"), Some(SalesField::Revenue));
        assert_eq!(SalesField::recognise("customer_id"), Some(SalesField::CustomerId));
        assert_eq!(SalesField::recognise("Customer name"), None);
        assert_eq!(MasterField::recognise("Ragione sociale"), Some(MasterField::Name));
    }

    #[test]
    fn suggests_close_names() {
        let names = SalesField::ALL.iter().map(|f| f.name());
        assert_eq!(closest("revenu", names.clone()), Some("revenue"));
        assert_eq!(closest("custmer_id", names.clone()), Some("customer_id"));
        assert_eq!(closest("zzz", names), None);
    }
}
