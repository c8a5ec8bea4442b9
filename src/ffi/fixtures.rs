//! The fixture runner over the FFI, for rule authors' tools and the bindings'
//! tests (feature `fixtures`). Apps never run fixtures, so the mobile
//! libraries leave this out: it brings the fixture model's parser and the
//! report records along.

use crate::fixtures::{run_fixture_json, FixtureError, FixtureReport};

use super::{Engine, RekindleError};

#[uniffi::export]
impl Engine {
    /// Runs fixture files (each a name for reports and its JSON text)
    /// against this engine's pack.
    pub fn run_fixtures(&self, files: Vec<FixtureSource>) -> Result<FixtureReport, RekindleError> {
        let report = run_fixture_json(
            &self.engine,
            files.iter().map(|f| (f.name.as_str(), f.json.as_str())),
        )?;
        Ok(report)
    }
}

/// One fixture file to run: a name used in reports and its JSON text.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FixtureSource {
    /// The name reports use for the file, such as `personas.json`.
    pub name: String,
    /// The fixture file's JSON text.
    pub json: String,
}

/// A readable report of a fixture run's failures, ending with
/// `N passed, N failed`.
#[uniffi::export]
pub fn fixture_summary(report: FixtureReport) -> String {
    report.summary()
}

impl From<FixtureError> for RekindleError {
    fn from(error: FixtureError) -> Self {
        let (tag, file) = match &error {
            FixtureError::Syntax { file, .. } => ("syntax", file.clone()),
            FixtureError::UnsupportedFormat { file, .. } => ("unsupported_format", file.clone()),
        };
        RekindleError::InvalidFixtures {
            tag: tag.to_owned(),
            detail: error.to_string(),
            file,
        }
    }
}
