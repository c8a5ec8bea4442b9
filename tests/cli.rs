//! The `rekindle` command line, run as a real process.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use rekindle::pack::{AnswerSpec, FactKind};

/// What one run of the binary did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn last_line(&self) -> &str {
        self.stdout.lines().last().unwrap_or_default()
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rekindle_with_input(args: &[&str], input: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rekindle"));
    command
        .args(args)
        .current_dir(root())
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the rekindle binary runs");
    if let Some(input) = input {
        let mut stdin = child.stdin.take().expect("piped stdin");
        // The binary may stop reading early; a closed pipe is fine here.
        let _ = stdin.write_all(input.as_bytes());
    }
    let output = child.wait_with_output().expect("the rekindle binary finishes");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "rekindle {args:?} panicked:\n{}",
        run.stderr
    );
    run
}

fn rekindle(args: &[&str]) -> Run {
    rekindle_with_input(args, None)
}

/// A fresh directory for one test's files.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("rekindle-cli-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("temp subdir");
        }
        std::fs::write(&path, text).expect("write temp file");
        path.display().to_string()
    }

    fn path(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An error is one line on stderr, prefixed with `rekindle:`, and nothing on stdout.
fn assert_one_line_error(run: &Run, code: i32, needles: &[&str]) {
    assert_eq!(run.code, code, "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "unexpected stdout:\n{}", run.stdout);
    assert_eq!(run.stderr.lines().count(), 1, "not one line:\n{}", run.stderr);
    assert!(run.stderr.starts_with("rekindle: "), "{}", run.stderr);
    for needle in needles {
        assert!(run.stderr.contains(needle), "{needle:?} not in:\n{}", run.stderr);
    }
}

const PASSING_FIXTURES: &str = r#"{"format": 1, "fixtures": [
  {"name": "nothing answered", "answers": {}, "expect": {"safety": false, "therapy": "none", "fired": ["baseline_plan"]}},
  {"name": "afraid", "answers": {"q_safety_fear": true}, "expect": {"safety": true, "challenge": null}}
]}"#;

const FAILING_FIXTURES: &str = r#"{"format": 1, "fixtures": [
  {"name": "nothing answered", "answers": {}, "expect": {"safety": false}},
  {"name": "misunderstood but expects counselling",
   "answers": {"q_misunderstandings": "often"},
   "expect": {"therapy": "recommend", "fired": ["misunderstandings_listening"]}}
]}"#;

// ---------------------------------------------------------------------------
// help and usage

#[test]
fn help_is_shown_without_arguments_and_for_every_command() {
    for args in [&[][..], &["--help"], &["-h"], &["help"]] {
        let run = rekindle(args);
        assert_eq!(run.code, 0, "{args:?}");
        assert!(
            run.stdout.contains("Usage: rekindle COMMAND"),
            "{args:?}: {}",
            run.stdout
        );
    }
    for command in ["check", "test", "assess", "questions", "quiz", "schema"] {
        for args in [
            vec![command, "--help"],
            vec![command, "-h"],
            vec!["help", command],
        ] {
            let run = rekindle(&args);
            assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
            assert!(
                run.stdout.starts_with(&format!("Usage: rekindle {command}")),
                "{args:?}: {}",
                run.stdout
            );
        }
    }
}

#[test]
fn version_is_shown() {
    let run = rekindle(&["--version"]);
    assert_eq!(run.code, 0);
    assert!(run
        .stdout
        .starts_with(&format!("rekindle {}", env!("CARGO_PKG_VERSION"))));
}

