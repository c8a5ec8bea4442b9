//! Progress over time: a private snapshot of each assessment, and what
//! changed since the last one.
//!
//! A [`Snapshot`] holds the pack's id, version and content hash, the date
//! the app gives, each dimension's 0-100 score and band, and the challenge,
//! phase and day reached. It holds no answers and no safety state, so an app
//! can store or back it up without holding anything a partner disclosed.
//!
//! The next assessment takes earlier snapshots. The most recent (by date) is
//! compared with: each dimension's change, its band before and after, and a
//! direction judged by the dimension's `meaningful_change` (smaller changes
//! are steady) and `better` (lower or higher). Rules read the same through
//! the `change`, `trend`, `previous_band` and `previous` leaves, so the pack
//! decides the next step. Safety rules read none of them: no snapshot can
//! raise, lower or delay the safety gate.
//!
//! Compatibility: a snapshot from another pack id is an error
//! (`snapshot_other_pack`). From another version of the same pack,
//! dimensions present in both (by id) are compared and the others are listed
//! as not comparable, and so is the journey: a challenge this version lacks
//! drops the challenge, phase and day; a phase not of the challenge, or a
//! day past its end here, is dropped. A malformed or inconsistent snapshot
//! is an error (`invalid_snapshot`) whose message never repeats its values:
//! under any version, a score off the scale, a band without a score, a
//! dimension twice, a phase without its challenge, a day outside 1-366, or
//! a journey in a partner's own snapshot; under the same pack (same hash),
//! also an id the pack lacks, a band that does not match its score, a phase
//! of another challenge, a day past the challenge's last, or a version
//! other than the pack's (the hash covers the version).

use serde::{Deserialize, Serialize};

use crate::compile::Program;
use crate::couple::CouplePlan;
use crate::error::{AnswersError, Problem, ProblemKind};
use crate::recommend::{DimensionScore, PackInfo, Recommendation};
use crate::score::{band_of, Scored};

/// The snapshot format this build writes and reads.
pub const SNAPSHOT_FORMAT: u32 = 1;

/// Most snapshots one assessment takes, per list.
pub(crate) const MAX_SNAPSHOTS: usize = 100;

/// The longest challenge, in days (as packs allow).
const MAX_DAY: u32 = 366;

/// A small record of one assessment, for the app to store and pass back next
/// time. No answers, no safety state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, uniffi::Record)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// The snapshot format, [`SNAPSHOT_FORMAT`].
    pub format: u32,
    /// The id of the pack that produced it.
    pub pack_id: String,
    /// The pack's version.
    pub pack_version: String,
    /// The pack's content hash.
    pub pack_hash: String,
    /// The date the app gave, as `YYYY-MM-DD`.
    pub date: String,
    /// Each dimension's score and band, in pack order.
    pub scores: Vec<SnapshotScore>,
    /// The challenge emphasised, if any.
    #[serde(default)]
    #[uniffi(default)]
    pub challenge: Option<String>,
    /// The phase emphasised, if any.
    #[serde(default)]
    #[uniffi(default)]
    pub phase: Option<String>,
    /// The day of the challenge the couple reached, as the app reports it.
    #[serde(default)]
    #[uniffi(default)]
    pub day: Option<u32>,
}

/// One dimension in a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, uniffi::Record)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SnapshotScore {
    /// The dimension id.
    pub dimension: String,
    /// The 0-100 score, absent when too few items were answered.
    pub score: Option<f64>,
    /// The band id, when the dimension has bands and a score.
    pub band: Option<String>,
}

/// Which way a dimension moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Better by at least the dimension's meaningful change.
    Better,
    /// Worse by at least the dimension's meaningful change.
    Worse,
    /// Changed by less than the meaningful change.
    Steady,
    /// A score is missing now or before.
    Unknown,
}

