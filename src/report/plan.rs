//! Which documents a build makes and under which file names: the portfolio
//! report and the plan of every key account, or the plans of the accounts
//! asked for.

use super::account::{DOSSIER_BUBBLES, account_document};
use super::charts::MatrixCharts;
use super::portfolio::portfolio_document;
use super::slug::distinct_slugs;
use super::{Meta, Sources};
use crate::render::Document;

/// The documents of one build, made one at a time by the workers.
pub struct BuildPlan<'a> {
    sources: Sources<'a>,
    meta: Meta,
    matrix_charts: MatrixCharts,
    /// Portfolio rows of the account plans, in [`render_order`].
    accounts: Vec<usize>,
    /// File name stem of every customer, by row.
    slugs: Vec<String>,
    with_portfolio: bool,
}

impl<'a> BuildPlan<'a> {
    /// Every key account's plan and the portfolio report; or, when
    /// `accounts` names customers, only their plans (any customer may be
    /// named). Fails naming an id that is not in the portfolio.
    pub fn new(
        sources: Sources<'a>,
        meta: Meta,
        accounts: &[String],
    ) -> Result<BuildPlan<'a>, String> {
        let portfolio = sources.portfolio;
        let mut rows: Vec<usize> = if accounts.is_empty() {
            portfolio.key_account_rows()
        } else {
            let found: Result<Vec<usize>, String> = accounts
                .iter()
                .map(|id| {
                    portfolio.row_of(id).ok_or_else(|| {
                        format!("--account {id}: no customer with this id in the portfolio")
                    })
                })
                .collect();
            found?
        };
        rows.sort_unstable();
        rows.dedup();
        let rows = render_order(portfolio, rows);
        // Decided over every customer in id order, so an account's file name
        // does not depend on which accounts a run builds.
        let slugs =
            distinct_slugs(portfolio.rows.iter().map(|r| (r.customer_id.as_str(), r.name())));
        Ok(BuildPlan {
            matrix_charts: MatrixCharts::new(portfolio, sources.rules, DOSSIER_BUBBLES),
            sources,
            meta,
            accounts: rows,
            slugs,
            with_portfolio: accounts.is_empty(),
        })
    }

    /// What the documents are made from, analyses included.
    pub fn sources(&self) -> &Sources<'a> {
        &self.sources
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.accounts.len() + usize::from(self.with_portfolio)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`-th document: the portfolio report first, when it is built.
    pub fn document(&self, i: usize) -> Document {
        if self.with_portfolio && i == 0 {
            return portfolio_document(&self.sources, &self.meta);
        }
        let row = self.accounts[i - usize::from(self.with_portfolio)];
        self.account(row)
    }

    /// The plan of the customer in portfolio row `row`.
    pub fn account(&self, row: usize) -> Document {
        let output = format!("accounts/{}.pdf", self.slugs[row]);
        account_document(&self.sources, &self.meta, &self.matrix_charts, row, output)
    }

    /// Portfolio rows of the key accounts, in id order.
    pub fn key_accounts(&self) -> Vec<usize> {
        self.sources.portfolio.key_account_rows()
    }

    /// Portfolio rows of the account plans, in the order they are rendered.
    pub fn account_rows(&self) -> &[usize] {
        &self.accounts
    }
}

/// `rows` (in id order) grouped by strategy, in id order within one.
/// Plans of one strategy share their playbook's text, and Typst reuses what
/// it laid out for the last documents: the sample's build takes 1% fewer
/// instructions in this order. The order changes no document.
fn render_order(portfolio: &crate::classify::Portfolio, rows: Vec<usize>) -> Vec<usize> {
    let mut keyed: Vec<(Option<String>, usize)> =
        rows.into_iter().map(|r| (portfolio.text("strategy", r), r)).collect();
    keyed.sort();
    keyed.into_iter().map(|(_, r)| r).collect()
}
