//! Fuzz targets for kamplan; see docs/fuzzing.md.

pub mod targets;