impl Direction {
    /// The stable name, as `trend` leaves and fixtures write it.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Better => "better",
            Direction::Worse => "worse",
            Direction::Steady => "steady",
            Direction::Unknown => "unknown",
        }
    }
}

/// One dimension now against before.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct DimensionProgress {
    /// The dimension id.
    pub id: String,
    /// Display name.
    pub title: String,
    /// The score in the most recent snapshot.
    pub before: Option<f64>,
    /// The score now.
    pub now: Option<f64>,
    /// Now minus before.
    pub change: Option<f64>,
    /// Now minus the score in the earliest snapshot given.
    pub change_since_first: Option<f64>,
    /// The band in the most recent snapshot.
    pub band_before: Option<String>,
    /// The band now.
    pub band_now: Option<String>,
    /// Better, worse or steady, by the dimension's meaningful change.
    pub direction: Direction,
}

/// What changed since the most recent snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct Progress {
    /// The date of the snapshot compared with.
    pub since: String,
    /// Days since that snapshot, when the assessment gave its date.
    pub days: Option<u32>,
    /// How many snapshots were given.
    pub snapshots: u32,
    /// Every dimension both the snapshot and this assessment have, in pack order.
    pub dimensions: Vec<DimensionProgress>,
    /// Dimension ids only one side has (the snapshot came from another
    /// version of the pack).
    pub not_comparable: Vec<String>,
    /// The challenge the snapshot recorded.
    pub previous_challenge: Option<String>,
    /// The phase the snapshot recorded.
    pub previous_phase: Option<String>,
    /// The challenge day the snapshot recorded.
    pub previous_day: Option<u32>,
}

/// The past as rules read it, by index.
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    /// Scores and bands of the most recent snapshot, per dimension of this
    /// pack (`None`: absent or not comparable).
    pub(crate) scores: Vec<Option<f64>>,
    pub(crate) bands: Vec<Option<usize>>,
    /// Scores of the earliest snapshot.
    pub(crate) first: Vec<Option<f64>>,
    /// Which dimensions the snapshot has at all.
    pub(crate) present: Vec<bool>,
    /// Ids of the snapshot's dimensions this pack does not have.
    pub(crate) unknown: Vec<String>,
    pub(crate) challenge: Option<usize>,
    pub(crate) phase: Option<(usize, usize)>,
    pub(crate) day: Option<u32>,
    pub(crate) days_since: Option<u32>,
    pub(crate) date: String,
    pub(crate) count: u32,
}

impl History {
    /// The direction of dimension `d` given its score now.
    pub(crate) fn direction(&self, program: &Program, d: usize, now: Option<f64>) -> Direction {
        let (Some(before), Some(now)) = (self.scores.get(d).copied().flatten(), now) else {
            return Direction::Unknown;
        };
        let dim = &program.dimensions[d];
        let change = round6(now - before);
        if change.abs() < dim.meaningful_change {
            Direction::Steady
        } else if (change < 0.0) == dim.lower_is_better {
            Direction::Better
        } else {
            Direction::Worse
        }
    }

    /// Only the journey of the shared history, for a partner who gave no
    /// snapshot of their own.
    pub(crate) fn journey_only(program: &Program, journey: &History) -> History {
        let n = program.pack.dimensions.len();
        History {
            scores: vec![None; n],
            bands: vec![None; n],
            first: vec![None; n],
            present: vec![false; n],
            date: journey.date.clone(),
            count: journey.count,
            ..History::default()
        }
        .with_journey(journey)
    }

    /// The journey (challenge, phase, day, days since) of another history,
    /// with this one's scores: in couple mode a partner's scores come from
    /// their own snapshot and the journey from the shared one.
    pub(crate) fn with_journey(mut self, journey: &History) -> History {
        self.challenge = journey.challenge;
        self.phase = journey.phase;
        self.day = journey.day;
        self.days_since = journey.days_since;
        self
    }
}

