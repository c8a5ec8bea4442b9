//! Reading packs, answers and fixtures from files or standard input.

use std::io::{self, Read};
use std::path::Path;

use rekindle::{Engine, PackError};

use crate::text::plural;
use crate::Failure;

/// What `default` and `-` mean where a pack is expected.
pub(crate) const DEFAULT_PACK_NAME: &str = "default";
pub(crate) const DEFAULT_PACK_LABEL: &str = "built-in default pack";

/// Reads a file, or standard input for `-`.
pub(crate) fn read_bytes(path: &str) -> Result<Vec<u8>, Failure> {
    let result = if path == "-" {
        let mut bytes = Vec::new();
        io::stdin().lock().read_to_end(&mut bytes).map(|_| bytes)
    } else if Path::new(path).is_dir() {
        return Err(Failure::usage(format!("cannot read {path}: it is a directory")));
    } else {
        std::fs::read(path)
    };
    result.map_err(|e| Failure::usage(format!("cannot read {}: {}", display_name(path), io_reason(&e))))
}

/// Reads a UTF-8 text file, or standard input for `-`.
pub(crate) fn read_text(path: &str) -> Result<String, Failure> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| {
        Failure::rejected(format!(
            "{}: not valid UTF-8 (first bad byte at offset {})",
            display_name(path),
            e.utf8_error().valid_up_to()
        ))
    })
}

pub(crate) fn display_name(path: &str) -> &str {
    if path == "-" {
        "standard input"
    } else {
        path
    }
}

/// An I/O error in plain words, without the OS error number.
pub(crate) fn io_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(at) => text[..at].to_owned(),
                None => text,
            }
        }
    }
}

/// Loads the pack named by `spec` (`None` or `default`: the built-in one).
pub(crate) fn load_engine(spec: Option<&str>) -> Result<(String, Engine), Failure> {
    load_pack(spec).map(|(name, engine, _)| (name, engine))
}

/// As [`load_engine`], with the pack's text (for finding positions in it).
pub(crate) fn load_pack(spec: Option<&str>) -> Result<(String, Engine, String), Failure> {
    match spec {
        None | Some(DEFAULT_PACK_NAME) => Ok((
            DEFAULT_PACK_LABEL.to_owned(),
            Engine::embedded(),
            rekindle::DEFAULT_PACK_JSON.to_owned(),
        )),
        Some(path) => {
            let bytes = read_bytes(path)?;
            let name = display_name(path).to_owned();
            match Engine::from_slice(&bytes) {
                // A pack that compiled is UTF-8.
                Ok(engine) => Ok((name, engine, String::from_utf8_lossy(&bytes).into_owned())),
                Err(error) => Err(Failure::rejected(pack_error_line(&name, path, &error))),
            }
        }
    }
}

/// `path: ` before a message about the value at a JSON path, or nothing at
/// the top level.
pub(crate) fn at_path(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    }
}

/// A pack error on one line.
pub(crate) fn pack_error_line(name: &str, path: &str, error: &PackError) -> String {
    match error {
        PackError::Syntax {
            line,
            column,
            path,
            message,
        } => format!("{name}: {}line {line}, column {column}: {message}", at_path(path)),
        PackError::Invalid { problems } => {
            let count = plural(problems.len(), "problem", "problems");
            match problems.first() {
                Some(first) => format!(
                    "{name}: invalid pack, {count}; the first: {first} (`rekindle check {path}` lists them all)"
                ),
                None => format!("{name}: invalid pack"),
            }
        }
        other => format!("{name}: {other}"),
    }
}

/// A pack's display name and bytes: `default` is the built-in pack.
pub(crate) fn pack_source(path: &str) -> Result<(&str, Vec<u8>), Failure> {
    if path == DEFAULT_PACK_NAME {
        return Ok((
            DEFAULT_PACK_LABEL,
            rekindle::DEFAULT_PACK_JSON.as_bytes().to_vec(),
        ));
    }
    Ok((display_name(path), read_bytes(path)?))
}
