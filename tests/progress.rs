//! Progress over time: snapshots round-trip, hold no answers or safety
//! state, never change whether the safety gate is raised, and bad snapshots
//! are typed errors that never repeat their values.

use proptest::prelude::*;
use rekindle::pack::{AnswerSpec, Pack};
use rekindle::{CoupleResponses, Direction, Engine, Responses, Snapshot, SnapshotScore, Value};

fn default_pack() -> Pack {
    serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("default pack parses")
}

fn engine() -> Engine {
    Engine::embedded()
}

/// Each ordinary question answered with some valid value or skipped.
fn answers() -> impl Strategy<Value = Responses> {
    let pack = default_pack();
    let picks = pack
        .questions
        .iter()
        .filter(|q| !q.id.starts_with("q_safety") && q.id != "q_self_first")
        .map(|q| {
            let values: Vec<Value> = match &q.answer {
                AnswerSpec::Options { options } => options.iter().map(|o| Value::text(&o.value)).collect(),
                AnswerSpec::Range { min, max, .. } => vec![Value::number(*min), Value::number(*max)],
                AnswerSpec::YesNo => vec![Value::bool(false)],
            };
            let id = q.id.clone();
            (0..values.len() + 1).prop_map(move |i| values.get(i).map(|v| (id.clone(), v.clone())))
        })
        .collect::<Vec<_>>();
    picks.prop_map(|answers| Responses::new(answers.into_iter().flatten()))
}

/// A snapshot of the default pack with any scores, journey and date.
fn any_snapshot() -> impl Strategy<Value = Snapshot> {
    let pack = default_pack();
    let dims: Vec<String> = pack.dimensions.iter().map(|d| d.id.clone()).collect();
    let phases: Vec<(String, String)> = pack
        .challenges
        .iter()
        .flat_map(|c| c.phases.iter().map(move |p| (c.id.clone(), p.id.clone())))
        .collect();
    let hash = engine().info().hash;
    (
        proptest::collection::vec(proptest::option::of(0u32..=8), dims.len()),
        proptest::option::of(0..phases.len()),
        proptest::option::of(1u32..=30),
        1u32..=300,
    )
        .prop_map(move |(scores, phase, day, days_ago)| {
            let e = engine();
            let scores = dims
                .iter()
                .zip(scores)
                .map(|(id, eighths)| SnapshotScore {
                    dimension: id.clone(),
                    score: eighths.map(|e| f64::from(e) * 12.5),
                    band: None,
                })
                .collect();
            // Bands that match the scores, as the engine writes them.
            let mut snapshot = Snapshot {
                format: rekindle::SNAPSHOT_FORMAT,
                pack_id: e.info().id.to_string(),
                pack_version: e.info().version.to_string(),
                pack_hash: hash.to_string(),
                date: date_before("2026-11-27", days_ago),
                scores,
                challenge: phase.map(|i| phases[i].0.clone()),
                phase: phase.map(|i| phases[i].1.clone()),
                day,
            };
            band_scores(&e, &mut snapshot);
            snapshot
        })
}

/// Fills in each score's band through a real assessment's banding.
fn band_scores(engine: &Engine, snapshot: &mut Snapshot) {
    for entry in &mut snapshot.scores {
        let dim = engine
            .pack()
            .dimensions
            .iter()
            .find(|d| d.id == entry.dimension)
            .expect("declared");
        entry.band = entry.score.and_then(|s| {
            let last = dim.bands.len() - 1;
            dim.bands
                .iter()
                .enumerate()
                .find(|(i, b)| {
                    let (min, max) = (b.min.unwrap_or(f64::NAN), b.max.unwrap_or(f64::NAN));
                    s >= min && (s < max || *i == last)
                })
                .map(|(_, b)| b.id.clone())
        });
    }
}