/// A day number from a `YYYY-MM-DD` date (days since 1970-01-01), or `None`
/// when the text is not such a date.
pub(crate) fn day_number(date: &str) -> Option<i64> {
    let bytes = date.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = date.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month[(m - 1) as usize] {
        return None;
    }
    // Days from civil date (proleptic Gregorian), shifted so March starts the year.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// Checks snapshots and reads the past from them. `list` names them in
/// problem paths (`previous`, `previous_a`, ...); `date` is the
/// assessment's own date, when given.
pub(crate) fn history(
    program: &Program,
    snapshots: &[Snapshot],
    date: Option<&str>,
    list: &str,
    problems: &mut Vec<Problem>,
) -> Option<History> {
    if snapshots.is_empty() {
        return None;
    }
    if snapshots.len() > MAX_SNAPSHOTS {
        problems.push(Problem::new(
            ProblemKind::TooManyAnswers,
            list,
            format!("{} snapshots, over the limit of {MAX_SNAPSHOTS}", snapshots.len()),
        ));
        return None;
    }
    let today = date.and_then(day_number);
    let before = problems.len();
    let mut days = Vec::with_capacity(snapshots.len());
    for (i, snapshot) in snapshots.iter().enumerate() {
        days.push(check_snapshot(
            program,
            snapshot,
            today,
            &format!("{list}[{i}]"),
            problems,
        ));
    }
    if problems.len() > before {
        return None;
    }
    let days: Vec<i64> = days.into_iter().flatten().collect();
    // The most recent is compared with; on equal dates, the later given.
    let latest = (0..snapshots.len()).max_by_key(|&i| (days[i], i))?;
    let earliest = (0..snapshots.len()).min_by_key(|&i| (days[i], i))?;
    let mut history = read(program, &snapshots[latest]);
    history.first = read(program, &snapshots[earliest]).scores;
    history.days_since = today.map(|t| u32::try_from(t - days[latest]).unwrap_or(u32::MAX));
    history.count = snapshots.len() as u32;
    Some(history)
}

/// Problems with one snapshot; its day number when it has none.
fn check_snapshot(
    program: &Program,
    snapshot: &Snapshot,
    today: Option<i64>,
    path: &str,
    problems: &mut Vec<Problem>,
) -> Option<i64> {
    let mut invalid = |field: &str, message: &str| {
        problems.push(Problem::new(
            ProblemKind::InvalidSnapshot,
            format!("{path}.{field}"),
            message,
        ));
    };
    if snapshot.format != SNAPSHOT_FORMAT {
        invalid("format", "this build reads snapshot format 1");
        return None;
    }
    if snapshot.pack_id != program.pack.id {
        problems.push(Problem::new(
            ProblemKind::SnapshotOtherPack,
            format!("{path}.pack_id"),
            "the snapshot comes from another pack, so nothing in it can be compared",
        ));
        return None;
    }
    let limits = &program.limits;
    let long = |text: &str| text.len() > limits.max_id_bytes;
    if long(&snapshot.pack_version) || long(&snapshot.pack_hash) {
        invalid("pack_version", "the pack version or hash is longer than any id");
    }
    let day = day_number(&snapshot.date);
    match (day, today) {
        (None, _) => invalid("date", "not a date of the form YYYY-MM-DD"),
        (Some(day), Some(today)) if day > today => {
            invalid("date", "the snapshot is dated after this assessment")
        }
        _ => {}
    }
    if snapshot.day.is_some_and(|d| d == 0 || d > MAX_DAY) {
        invalid("day", "a challenge day runs from 1 to 366");
    }
    // The hash names the pack's content, version included: the same hash
    // with another version is no snapshot this pack (or any) wrote.
    let same_pack = snapshot.pack_hash == program.hash;
    if same_pack && snapshot.pack_version != program.pack.version {
        invalid(
            "pack_version",
            "the snapshot has this pack's hash but another version",
        );
    }
    check_journey(program, snapshot, same_pack, path, problems);
    let mut invalid = |field: &str, message: &str| {
        problems.push(Problem::new(
            ProblemKind::InvalidSnapshot,
            format!("{path}.{field}"),
            message,
        ));
    };
    if snapshot.scores.len() > program.limits.max_dimensions {
        invalid("scores", "more scores than a pack may have dimensions");
        return day;
    }
    // Under the same pack, the snapshot must be what this pack could have
    // written; under another version, unknown ids are simply not comparable.
    // What no pack could write (a band without a score, a dimension twice)
    // is refused under any version.
    let mut seen: Vec<&str> = Vec::with_capacity(snapshot.scores.len());
    for (j, entry) in snapshot.scores.iter().enumerate() {
        let spath = format!("scores[{j}]");
        if long(&entry.dimension) || entry.band.as_deref().is_some_and(long) {
            invalid(&spath, "an id is longer than any id");
            continue;
        }
        if entry
            .score
            .is_some_and(|s| !s.is_finite() || !(0.0..=100.0).contains(&s))
        {
            invalid(&format!("{spath}.score"), "a score runs from 0 to 100");
            continue;
        }
        if entry.score.is_none() && entry.band.is_some() {
            invalid(&format!("{spath}.band"), "a band needs a score");
            continue;
        }
        // At most max_dimensions entries, so a linear scan is cheap.
        if seen.contains(&entry.dimension.as_str()) {
            invalid(&format!("{spath}.dimension"), "this dimension is listed twice");
            continue;
        }
        seen.push(&entry.dimension);
        let Some(d) = program
            .pack
            .dimensions
            .iter()
            .position(|dim| dim.id == entry.dimension)
        else {
            if same_pack {
                invalid(
                    &format!("{spath}.dimension"),
                    "the pack has no dimension with this id",
                );
            }
            continue;
        };
        if same_pack {
            let expected = entry.score.and_then(|s| band_of(&program.dimensions[d], s));
            let band = expected.map(|b| program.pack.dimensions[d].bands[b].id.as_str());
            if entry.band.as_deref() != band {
                invalid(
                    &format!("{spath}.band"),
                    "the band does not match the score under this pack",
                );
            }
        }
    }
    day
}

/// The challenge, phase and day of a snapshot. What no pack could write is
/// refused under any version: a phase without its challenge, a journey in a
/// partner's own snapshot (only the shared one holds it). Under the same
/// pack every id must be this pack's, the phase must belong to the
/// challenge and the day lie within it; under another version what does not
/// fit this pack is dropped by [`journey`] instead, as unknown dimensions are.
fn check_journey(
    program: &Program,
    snapshot: &Snapshot,
    same_pack: bool,
    path: &str,
    problems: &mut Vec<Problem>,
) {
    let mut invalid = |field: &str, message: &str| {
        problems.push(Problem::new(
            ProblemKind::InvalidSnapshot,
            format!("{path}.{field}"),
            message,
        ));
    };
    // The list name is how a partner's own snapshots are told apart.
    let own = path.starts_with("previous_a[") || path.starts_with("previous_b[");
    if own {
        for (field, given) in [
            ("challenge", snapshot.challenge.is_some()),
            ("phase", snapshot.phase.is_some()),
            ("day", snapshot.day.is_some()),
        ] {
            if given {
                invalid(
                    field,
                    "a partner's own snapshot holds no challenge, phase or day; the shared one does",
                );
            }
        }
        return;
    }
    if snapshot.phase.is_some() && snapshot.challenge.is_none() {
        invalid("phase", "a phase needs the challenge it belongs to");
    }
    if snapshot.challenge.as_deref().is_some_and(long_id(program)) {
        invalid("challenge", "an id is longer than any id");
        return;
    }
    if snapshot.phase.as_deref().is_some_and(long_id(program)) {
        invalid("phase", "an id is longer than any id");
        return;
    }
    if !same_pack {
        return;
    }
    let challenge = snapshot
        .challenge
        .as_deref()
        .map(|id| challenge_index(program, id));
    if challenge.is_some_and(|c| c.is_none()) {
        invalid("challenge", "the pack has no challenge with this id");
    }
    if let Some(id) = snapshot.phase.as_deref() {
        match (phase_index(program, id), challenge.flatten()) {
            (None, _) => invalid("phase", "the pack has no phase with this id"),
            (Some((c, _)), Some(chosen)) if c != chosen => {
                invalid("phase", "the phase belongs to another challenge")
            }
            _ => {}
        }
    }
    if let Some(day) = snapshot.day {
        let last = last_day(program, challenge.flatten());
        if day > last {
            invalid("day", "the day lies past the end of the challenge");
        }
    }
}

fn long_id(program: &Program) -> impl Fn(&str) -> bool + '_ {
    move |id| id.len() > program.limits.max_id_bytes
}

