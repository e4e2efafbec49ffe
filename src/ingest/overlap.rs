//! Sales exported twice: two files with the same bytes, or two files holding
//! the same invoices of the same customers (a yearly export beside the
//! monthly ones, an export re-run over a period already delivered). Their
//! lines would count twice.
//!
//! Keeping every invoice of every file would cost memory in proportion to
//! the data, so each file keeps a fixed one-in-`SAMPLE_RATE` sample of its
//! (customer, invoice) pairs, chosen by the pair's digest: the same pairs are
//! sampled in every file, so an invoice shared by two files is found whenever
//! it is in the sample. An overlap of 100 invoices is missed with a
//! probability of (15/16)^100 ≈ 0.2%.

use rustc_hash::FxHasher;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

/// One (customer, invoice) pair in this many is sampled.
pub const SAMPLE_RATE: u64 = 16;

/// The sampled (customer, invoice) digests of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InvoiceSample(Vec<u64>);

impl InvoiceSample {
    /// Notes a line's invoice, if its pair is in the sample. The lines of an
    /// invoice usually come together, so a repeat of the last one is skipped.
    pub fn note(&mut self, customer: &str, invoice: &str) {
        let mut h = FxHasher::default();
        (customer, invoice).hash(&mut h);
        let digest = h.finish();
        if digest.is_multiple_of(SAMPLE_RATE) && self.0.last() != Some(&digest) {
            self.0.push(digest);
        }
    }

    pub fn merge(&mut self, other: InvoiceSample) {
        self.0.extend(other.0);
    }

    /// Sorted and without repeats: what `shared` compares.
    pub fn finish(&mut self) {
        self.0.sort_unstable();
        self.0.dedup();
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Pairs of files (indices into `samples`, first < second) that share
/// sampled invoices, with the number shared in the sample. Linear in the
/// sample sizes: each digest remembers the files it was seen in.
pub fn shared(samples: &[&InvoiceSample]) -> Vec<(usize, usize, u64)> {
    let mut seen: rustc_hash::FxHashMap<u64, Vec<usize>> = Default::default();
    for (file, sample) in samples.iter().enumerate() {
        for &digest in &sample.0 {
            seen.entry(digest).or_default().push(file);
        }
    }
    let mut pairs: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    for files in seen.values().filter(|f| f.len() > 1) {
        for (i, &a) in files.iter().enumerate() {
            for &b in &files[i + 1..] {
                *pairs.entry((a, b)).or_default() += 1;
            }
        }
    }
    pairs.into_iter().map(|((a, b), n)| (a, b, n)).collect()
}

/// The files of `paths` whose bytes equal another's, in groups of two or
/// more, each group in the order given. Only files of the same length are
/// read, so data sets without copies cost no reading.
pub fn identical_files(paths: &[PathBuf]) -> Vec<Vec<PathBuf>> {
    let lengths: Vec<Option<u64>> =
        paths.iter().map(|p| std::fs::metadata(p).ok().map(|m| m.len())).collect();
    let mut groups: Vec<(blake3::Hash, Vec<PathBuf>)> = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let Some(len) = lengths[i] else { continue };
        if len == 0 || lengths.iter().filter(|l| **l == Some(len)).count() < 2 {
            continue;
        }
        let mut hasher = blake3::Hasher::new();
        if let Ok(file) = std::fs::File::open(path) {
            // A file that cannot be read hashes as far as it was read.
            let _ = hasher.update_reader(file);
        }
        let hash = hasher.finalize();
        match groups.iter_mut().find(|(h, _)| *h == hash) {
            Some((_, files)) => files.push(path.clone()),
            None => groups.push((hash, vec![path.clone()])),
        }
    }
    groups.into_iter().map(|(_, files)| files).filter(|f| f.len() > 1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(customer: &str, invoices: std::ops::Range<u32>) -> InvoiceSample {
        let mut s = InvoiceSample::default();
        for i in invoices {
            s.note(customer, &format!("F{i}"));
        }
        s.finish();
        s
    }

    #[test]
    fn files_sharing_invoices_are_paired_and_others_not() {
        let year = sample("C1", 0..1200);
        let december = sample("C1", 1100..1200);
        let next_year = sample("C1", 1200..2400);
        let other_customer = sample("C2", 0..1200);
        let found = shared(&[&year, &december, &next_year, &other_customer]);
        assert_eq!(found.len(), 1, "{found:?}");
        let (a, b, n) = found[0];
        assert_eq!((a, b), (0, 1));
        // About one in 16 of the 100 shared invoices.
        assert!((1..=20).contains(&n), "{n}");
    }

    #[test]
    fn the_sample_is_about_one_in_sixteen() {
        let s = sample("C1", 0..16_000);
        assert!((800..1200).contains(&s.0.len()), "{}", s.0.len());
    }

    #[test]
    fn files_with_the_same_bytes_are_grouped() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        let a = write("a.csv", b"date,customer,revenue\n2025-01-02,C1,10\n");
        let b = write("b.csv", b"date,customer,revenue\n2025-01-03,C1,10\n");
        let copy = write("copy.csv", b"date,customer,revenue\n2025-01-02,C1,10\n");
        let other = write("other.csv", b"date,customer,revenue\n");
        let empty = write("empty.csv", b"");
        let empty2 = write("empty2.csv", b"");
        let paths = [a.clone(), b, copy.clone(), other, empty, empty2];
        assert_eq!(identical_files(&paths), [vec![a, copy]]);
        assert!(identical_files(&paths[..2]).is_empty());
    }
}