/// A `YYYY-MM-DD` date `days` before 2026-11-27, within 2026 or late 2025.
fn date_before(_today: &str, days: u32) -> String {
    let months = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut day_of_year = 331i64 - i64::from(days); // 2026-11-27 is day 331
    let mut year = 2026;
    if day_of_year < 1 {
        year = 2025;
        day_of_year += 365;
    }
    let mut month = 0;
    while day_of_year > months[month] {
        day_of_year -= months[month];
        month += 1;
    }
    format!("{year}-{:02}-{day_of_year:02}", month + 1)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// No snapshot raises, lowers or delays the safety gate.
    #[test]
    fn no_snapshot_changes_whether_the_gate_is_raised(
        responses in answers(),
        raise in any::<bool>(),
        previous in proptest::collection::vec(any_snapshot(), 0..3),
    ) {
        let mut responses = responses;
        if raise {
            responses.answers.insert("q_safety_harm".to_owned(), Value::bool(true));
        }
        let alone = engine().assess(&responses).expect("valid");
        responses.date = Some("2026-11-27".to_owned());
        responses.previous = previous;
        let with_history = engine().assess(&responses).expect("valid snapshots");
        prop_assert_eq!(alone.safety.is_some(), raise);
        prop_assert_eq!(&alone.safety, &with_history.safety);
        if raise {
            prop_assert!(with_history.challenge.is_none());
            prop_assert_eq!(&with_history.therapy.level, &alone.therapy.level);
            prop_assert_eq!(&with_history.focus_areas[0].id, &alone.focus_areas[0].id);
        }
    }

    /// A snapshot of a result, passed back with the same answers, shows no
    /// change at all; and it holds no answer and no safety state.
    #[test]
    fn a_result_compared_with_itself_is_steady(responses in answers(), raise in any::<bool>()) {
        let mut responses = responses;
        if raise {
            responses.answers.insert("q_safety_fear".to_owned(), Value::bool(true));
        }
        let first = engine().assess(&responses).expect("valid");
        let snapshot = first.snapshot("2026-11-01", Some(10)).expect("a date");
        let text = serde_json::to_string(&snapshot).expect("serialises");
        for key in ["safety", "answers", "q_", "reason"] {
            prop_assert!(!text.contains(key), "{key} in {text}");
        }
        let again = Responses { date: Some("2026-11-27".to_owned()), previous: vec![snapshot], ..responses };
        let second = engine().assess(&again).expect("valid");
        let progress = second.progress.expect("progress");
        prop_assert_eq!(progress.days, Some(26));
        prop_assert!(progress.not_comparable.is_empty());
        for dim in &progress.dimensions {
            let expected = if dim.now.is_some() { Direction::Steady } else { Direction::Unknown };
            prop_assert_eq!(dim.direction, expected, "{}", dim.id);
        }
    }
}

#[test]
fn the_most_recent_snapshot_is_compared_and_the_first_is_kept() {
    let e = engine();
    let now = Responses::new([
        ("q_misunderstandings", "never"),
        ("q_hard_to_express", "never"),
        ("q_avoid_hard_talks", "never"),
        ("q_avoided_topics", "never"),
        ("q_feel_heard", "always"),
    ]);
    let snap = |date: &str, score: f64| {
        let mut s = Snapshot {
            format: 1,
            pack_id: e.info().id.to_string(),
            pack_version: e.info().version.to_string(),
            pack_hash: e.info().hash.to_string(),
            date: date.to_owned(),
            scores: vec![SnapshotScore {
                dimension: "communication".into(),
                score: Some(score),
                band: None,
            }],
            challenge: None,
            phase: None,
            day: None,
        };
        band_scores(&e, &mut s);
        s
    };
    let responses = Responses {
        date: Some("2026-11-27".into()),
        previous: vec![
            snap("2026-10-01", 25.0),
            snap("2026-08-01", 100.0),
            snap("2026-09-01", 50.0),
        ],
        ..now
    };
    let progress = e.assess(&responses).expect("valid").progress.expect("progress");
    let communication = &progress.dimensions[0];
    assert_eq!(progress.since, "2026-10-01");
    assert_eq!((communication.before, communication.now), (Some(25.0), Some(0.0)));
    assert_eq!(communication.change, Some(-25.0));
    assert_eq!(communication.change_since_first, Some(-100.0));
    assert_eq!(communication.direction, Direction::Better);
    assert_eq!(progress.snapshots, 3);
}