#[test]
fn unknown_commands_and_options_are_usage_errors() {
    assert_one_line_error(&rekindle(&["frobnicate"]), 2, &["unknown command `frobnicate`"]);
    assert_one_line_error(&rekindle(&["--frob"]), 2, &["unknown option --frob"]);
    assert_one_line_error(&rekindle(&["help", "frob"]), 2, &["no command `frob`"]);
    assert_one_line_error(
        &rekindle(&["assess", "--frob", "examples/answers.json"]),
        2,
        &["unknown option --frob for `assess`", "rekindle assess --help"],
    );
    assert_one_line_error(
        &rekindle(&["check", "--json", "rules/default.json"]),
        2,
        &["--json"],
    );
    assert_one_line_error(&rekindle(&["test", "-x", "default"]), 2, &["unknown option -x"]);
    assert_one_line_error(
        &rekindle(&["assess", "--json=yes", "examples/answers.json"]),
        2,
        &["--json takes no value"],
    );
}

#[test]
fn missing_and_extra_arguments_are_usage_errors() {
    assert_one_line_error(&rekindle(&["check"]), 2, &["`check` needs a PACK"]);
    assert_one_line_error(&rekindle(&["test"]), 2, &["`test` needs a PACK"]);
    assert_one_line_error(&rekindle(&["test", "default"]), 2, &["FIXTURES"]);
    assert_one_line_error(&rekindle(&["assess"]), 2, &["`assess` needs an ANSWERS file"]);
    assert_one_line_error(
        &rekindle(&["assess", "examples/answers.json", "--pack"]),
        2,
        &["--pack needs a value"],
    );
    assert_one_line_error(
        &rekindle(&["assess", "examples/answers.json", "other.json"]),
        2,
        &["unexpected argument `other.json`"],
    );
    assert_one_line_error(
        &rekindle(&["questions", "extra"]),
        2,
        &["unexpected argument `extra`"],
    );
    assert_one_line_error(&rekindle(&["schema", "answers"]), 2, &["no schema `answers`"]);
    assert_one_line_error(
        &rekindle(&["assess", "--pack", "a.json", "--pack", "b.json", "x.json"]),
        2,
        &["--pack is given twice"],
    );
}

// ---------------------------------------------------------------------------
// check