/// The last day of challenge `c`, or of the pack's longest challenge when
/// the snapshot names none.
fn last_day(program: &Program, c: Option<usize>) -> u32 {
    let challenges = &program.pack.challenges;
    let days = |c: &crate::pack::Challenge| c.phases.iter().map(|p| p.last_day).max().unwrap_or(0);
    match c.and_then(|c| challenges.get(c)) {
        Some(challenge) => days(challenge),
        None => challenges.iter().map(days).max().unwrap_or(0),
    }
}

/// The journey of a checked snapshot by this pack's indexes. Under another
/// version, a challenge this pack lacks drops the whole journey (the phase
/// and day were of it), a phase not of the challenge is dropped, and so is
/// a day past the challenge's end here.
fn journey(program: &Program, snapshot: &Snapshot) -> (Option<usize>, Option<(usize, usize)>, Option<u32>) {
    let challenge = match snapshot.challenge.as_deref() {
        Some(id) => match challenge_index(program, id) {
            Some(c) => Some(c),
            None => return (None, None, None),
        },
        None => None,
    };
    let phase = snapshot
        .phase
        .as_deref()
        .and_then(|id| phase_index(program, id))
        .filter(|&(c, _)| Some(c) == challenge);
    let day = snapshot.day.filter(|&d| d <= last_day(program, challenge));
    (challenge, phase, day)
}