#[test]
fn bad_snapshots_are_typed_errors_that_never_repeat_their_values() {
    let e = engine();
    let sentinel = "SENTINEL-7f3a";
    let good = e
        .assess(&Responses::new([("q_blame", "often")]))
        .expect("valid")
        .snapshot("2026-11-01", None)
        .expect("date");
    let cases: Vec<(Snapshot, &str, &str)> = vec![
        (
            Snapshot {
                pack_id: sentinel.into(),
                ..good.clone()
            },
            "snapshot_other_pack",
            "previous[0].pack_id",
        ),
        (
            Snapshot {
                date: sentinel.into(),
                ..good.clone()
            },
            "invalid_snapshot",
            "previous[0].date",
        ),
        (
            Snapshot {
                format: 99,
                ..good.clone()
            },
            "invalid_snapshot",
            "previous[0].format",
        ),
        (
            Snapshot {
                scores: vec![SnapshotScore {
                    dimension: sentinel.into(),
                    score: Some(50.0),
                    band: None,
                }],
                ..good.clone()
            },
            "invalid_snapshot",
            "previous[0].scores[0].dimension",
        ),
        (
            Snapshot {
                scores: vec![SnapshotScore {
                    dimension: "conflict".into(),
                    score: Some(50.0),
                    band: Some(sentinel.into()),
                }],
                ..good.clone()
            },
            "invalid_snapshot",
            "previous[0].scores[0].band",
        ),
        (
            Snapshot {
                scores: vec![SnapshotScore {
                    dimension: "conflict".into(),
                    score: Some(1e300),
                    band: None,
                }],
                ..good.clone()
            },
            "invalid_snapshot",
            "previous[0].scores[0].score",
        ),
        (
            Snapshot {
                phase: Some(sentinel.into()),
                ..good.clone()
            },
            "invalid_snapshot",
            "previous[0].phase",
        ),
        (
            Snapshot {
                day: Some(999),
                ..good.clone()
            },
            "invalid_snapshot",
            "previous[0].day",
        ),
    ];
    for (snapshot, kind, path) in cases {
        let responses = Responses {
            previous: vec![snapshot],
            ..Responses::default()
        };
        let err = e.assess(&responses).expect_err(kind);
        let found: Vec<(&str, &str)> = err
            .problems()
            .iter()
            .map(|p| (p.kind.tag(), p.path.as_str()))
            .collect();
        assert!(found.contains(&(kind, path)), "{found:?}");
        assert!(
            !err.to_string().contains(sentinel) && !format!("{err:?}").contains(sentinel),
            "{err}"
        );
    }
    // Malformed snapshot JSON is a syntax error without the values.
    let json = format!(r#"{{"answers": {{}}, "previous": [{{"format": "{sentinel}"}}]}}"#);
    let err = e.assess_json(&json).expect_err("malformed");
    assert!(!err.to_string().contains(sentinel), "{err}");
}

#[test]
fn couple_snapshots_hold_only_what_each_view_holds() {
    let e = engine();
    let mut couple = CoupleResponses::new(
        [("q_time_together", "never"), ("q_low_desire", "always")],
        [("q_time_together", "always")],
    );
    couple.b.insert("q_safety_harm".into(), Value::bool(true));
    let plan = e.assess_couple(&couple).expect("valid");
    let snapshots = plan.snapshots("2026-11-27", Some(3)).expect("a date");
    let shared: Vec<&str> = snapshots
        .shared
        .scores
        .iter()
        .map(|s| s.dimension.as_str())
        .collect();
    let allowed: Vec<&str> = e
        .pack()
        .couple
        .iter()
        .flat_map(|c| c.shared_dimensions.iter().map(String::as_str))
        .collect();
    assert!(shared.iter().all(|d| allowed.contains(d)), "{shared:?}");
    assert!(!shared.contains(&"desire"));
    assert_eq!(snapshots.a.scores.len(), e.pack().dimensions.len());
    assert!(snapshots.a.challenge.is_none() && snapshots.b.challenge.is_none());
    let text = serde_json::to_string(&snapshots).expect("serialises");
    assert!(!text.contains("safety") && !text.contains(&e.pack().safety.title));
    // Passed back, each partner's progress shows in their own view only.
    let again = CoupleResponses {
        date: Some("2026-12-01".into()),
        previous_shared: vec![snapshots.shared.clone()],
        previous_a: vec![snapshots.a.clone()],
        previous_b: vec![snapshots.b.clone()],
        ..couple
    };
    let next = e.assess_couple(&again).expect("valid");
    let own = next.a.progress.expect("A's own progress");
    assert!(own.dimensions.iter().any(|d| d.id == "desire"));
    let shared = next.shared.progress.expect("shared progress");
    assert!(shared.dimensions.iter().all(|d| allowed.contains(&d.id.as_str())));
    assert_eq!(shared.days, Some(4));
}

/// A snapshot of this pack with a journey, under the pack's own hash.
fn journey_snapshot(e: &Engine, challenge: Option<&str>, phase: Option<&str>, day: Option<u32>) -> Snapshot {
    let mut s = e
        .assess(&Responses::new([("q_blame", "often")]))
        .expect("valid")
        .snapshot("2026-11-01", None)
        .expect("date");
    s.challenge = challenge.map(str::to_owned);
    s.phase = phase.map(str::to_owned);
    s.day = day;
    s
}

fn problems_of(err: &rekindle::AnswersError) -> Vec<(String, String)> {
    err.problems()
        .iter()
        .map(|p| (p.kind.tag().to_owned(), p.path.clone()))
        .collect()
}

fn assess_with(e: &Engine, snapshot: Snapshot) -> Result<rekindle::Recommendation, rekindle::AnswersError> {
    let responses = Responses {
        date: Some("2026-11-27".into()),
        previous: vec![snapshot],
        ..Responses::new([("q_misunderstandings", "often")])
    };
    e.assess(&responses)
}

#[test]
fn a_snapshot_journey_is_checked_against_the_pack_whatever_its_hash() {
    let e = engine();
    let sentinel = "SENTINEL-9c1d";
    let refused = |s: Snapshot, path: &str| {
        let err = assess_with(&e, s).expect_err(path);
        let found = problems_of(&err);
        assert!(
            found.contains(&("invalid_snapshot".into(), path.into())),
            "{path}: {found:?}"
        );
        assert!(!err.to_string().contains(sentinel), "{err}");
    };
    let other = |mut s: Snapshot| {
        s.pack_hash = "another-build".into();
        s
    };
    // What no pack writes is refused under any hash.
    for hash_of in [|s: Snapshot| s, other] {
        refused(
            hash_of(journey_snapshot(&e, None, Some("sex_adventure"), Some(366))),
            "previous[0].phase",
        );
        refused(
            hash_of(journey_snapshot(&e, None, Some(sentinel), None)),
            "previous[0].phase",
        );
        refused(
            hash_of(journey_snapshot(
                &e,
                Some("intimacy"),
                Some("intimacy_trust"),
                Some(0),
            )),
            "previous[0].day",
        );
        let mut s = hash_of(journey_snapshot(&e, None, None, None));
        s.scores[0].score = None;
        s.scores[0].band = Some(sentinel.into());
        refused(s, "previous[0].scores[0].band");
        let mut s = hash_of(journey_snapshot(&e, None, None, None));
        let twice = SnapshotScore {
            dimension: sentinel.into(),
            score: Some(50.0),
            band: None,
        };
        s.scores.push(twice.clone());
        s.scores.push(twice);
        let last = s.scores.len() - 1;
        let err = assess_with(&e, s).expect_err("twice");
        assert!(
            problems_of(&err).contains(&(
                "invalid_snapshot".into(),
                format!("previous[0].scores[{last}].dimension")
            )),
            "{err}"
        );
        assert!(!err.to_string().contains(sentinel), "{err}");
    }
    // Under the same pack every part must fit it.
    refused(
        journey_snapshot(&e, Some("sex"), Some("intimacy_trust"), None),
        "previous[0].phase",
    );
    refused(
        journey_snapshot(&e, Some("intimacy"), Some("intimacy_trust"), Some(31)),
        "previous[0].day",
    );
    refused(
        journey_snapshot(&e, Some(sentinel), Some("intimacy_trust"), None),
        "previous[0].challenge",
    );
    refused(journey_snapshot(&e, None, None, Some(31)), "previous[0].day");
    // This pack's hash with another version is no snapshot this pack wrote.
    let mut s = journey_snapshot(&e, None, None, None);
    s.pack_version = sentinel.into();
    refused(s, "previous[0].pack_version");
    // Under another version, what does not fit this pack is dropped, as
    // unknown dimensions are: never reported as if this pack had it.
    let read = |s: Snapshot| {
        let p = assess_with(&e, other(s))
            .expect("another version")
            .progress
            .expect("progress");
        (p.previous_challenge, p.previous_phase, p.previous_day)
    };
    assert_eq!(
        read(journey_snapshot(
            &e,
            Some("sex"),
            Some("intimacy_trust"),
            Some(12)
        )),
        (Some("sex".into()), None, Some(12))
    );
    assert_eq!(
        read(journey_snapshot(
            &e,
            Some("intimacy"),
            Some("intimacy_trust"),
            Some(300)
        )),
        (Some("intimacy".into()), Some("intimacy_trust".into()), None)
    );
    assert_eq!(
        read(journey_snapshot(
            &e,
            Some(sentinel),
            Some("intimacy_trust"),
            Some(3)
        )),
        (None, None, None)
    );
    assert_eq!(
        read(journey_snapshot(&e, None, None, Some(366))),
        (None, None, None)
    );
    assert_eq!(
        read(journey_snapshot(
            &e,
            Some("intimacy"),
            Some("intimacy_trust"),
            Some(10)
        )),
        (Some("intimacy".into()), Some("intimacy_trust".into()), Some(10))
    );
}

#[test]
fn every_snapshot_list_is_checked_alike() {
    let e = engine();
    let forged = {
        let mut s = journey_snapshot(&e, None, Some("sex_adventure"), Some(366));
        s.pack_hash = "another-build".into();
        s
    };
    // Comparing two snapshots checks both.
    let good = journey_snapshot(&e, None, None, None);
    let err = e.compare_snapshots(&forged, &good).expect_err("old forged");
    assert!(
        problems_of(&err).contains(&("invalid_snapshot".into(), "old[0].phase".into())),
        "{err}"
    );
    let err = e.compare_snapshots(&good, &forged).expect_err("new forged");
    assert!(
        problems_of(&err).contains(&("invalid_snapshot".into(), "new[0].phase".into())),
        "{err}"
    );
    // A couple's: the shared snapshot as a single one, and a partner's own
    // snapshot holds no journey at all (the shared one does).
    let couple = |shared: Vec<Snapshot>, a: Vec<Snapshot>| {
        let c = CoupleResponses {
            date: Some("2026-11-27".into()),
            previous_shared: shared,
            previous_a: a,
            ..CoupleResponses::new(
                [("q_misunderstandings", "often")],
                [("q_misunderstandings", "never")],
            )
        };
        e.assess_couple(&c)
    };
    let err = couple(vec![forged.clone()], Vec::new()).expect_err("shared forged");
    assert!(
        problems_of(&err).contains(&("invalid_snapshot".into(), "previous_shared[0].phase".into())),
        "{err}"
    );
    let own = journey_snapshot(&e, Some("intimacy"), Some("intimacy_trust"), Some(3));
    let err = couple(Vec::new(), vec![own]).expect_err("journey in A's own");
    for field in ["challenge", "phase", "day"] {
        let path = format!("previous_a[0].{field}");
        assert!(
            problems_of(&err).contains(&("invalid_snapshot".into(), path)),
            "{err}"
        );
    }
    let plan = couple(
        vec![journey_snapshot(
            &e,
            Some("intimacy"),
            Some("intimacy_trust"),
            Some(3),
        )],
        vec![journey_snapshot(&e, None, None, None)],
    )
    .expect("valid");
    let own = plan.a.progress.expect("A's progress");
    assert_eq!(own.previous_phase.as_deref(), Some("intimacy_trust"));
}

#[test]
fn the_command_calls_bad_snapshots_snapshots() {
    let e = engine();
    let dir = std::env::temp_dir().join(format!("rekindle-progress-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut forged = journey_snapshot(&e, None, Some("sex_adventure"), Some(366));
    forged.pack_hash = "another-build".into();
    let write = |name: &str, s: &Snapshot| {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_string(s).expect("serialises")).expect("write");
        path
    };
    let old = write("forged.json", &forged);
    let new = write("base.json", &journey_snapshot(&e, None, None, None));
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_rekindle"))
        .arg("progress")
        .arg(&old)
        .arg(&new)
        .output()
        .expect("runs");
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(run.stdout.is_empty(), "{}", String::from_utf8_lossy(&run.stdout));
    assert!(
        stderr.contains("snapshots") && !stderr.contains("answers"),
        "{stderr}"
    );
    assert!(
        stderr.contains("old[0].phase") && !stderr.contains("sex_adventure"),
        "{stderr}"
    );
}
