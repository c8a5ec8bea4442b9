//! What `check` and `test` found, in the short and JSON formats.

use serde::Serialize;

use rekindle::PackError;

use crate::locate::Locations;

/// One thing found wrong in a file.
#[derive(Serialize)]
pub(crate) struct Finding {
    pub(crate) file: String,
    /// 1-based, when known.
    pub(crate) line: Option<u64>,
    /// 1-based, in characters, when known.
    pub(crate) column: Option<u64>,
    /// The JSON path of the place, empty when the whole file is meant.
    pub(crate) path: String,
    /// A stable tag: a problem kind, a pack error tag, `fail` or `unfired`.
    pub(crate) kind: String,
    pub(crate) message: String,
}

impl Finding {
    /// A finding at `path`, placed at a line and column when `locations` knows it.
    pub(crate) fn at(
        file: &str,
        locations: &Locations,
        path: &str,
        kind: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let position = locations.position(path);
        Finding {
            file: file.to_owned(),
            line: position.map(|p| p.0),
            column: position.map(|p| p.1),
            path: path.to_owned(),
            kind: kind.into(),
            message: message.into(),
        }
    }

    /// `file:line:col: kind: path: message`, or `file:path: kind: message`
    /// when the position is unknown, or `file: kind: message` for the whole file.
    pub(crate) fn short_line(&self) -> String {
        let (file, kind, message, path) = (&self.file, &self.kind, &self.message, &self.path);
        match (self.line, self.column, path.is_empty()) {
            (Some(line), Some(column), true) => format!("{file}:{line}:{column}: {kind}: {message}"),
            (Some(line), Some(column), false) => format!("{file}:{line}:{column}: {kind}: {path}: {message}"),
            (_, _, false) => format!("{file}:{path}: {kind}: {message}"),
            (_, _, true) => format!("{file}: {kind}: {message}"),
        }
    }
}

/// The findings for a pack that did not load; `text` is the pack's text
/// when it could be read as UTF-8, for positions.
pub(crate) fn pack_findings(file: &str, text: Option<&str>, error: &PackError) -> Vec<Finding> {
    match error {
        PackError::Invalid { problems } => {
            let locations =
                Locations::find(text.unwrap_or_default(), problems.iter().map(|p| p.path.as_str()));
            problems
                .iter()
                .map(|p| Finding::at(file, &locations, &p.path, p.kind.tag(), p.message.as_str()))
                .collect()
        }
        PackError::Syntax {
            line,
            column,
            path,
            message,
        } => vec![Finding {
            file: file.to_owned(),
            line: Some(*line),
            column: Some(*column),
            path: path.clone(),
            kind: error.tag().to_owned(),
            message: message.clone(),
        }],
        other => vec![Finding {
            file: file.to_owned(),
            line: None,
            column: None,
            path: String::new(),
            kind: other.tag().to_owned(),
            message: other.to_string(),
        }],
    }
}

/// One line per finding.
pub(crate) fn short_lines(findings: &[Finding]) -> String {
    let mut out = String::new();
    for finding in findings {
        out.push_str(&finding.short_line());
        out.push('\n');
    }
    out
}