fn challenge_index(program: &Program, id: &str) -> Option<usize> {
    program.pack.challenges.iter().position(|c| c.id == id)
}

fn phase_index(program: &Program, id: &str) -> Option<(usize, usize)> {
    program
        .pack
        .challenges
        .iter()
        .enumerate()
        .find_map(|(c, challenge)| challenge.phases.iter().position(|p| p.id == id).map(|p| (c, p)))
}

/// What a checked snapshot says, by this pack's indexes.
fn read(program: &Program, snapshot: &Snapshot) -> History {
    let n = program.pack.dimensions.len();
    let mut history = History {
        scores: vec![None; n],
        bands: vec![None; n],
        present: vec![false; n],
        date: snapshot.date.clone(),
        ..History::default()
    };
    (history.challenge, history.phase, history.day) = journey(program, snapshot);
    for entry in &snapshot.scores {
        match program
            .pack
            .dimensions
            .iter()
            .position(|d| d.id == entry.dimension)
        {
            Some(d) => {
                history.present[d] = true;
                // -0 reads as 0, so no change is ever shown as "-0".
                history.scores[d] = entry.score.map(|s| s + 0.0);
                let bands = &program.pack.dimensions[d].bands;
                history.bands[d] = entry
                    .band
                    .as_deref()
                    .and_then(|id| bands.iter().position(|b| b.id == id));
            }
            None => history.unknown.push(entry.dimension.clone()),
        }
    }
    history
}