#[test]
fn check_accepts_a_valid_pack() {
    let run = rekindle(&["check", "rules/default.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("rules/default.json: ok: rekindle.default"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("43 rules") || run.stdout.contains(" rules"),
        "{}",
        run.stdout
    );

    let builtin = rekindle(&["check", "default"]);
    assert_eq!(builtin.code, 0);
    assert!(
        builtin.stdout.contains("built-in default pack: ok"),
        "{}",
        builtin.stdout
    );

    let piped = rekindle_with_input(&["check", "-"], Some(rekindle::DEFAULT_PACK_JSON));
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    assert!(piped.stdout.starts_with("standard input: ok"), "{}", piped.stdout);
}

#[test]
fn check_lists_every_problem_with_its_json_path() {
    let dir = TempDir::new("check");
    let mut pack: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("JSON");
    pack["rules"][2]["when"] = serde_json::json!({"score": "no_such_dimension", "gt": 1, "lt": 3});
    pack["questions"][0]["answer"]["options"][1]["value"] = serde_json::json!("never");
    let path = dir.write("bad.json", &serde_json::to_string_pretty(&pack).expect("JSON"));
    let run = rekindle(&["check", &path]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.starts_with(&format!("{path}: ")), "{}", run.stdout);
    assert!(run.stdout.contains("problems"), "{}", run.stdout);
    assert!(
        run.stdout.contains("rules[2].when.score: ") && run.stdout.contains("[unknown_reference]"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("rules[2].when: ") && run.stdout.contains("[invalid_condition]"));
    assert!(
        run.stdout.contains("questions[0].answer.options[1]"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_reports_bad_json_with_line_and_column() {
    let dir = TempDir::new("check-json");
    let path = dir.write("broken.json", "{\n  \"format\": 1,\n  \"id\": ,\n}\n");
    let run = rekindle(&["check", &path]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout.trim(),
        format!("{path}: line 3, column 9: expected value")
    );
}

#[test]
fn check_names_a_missing_file() {
    let run = rekindle(&["check", "no/such/pack.json"]);
    assert_one_line_error(&run, 2, &["cannot read no/such/pack.json", "no such file"]);
    let dir = TempDir::new("check-dir");
    assert_one_line_error(&rekindle(&["check", &dir.path()]), 2, &["is a directory"]);
}

// ---------------------------------------------------------------------------
// test

#[test]
fn test_passes_good_fixtures() {
    let dir = TempDir::new("test-pass");
    let file = dir.write("good.json", PASSING_FIXTURES);
    let run = rekindle(&["test", "default", &file]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.last_line(), "2 passed, 0 failed");
    assert!(!run.stdout.contains("FAIL"));

    let verbose = rekindle(&["test", "--verbose", "rules/default.json", &file]);
    assert_eq!(verbose.code, 0);
    assert!(
        verbose.stdout.contains(&format!("ok   {file}: nothing answered")),
        "{}",
        verbose.stdout
    );
}

#[test]
fn test_explains_each_failure_and_ends_with_the_count() {
    let dir = TempDir::new("test-fail");
    let file = dir.write("bad.json", FAILING_FIXTURES);
    let run = rekindle(&["test", "default", &file]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let out = &run.stdout;
    assert!(
        out.contains(&format!("FAIL {file}: misunderstood but expects counselling")),
        "{out}"
    );
    assert!(
        out.contains("  therapy\n    expected: recommend\n    actual:   none"),
        "{out}"
    );
    assert!(out.contains("  trace:"), "{out}");
    assert!(out.contains("fired misunderstandings_listening"), "{out}");
    assert!(out.contains("answer q_misunderstandings"), "{out}");
    assert!(!out.contains("FAIL {file}: nothing answered"));
    assert_eq!(run.last_line(), "1 passed, 1 failed");
}

#[test]
fn test_runs_directories_of_fixtures() {
    let run = rekindle(&["test", "default", "rules/fixtures"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let last = run.last_line();
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
    let passed: u32 = last.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(passed > 10, "{last}");

    let dir = TempDir::new("test-dir");
    dir.write("a/good.json", PASSING_FIXTURES);
    dir.write("b/bad.json", FAILING_FIXTURES);
    dir.write("notes.txt", "not a fixture");
    let run = rekindle(&["test", "default", &dir.path()]);
    assert_eq!(run.code, 1);
    assert_eq!(run.last_line(), "3 passed, 1 failed");
    assert!(run.stdout.contains("b/bad.json: misunderstood"), "{}", run.stdout);

    let empty = TempDir::new("test-empty");
    assert_one_line_error(
        &rekindle(&["test", "default", &empty.path()]),
        2,
        &["no .json fixture files"],
    );
}

#[test]
fn test_coverage_lists_unfired_rules_and_fails_on_them() {
    let dir = TempDir::new("test-coverage");
    let file = dir.write("few.json", PASSING_FIXTURES);
    let run = rekindle(&["test", "--coverage", "default", &file]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("that no fixture fired:"), "{}", run.stdout);
    assert!(
        run.stdout.contains("\n  help_signs_recommend\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("\n  baseline_plan\n"), "{}", run.stdout);
    assert_eq!(run.last_line(), "2 passed, 0 failed");

    let full = rekindle(&["test", "default", "rules/fixtures", "--coverage"]);
    assert_eq!(full.code, 0, "{}", full.stdout);
    assert!(
        full.stdout.contains("coverage: every rule fired"),
        "{}",
        full.stdout
    );
}

#[test]
fn test_names_a_broken_fixture_file() {
    let dir = TempDir::new("test-broken");
    let file = dir.write(
        "broken.json",
        "{\"format\": 1,\n \"fixtures\": [{\"nam\": \"x\"}]}",
    );
    let run = rekindle(&["test", "default", &file]);
    assert_one_line_error(&run, 1, &[&file, "line 2", "unknown field `nam`"]);
    assert_one_line_error(
        &rekindle(&["test", "default", "no/such/fixtures.json"]),
        2,
        &["cannot read no/such/fixtures.json"],
    );
}

#[test]
fn test_reads_fixtures_from_stdin() {
    let run = rekindle_with_input(&["test", "default", "-"], Some(PASSING_FIXTURES));
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.last_line(), "2 passed, 0 failed");
}

// ---------------------------------------------------------------------------
// assess

#[test]
fn assess_prints_a_readable_plan() {
    let run = rekindle(&["assess", "examples/answers.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    let order: Vec<usize> = ["FOCUS AREAS", "30-DAY CHALLENGE", "THERAPY", "SCORES (0-100)"]
        .iter()
        .map(|heading| {
            out.find(heading)
                .unwrap_or_else(|| panic!("{heading} missing:\n{out}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{out}");
    assert!(!out.contains("SAFETY"), "{out}");
    assert!(out.contains("Why:") && out.contains("Try:"), "{out}");
    assert!(out.contains("Phase to emphasise: days "), "{out}");
    assert!(out.contains("Today, day 1 of this phase (day "), "{out}");
    assert!(out.contains("online therapy is a good fit"), "{out}");
    assert!(
        out.contains("Communication") && out.contains("of 5 answered"),
        "{out}"
    );
}

#[test]
fn assess_shows_the_safety_notice_first() {
    let answers = r#"{"answers": {"q_safety_fear": true, "q_misunderstandings": "often"}, "context": {"married": true}}"#;
    let run = rekindle_with_input(&["assess", "-"], Some(answers));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    let safety = out.find("!! YOUR SAFETY COMES FIRST").expect("safety notice");
    let focus = out.find("FOCUS AREAS").expect("focus areas");
    assert!(safety < focus, "{out}");
    assert!(out.contains("Where to find help:"), "{out}");
    assert!(out.contains("Emergency services"), "{out}");
    assert!(out.contains("(rule safety_fear)"), "{out}");
    assert!(
        out.contains("30-DAY CHALLENGE: set aside while your safety comes first"),
        "{out}"
    );
}

#[test]
fn assess_day_picks_the_activity() {
    let first = rekindle(&["assess", "examples/answers.json"]);
    let third = rekindle(&["assess", "--day", "3", "examples/answers.json"]);
    let also_third = rekindle(&["assess", "--day=3", "examples/answers.json"]);
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert!(
        third.stdout.contains("Today, day 3 of this phase (day "),
        "{}",
        third.stdout
    );
    assert_eq!(third.stdout, also_third.stdout);
    assert_ne!(first.stdout, third.stdout);
    assert_one_line_error(
        &rekindle(&["assess", "--day", "0", "examples/answers.json"]),
        2,
        &["--day takes a whole number from 1"],
    );
    assert_one_line_error(
        &rekindle(&["assess", "--day", "99", "examples/answers.json"]),
        2,
        &["--day 99 is past the end"],
    );
}

#[test]
fn assess_json_has_the_documented_keys() {
    let run = rekindle(&["assess", "--json", "examples/answers.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("assess --json prints JSON");
    let object = value.as_object().expect("an object");
    for key in [
        "focus_areas",
        "challenge",
        "therapy",
        "safety",
        "scores",
        "trace",
        "pack",
    ] {
        assert!(object.contains_key(key), "{key} missing from {:?}", object.keys());
    }
    assert_eq!(value["pack"]["id"], "rekindle.default");
    assert!(value["safety"].is_null());
    assert!(value["trace"]["fired"].as_array().is_some_and(|f| !f.is_empty()));
}

#[test]
fn assess_uses_the_given_pack() {
    let dir = TempDir::new("assess-pack");
    // Set the version through the JSON, so this test does not follow the pack's own version.
    let mut renamed: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("JSON");
    renamed["version"] = serde_json::json!("9.9.9");
    let pack = dir.write("pack.json", &renamed.to_string());
    let run = rekindle(&["assess", "--pack", &pack, "examples/answers.json", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(value["pack"]["version"], "9.9.9");

    let broken = dir.write("broken.json", "{\"format\": 1, \"id\": \"x\"}");
    assert_one_line_error(
        &rekindle(&["assess", "--pack", &broken, "examples/answers.json"]),
        1,
        &[&broken, "missing field"],
    );
    let mut invalid: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("JSON");
    invalid["rules"][0]["when"] = serde_json::json!({"band": "trust", "is": "sky-high"});
    let invalid = dir.write("invalid.json", &invalid.to_string());
    assert_one_line_error(
        &rekindle(&["assess", "--pack", &invalid, "examples/answers.json"]),
        1,
        &[&invalid, "invalid pack", "rules[0].when.is", "rekindle check"],
    );
}

#[test]
fn assess_reports_bad_answers() {
    let dir = TempDir::new("assess-bad");
    let broken = dir.write("broken.json", "{\"answers\": {\n  \"q_blame\": often\n}}");
    assert_one_line_error(&rekindle(&["assess", &broken]), 1, &[&broken, "line 2, column"]);

    let wrong = dir.write(
        "wrong.json",
        r#"{"answers": {"q_blame": "nope", "q_nonexistent": 1}}"#,
    );
    let run = rekindle(&["assess", &wrong]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.starts_with(&format!("rekindle: {wrong}: ")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("answers.q_blame") && run.stderr.contains("[unknown_option]"));
    assert!(run.stderr.contains("answers.q_nonexistent") && run.stderr.contains("[unknown_question]"));
    assert!(
        !run.stderr.contains("nope"),
        "errors must not repeat answers: {}",
        run.stderr
    );

    let shape = dir.write("shape.json", r#"{"answer": {}}"#);
    assert_one_line_error(&rekindle(&["assess", &shape]), 1, &["unknown field `answer`"]);

    assert_one_line_error(
        &rekindle(&["assess", "no/such/answers.json"]),
        2,
        &["cannot read no/such/answers.json", "no such file"],
    );
    let binary = dir.write("latin1.json", "");
    std::fs::write(&binary, b"{\"answers\": {\"q_blame\": \"\xe9\"}}").expect("write");
    assert_one_line_error(&rekindle(&["assess", &binary]), 1, &["not valid UTF-8"]);
}

// ---------------------------------------------------------------------------
// questions and schema

#[test]
fn questions_prints_the_questionnaire() {
    let run = rekindle(&["questions"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    assert!(out.starts_with("Rekindle"), "{out}");
    assert!(out.contains("== Talking and listening =="), "{out}");
    assert!(out.contains("1. [q_misunderstandings] "), "{out}");
    assert!(out.contains("   - often        Often (weight 3)"), "{out}");
    assert!(
        out.contains("a number from 0 (Not close at all) to 10 (Very close), in steps of 1"),
        "{out}"
    );
    assert!(
        out.contains("[q_safety_fear]") && out.contains("true or false (yes or no)"),
        "{out}"
    );
    assert!(out.contains("== Context facts"), "{out}");
    assert!(out.contains("[married] "), "{out}");

    let with_pack = rekindle(&["questions", "--pack", "rules/default.json"]);
    assert_eq!(with_pack.stdout, run.stdout);
}

#[test]
fn schema_prints_the_committed_schemas() {
    for (args, file) in [
        (&["schema"][..], "pack.schema.json"),
        (&["schema", "pack"], "pack.schema.json"),
        (&["schema", "fixtures"], "fixture.schema.json"),
    ] {
        let run = rekindle(args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let printed: serde_json::Value = serde_json::from_str(&run.stdout).expect("a schema is JSON");
        let committed = std::fs::read_to_string(root().join("rules/schema").join(file)).expect("committed");
        let committed: serde_json::Value = serde_json::from_str(&committed).expect("JSON");
        assert_eq!(printed, committed, "{args:?}");
        assert_eq!(printed["$schema"], "https://json-schema.org/draft/2020-12/schema");
    }
}

// ---------------------------------------------------------------------------
// quiz

/// One input line per question and fact of the default pack.
fn full_quiz_input() -> String {
    let engine = rekindle::Engine::embedded();
    let mut input = String::new();
    for question in &engine.pack().questions {
        input.push_str(match &question.answer {
            AnswerSpec::Options { .. } => "4\n",
            AnswerSpec::Range { .. } => "3\n",
            AnswerSpec::YesNo => "n\n",
        });
    }
    for fact in &engine.pack().context {
        input.push_str(match fact.kind {
            FactKind::Bool => "y\n",
            FactKind::Number | FactKind::Choice => "1\n",
        });
    }
    input
}

#[test]
fn quiz_asks_every_question_and_shows_the_plan() {
    let run = rekindle_with_input(&["quiz"], Some(&full_quiz_input()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let total = rekindle::Engine::embedded().pack().questions.len();
    assert!(run.stderr.contains(&format!("[1/{total}] ")), "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("You answered {total} of {total} questions.")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("A few facts about the two of you"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("FOCUS AREAS") && run.stdout.contains("SCORES (0-100)"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("[1/"), "questions belong on stderr");
}

#[test]
fn quiz_json_reflects_the_answers_and_context() {
    let run = rekindle_with_input(&["quiz", "--json"], Some(&full_quiz_input()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("quiz --json prints JSON");
    let fired: Vec<&str> = value["trace"]["fired"]
        .as_array()
        .expect("fired rules")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    // Every options answer was "often", and the couple said they are married.
    assert!(fired.contains(&"misunderstandings_listening"), "{fired:?}");
    assert!(fired.contains(&"married_life_pressures"), "{fired:?}");
    assert!(value["scores"][0]["answered"].as_u64().is_some_and(|n| n > 0));
}

#[test]
fn quiz_skips_empty_lines_reasks_bad_input_and_stops_at_eof() {
    // Q1 skipped; Q2 "banana", then 9 (out of 1-5), then "often" by value;
    // input ends after that.
    let run = rekindle_with_input(&["quiz", "--json"], Some("\nbanana\n9\nOften\n"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("Please enter a number from 1 to 5").count(),
        2,
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("End of input"), "{}", run.stderr);
    assert!(run.stderr.contains("You answered 1 of "), "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let fired = value["trace"]["fired"].to_string();
    assert!(fired.contains("hard_to_express"), "{fired}");
    assert!(!fired.contains("misunderstandings_listening"), "{fired}");
}

#[test]
fn quiz_checks_numbers_with_the_pack() {
    let engine = rekindle::Engine::embedded();
    let questions = &engine.pack().questions;
    let range_at = questions
        .iter()
        .position(|q| matches!(q.answer, AnswerSpec::Range { .. }))
        .expect("the default pack has a range question");
    let mut input = "\n".repeat(range_at);
    input.push_str("eleventy\n11\n2.5\n7\n");
    let run = rekindle_with_input(&["quiz", "--json"], Some(&input));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("Please enter a number from 0"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("That answer does not fit").count(),
        2,
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("You answered 1 of "), "{}", run.stderr);
}

#[test]
fn quiz_with_no_input_still_ends_cleanly() {
    let run = rekindle_with_input(&["quiz"], Some(""));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("End of input"), "{}", run.stderr);
    assert!(run.stdout.contains("FOCUS AREAS"), "{}", run.stdout);
    let closed = rekindle(&["quiz", "--json"]);
    assert_eq!(closed.code, 0, "{}", closed.stderr);
}

// ---------------------------------------------------------------------------
// output

#[test]
fn a_closed_stdout_is_not_a_panic() {
    for args in [
        &["questions"][..],
        &["assess", "--json", "examples/answers.json"],
        &["schema"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rekindle"))
            .args(args)
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the rekindle binary runs");
        // Close our end of stdout before the binary writes to it.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("the rekindle binary finishes");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
    }
}
