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

    /// Keeps `shard`'s part of a whole build: the `K`-th of `N` consecutive
    /// slices of the plans in render order, and the portfolio report in the
    /// first. The slices depend only on the inputs, so `N` runs on `N`
    /// machines make between them exactly the documents of one run.
    pub fn shard(mut self, shard: Shard) -> BuildPlan<'a> {
        let len = self.accounts.len();
        let (start, end) = shard.slice(len);
        self.accounts = self.accounts[start..end].to_vec();
        self.with_portfolio &= shard.index == 1;
        self
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

/// One of `count` parts of a build (`--shard K/N`), `index` from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// The range `start..end` of `len` plans that falls to this shard: the
    /// shards' sizes differ by one at most.
    pub fn slice(self, len: usize) -> (usize, usize) {
        (len * (self.index - 1) / self.count, len * self.index / self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let expected = || "expected K/N with 1 ≤ K ≤ N, e.g. 2/8".to_string();
        let (k, n) = text.split_once('/').ok_or_else(expected)?;
        let (index, count) = match (k.trim().parse::<usize>(), n.trim().parse::<usize>()) {
            (Ok(index), Ok(count)) => (index, count),
            _ => return Err(expected()),
        };
        if index == 0 || index > count {
            return Err(expected());
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::Shard;

    #[test]
    fn shards_cover_every_plan_once_in_slices_of_near_equal_size() {
        for len in [0, 1, 2, 7, 30, 1104] {
            for count in 1..=9 {
                let slices: Vec<(usize, usize)> =
                    (1..=count).map(|index| Shard { index, count }.slice(len)).collect();
                assert_eq!(slices[0].0, 0);
                assert_eq!(slices[count - 1].1, len);
                for pair in slices.windows(2) {
                    assert_eq!(pair[0].1, pair[1].0, "consecutive, without gap or overlap");
                }
                let sizes: Vec<usize> = slices.iter().map(|(a, b)| b - a).collect();
                let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
                assert!(max - min <= 1, "{len} plans in {count}: {sizes:?}");
            }
        }
    }

    #[test]
    fn a_shard_is_read_as_k_of_n() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { index: 2, count: 8 }));
        assert_eq!("1/1".parse::<Shard>(), Ok(Shard { index: 1, count: 1 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/3", ""] {
            let error = bad.parse::<Shard>().unwrap_err();
            assert!(error.contains("expected K/N"), "{bad}: {error}");
        }
    }
}