/// The progress of the dimensions `dims` (with their scores now).
pub(crate) fn progress(program: &Program, history: &History, now: &[(usize, Scored)]) -> Progress {
    let mut not_comparable = Vec::new();
    let mut dimensions = Vec::with_capacity(now.len());
    for &(d, scored) in now {
        let dim = &program.pack.dimensions[d];
        if !history.present[d] {
            not_comparable.push(dim.id.clone());
            continue;
        }
        let band_name = |b: Option<usize>| b.and_then(|b| dim.bands.get(b)).map(|b| b.id.clone());
        let change_from = |before: Option<f64>| Some(round6(scored.score? - before?));
        dimensions.push(DimensionProgress {
            id: dim.id.clone(),
            title: dim.title.clone(),
            before: history.scores[d],
            now: scored.score,
            change: change_from(history.scores[d]),
            change_since_first: change_from(history.first.get(d).copied().flatten()),
            band_before: band_name(history.bands[d]),
            band_now: band_name(scored.band),
            direction: history.direction(program, d, scored.score),
        });
    }
    not_comparable.extend(history.unknown.iter().cloned());
    let phase = history
        .phase
        .map(|(c, p)| program.pack.challenges[c].phases[p].id.clone());
    Progress {
        since: history.date.clone(),
        days: history.days_since,
        snapshots: history.count,
        dimensions,
        not_comparable,
        previous_challenge: history.challenge.map(|c| program.pack.challenges[c].id.clone()),
        previous_phase: phase,
        previous_day: history.day,
    }
}

/// A snapshot of a result's scores and journey.
pub(crate) fn snapshot(
    pack: &PackInfo,
    date: &str,
    scores: &[DimensionScore],
    journey: Option<(&str, &str)>,
    day: Option<u32>,
) -> Result<Snapshot, AnswersError> {
    let mut problems = Vec::new();
    if day_number(date).is_none() {
        problems.push(Problem::new(
            ProblemKind::InvalidSnapshot,
            "date",
            "not a date of the form YYYY-MM-DD",
        ));
    }
    if day.is_some_and(|d| d == 0 || d > MAX_DAY) {
        problems.push(Problem::new(
            ProblemKind::InvalidSnapshot,
            "day",
            "a challenge day runs from 1 to 366",
        ));
    }
    if !problems.is_empty() {
        return Err(AnswersError::Invalid { problems });
    }
    Ok(Snapshot {
        format: SNAPSHOT_FORMAT,
        pack_id: pack.id.to_string(),
        pack_version: pack.version.to_string(),
        pack_hash: pack.hash.to_string(),
        date: date.to_owned(),
        scores: scores
            .iter()
            .map(|s| SnapshotScore {
                dimension: s.id.to_string(),
                score: s.score,
                band: s.band.as_deref().map(str::to_owned),
            })
            .collect(),
        challenge: journey.map(|(c, _)| c.to_owned()),
        phase: journey.map(|(_, p)| p.to_owned()),
        day,
    })
}

impl Recommendation {
    /// A snapshot of this result to store for next time: the pack, `date`
    /// (`YYYY-MM-DD`, as the app knows it), every score and band, the
    /// challenge and phase, and `day`, the challenge day the couple reached
    /// when the app knows it. No answers and no safety state.
    pub fn snapshot(&self, date: &str, day: Option<u32>) -> Result<Snapshot, AnswersError> {
        let journey = self
            .challenge
            .as_ref()
            .map(|c| (c.id.as_str(), c.phase.id.as_str()));
        snapshot(&self.pack, date, &self.scores, journey, day)
    }
}

/// Snapshots of a couple plan, one per view, each holding only what that
/// view holds.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct CoupleSnapshots {
    /// The shared plan: the shared scores, the challenge, phase and day.
    pub shared: Snapshot,
    /// Partner A's own scores; store it where only A can read it.
    pub a: Snapshot,
    /// Partner B's own scores; store it where only B can read it.
    pub b: Snapshot,
}

impl CouplePlan {
    /// Snapshots of each view, as [`Recommendation::snapshot`] for one.
    pub fn snapshots(&self, date: &str, day: Option<u32>) -> Result<CoupleSnapshots, AnswersError> {
        let journey = self
            .shared
            .challenge
            .as_ref()
            .map(|c| (c.id.as_str(), c.phase.id.as_str()));
        Ok(CoupleSnapshots {
            shared: snapshot(&self.pack, date, &self.shared.scores, journey, day)?,
            a: snapshot(&self.pack, date, &self.a.scores, None, None)?,
            b: snapshot(&self.pack, date, &self.b.scores, None, None)?,
        })
    }
}

/// What changed from `old` to `new`, both checked against this pack.
pub(crate) fn compare(program: &Program, old: &Snapshot, new: &Snapshot) -> Result<Progress, Vec<Problem>> {
    let mut problems = Vec::new();
    let now = history(program, std::slice::from_ref(new), None, "new", &mut problems);
    let before = history(
        program,
        std::slice::from_ref(old),
        Some(&new.date),
        "old",
        &mut problems,
    );
    crate::eval::sorted(problems, program)?;
    let (Some(now), Some(before)) = (now, before) else {
        return Err(Vec::new());
    };
    let scored: Vec<(usize, Scored)> = (0..program.dimensions.len())
        .filter(|&d| now.present[d])
        .map(|d| {
            let scored = Scored {
                score: now.scores[d],
                raw: None,
                band: now.bands[d],
                answered: 0,
            };
            (d, scored)
        })
        .collect();
    let mut progress = progress(program, &before, &scored);
    progress.not_comparable.extend(
        (0..program.dimensions.len())
            .filter(|&d| before.present[d] && !now.present[d])
            .map(|d| program.pack.dimensions[d].id.clone()),
    );
    Ok(progress)
}

/// A fixture's snapshot under this pack: bands from the scores, and the
/// pack's own version and hash unless the fixture names another version.
pub(crate) fn fixture_snapshot(program: &Program, given: &crate::fixtures::FixtureSnapshot) -> Snapshot {
    let other_version = given
        .pack_version
        .as_ref()
        .filter(|v| **v != program.pack.version);
    Snapshot {
        format: SNAPSHOT_FORMAT,
        pack_id: given.pack_id.clone().unwrap_or_else(|| program.pack.id.clone()),
        pack_version: other_version
            .cloned()
            .unwrap_or_else(|| program.pack.version.clone()),
        pack_hash: if other_version.is_some() {
            String::new()
        } else {
            program.hash.clone()
        },
        date: given.date.clone(),
        scores: given
            .scores
            .iter()
            .map(|(id, &score)| {
                let d = program.pack.dimensions.iter().position(|d| &d.id == id);
                let band = d
                    .zip(score)
                    .and_then(|(d, s)| band_of(&program.dimensions[d], s).map(|b| (d, b)))
                    .map(|(d, b)| program.pack.dimensions[d].bands[b].id.clone());
                SnapshotScore {
                    dimension: id.clone(),
                    score,
                    band,
                }
            })
            .collect(),
        challenge: given.challenge.clone(),
        phase: given.phase.clone(),
        day: given.day,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_across_months_and_leap_years() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(
            day_number("2024-03-01")
                .zip(day_number("2024-02-28"))
                .map(|(a, b)| a - b),
            Some(2)
        );
        assert_eq!(
            day_number("2025-03-01")
                .zip(day_number("2025-02-28"))
                .map(|(a, b)| a - b),
            Some(1)
        );
        assert_eq!(
            day_number("2026-11-27")
                .zip(day_number("2025-11-27"))
                .map(|(a, b)| a - b),
            Some(365)
        );
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "2026-1-01",
            "26-11-27",
            "2026/11/27",
            "2026-11-2x",
            "",
            "２０２６-11-27",
        ] {
            assert_eq!(day_number(bad), None, "{bad}");
        }
    }
}
