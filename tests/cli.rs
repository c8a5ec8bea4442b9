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
        &rekindle(&["questions", "--day", "2"]),
        2,
        &["unknown option --day for `questions`"],
    );
    assert_one_line_error(&rekindle(&["test", "-x", "default"]), 2, &["unknown option -x"]);
    assert_one_line_error(
        &rekindle(&["assess", "--json=yes", "examples/answers.json"]),
        2,
        &["--json takes no value"],
    );
}

#[test]
fn mistyped_commands_and_options_get_a_suggestion() {
    assert_one_line_error(
        &rekindle(&["chek", "rules/default.json"]),
        2,
        &["unknown command `chek`; did you mean `check`?"],
    );
    assert_one_line_error(&rekindle(&["tset"]), 2, &["did you mean `test`?"]);
    assert_one_line_error(&rekindle(&["help", "qiz"]), 2, &["did you mean `quiz`?"]);
    assert_one_line_error(
        &rekindle(&["schema", "fixturs"]),
        2,
        &["no schema `fixturs`; did you mean `fixtures`?"],
    );
    assert_one_line_error(&rekindle(&["--verison"]), 2, &["did you mean `--version`?"]);
    assert_one_line_error(
        &rekindle(&["assess", "--jsn", "examples/answers.json"]),
        2,
        &[
            "unknown option --jsn for `assess`; did you mean `--json`?",
            "rekindle assess --help",
        ],
    );
    assert_one_line_error(
        &rekindle(&["test", "--coverge", "default", "rules/fixtures"]),
        2,
        &["did you mean `--coverage`?"],
    );
    let far = rekindle(&["frobnicate"]);
    assert!(!far.stderr.contains("did you mean"), "{}", far.stderr);
}

#[test]
fn standard_input_can_be_named_only_once() {
    for args in [
        &["test", "-", "-"][..],
        &["test", "default", "-", "-"],
        &["assess", "--pack", "-", "-"],
        &["assess", "--pack=-", "-"],
    ] {
        // Input is there, so a second read would see EOF rather than fail.
        let run = rekindle_with_input(args, Some(PASSING_FIXTURES));
        assert_one_line_error(&run, 2, &["`-` (standard input) is given twice"]);
    }
    // The quiz reads its answers from standard input, so the pack cannot come from there.
    let quiz = rekindle_with_input(&["quiz", "--pack", "-"], Some(rekindle::DEFAULT_PACK_JSON));
    assert_one_line_error(&quiz, 2, &["`--pack -` cannot be used with `quiz`"]);
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
fn check_short_format_gives_file_line_column_kind_and_message() {
    let dir = TempDir::new("check-short");
    let mut pack: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("JSON");
    pack["rules"][2]["when"] = serde_json::json!({"score": "no_such_dimension", "gt": 1});
    let text = serde_json::to_string_pretty(&pack).expect("JSON");
    // The line of `"score": "no_such_dimension"`, counted here independently.
    let line = text
        .lines()
        .position(|l| l.contains("\"no_such_dimension\""))
        .expect("the bad reference is in the text")
        + 1;
    let path = dir.write("bad.json", &text);
    let run = rekindle(&["check", "--format=short", &path]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let first = run.stdout.lines().next().unwrap_or_default();
    let prefix = format!("{path}:{line}:");
    assert!(first.starts_with(&prefix), "{first}");
    assert!(
        first.ends_with(": unknown_reference: rules[2].when.score: unknown dimension \"no_such_dimension\""),
        "{first}"
    );

    let broken = dir.write("broken.json", "{\n  \"format\": 1,\n  \"id\": ,\n}\n");
    let run = rekindle(&["check", "--format", "short", &broken]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, format!("{broken}:3:9: syntax: expected value\n"));

    let valid = rekindle(&["check", "--format=short", "rules/default.json"]);
    assert_eq!((valid.code, valid.stdout.as_str()), (0, ""), "{}", valid.stderr);
}

#[test]
fn check_json_reports_the_pack_or_every_finding() {
    let valid = rekindle(&["check", "--json", "rules/default.json"]);
    assert_eq!(valid.code, 0, "{}", valid.stderr);
    let value: serde_json::Value = serde_json::from_str(&valid.stdout).expect("check --json prints JSON");
    assert_eq!(value["ok"], true);
    assert_eq!(value["pack"]["id"], "rekindle.default");
    assert_eq!(value["findings"], serde_json::json!([]));

    let dir = TempDir::new("check-json-out");
    let mut pack: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("JSON");
    pack["rules"][0]["when"] = serde_json::json!({"band": "trust", "is": "sky-high"});
    let path = dir.write("invalid.json", &pack.to_string());
    let run = rekindle(&["check", &path, "--json"]);
    assert_eq!(run.code, 1);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(value["ok"], false);
    let finding = &value["findings"][0];
    assert_eq!(finding["path"], "rules[0].when.is");
    assert_eq!(finding["kind"], "impossible_value");
    assert_eq!(finding["line"], 1, "one-line JSON: {finding}");
    assert!(finding["column"].as_u64().is_some_and(|c| c > 1000), "{finding}");

    assert_one_line_error(
        &rekindle(&["check", "--json", "--format=short", "default"]),
        2,
        &["exclude each other"],
    );
    assert_one_line_error(
        &rekindle(&["check", "--format=shrot", "default"]),
        2,
        &["did you mean `short`?"],
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
        out.contains("  fixtures[1].expect.therapy\n    expected: recommend\n    actual:   none"),
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
fn test_short_format_points_at_each_failed_expectation() {
    let dir = TempDir::new("test-short");
    let file = dir.write("bad.json", FAILING_FIXTURES);
    let run = rekindle(&["test", "--format=short", "default", &file]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    // FAILING_FIXTURES has `"expect": {"therapy": ...}` on its fifth line.
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(lines[0].starts_with(&format!("{file}:5:")), "{}", lines[0]);
    assert!(
        lines[0].ends_with(
            ": fail: fixtures[1].expect.therapy: fixture \"misunderstood but expects counselling\": expected recommend, got none"
        ),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1], "1 passed, 1 failed");

    let good = dir.write("good.json", PASSING_FIXTURES);
    let run = rekindle(&[
        "test",
        "--format=short",
        "--coverage",
        "rules/default.json",
        &good,
    ]);
    assert_eq!(run.code, 1);
    let unfired = run
        .stdout
        .lines()
        .find(|l| l.contains("help_signs_recommend"))
        .expect("an unfired rule is listed");
    assert!(
        unfired.starts_with("rules/default.json:") && unfired.contains(": unfired: rules["),
        "{unfired}"
    );
}

#[test]
fn test_json_has_the_outcomes_and_findings() {
    let dir = TempDir::new("test-json");
    let file = dir.write("bad.json", FAILING_FIXTURES);
    let run = rekindle(&["test", "--json", "default", &file]);
    assert_eq!(run.code, 1);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("test --json prints JSON");
    assert_eq!(value["ok"], false);
    assert_eq!(
        (value["passed"].as_u64(), value["failed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(value["outcomes"].as_array().map(Vec::len), Some(2));
    assert_eq!(value["findings"][0]["kind"], "fail");
    assert_eq!(value["findings"][0]["line"], 5);

    let all = rekindle(&["test", "--json", "--coverage", "default", "rules/fixtures"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    let value: serde_json::Value = serde_json::from_str(&all.stdout).expect("JSON");
    assert_eq!(value["ok"], true);
    assert_eq!(value["findings"], serde_json::json!([]));
    assert_eq!(value["unfired_rules"], serde_json::json!([]));
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

/// The fixture keys this test knows how to turn into `assess` input; a
/// fixture with any other key (such as a couple's answers) is skipped.
const KNOWN_FIXTURE_KEYS: &[&str] = &["name", "description", "answers", "context", "expect"];

/// Checks that the text report says about safety, the challenge, therapy
/// and online therapy what the JSON decision of the same assessment says.
fn check_report_against_decision(name: &str, text: &str, decision: &serde_json::Value) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut expect = |holds: bool, what: String| {
        if !holds {
            wrong.push(format!("{name}: {what}"));
        }
    };
    let lines: Vec<&str> = text.lines().collect();
    let has_line = |line: &str| lines.contains(&line);

    // Safety: the notice, first, iff the decision has one, and what it sets aside.
    let safety = &decision["safety"];
    let notice = lines.iter().position(|l| l.starts_with("!! "));
    let focus = lines.iter().position(|l| l.starts_with("FOCUS AREAS"));
    match safety["title"].as_str() {
        Some(title) => {
            expect(
                notice.is_some_and(|n| lines[n] == format!("!! {}", title.to_uppercase())),
                format!("the safety notice {title:?} is not shown"),
            );
            expect(notice < focus, "the safety notice does not come first".to_owned());
            let tags: Vec<&str> = safety["suppressed_tags"]
                .as_array()
                .map(|t| t.iter().filter_map(|t| t.as_str()).collect())
                .unwrap_or_default();
            let set_aside = lines
                .iter()
                .find(|l| l.trim_start().starts_with("Set aside for now:"));
            match set_aside {
                Some(line) => expect(
                    !tags.is_empty() && tags.iter().all(|t| line.contains(t)),
                    format!("{line:?} does not match the suppressed tags {tags:?}"),
                ),
                None => expect(
                    tags.is_empty(),
                    format!("the suppressed tags {tags:?} are not shown"),
                ),
            }
        }
        None => {
            expect(
                notice.is_none(),
                "a safety notice is shown without one in the decision".to_owned(),
            );
            expect(
                !text.contains("Set aside for now:") && !text.contains("while your safety comes first"),
                "safety wording without a safety notice".to_owned(),
            );
        }
    }

    // The challenge: the one decided, or why there is none.
    let challenge = &decision["challenge"];
    match challenge["title"].as_str() {
        Some(title) => {
            expect(
                has_line(&format!("30-DAY CHALLENGE: {title}")),
                format!("the challenge {title:?} is not named"),
            );
            let phase = &challenge["phase"];
            let days = format!(
                "   Phase to emphasise: days {}-{}: ",
                phase["first_day"], phase["last_day"]
            );
            expect(
                lines.iter().any(|l| l.starts_with(&days)),
                format!("the phase's days {days:?} are not shown"),
            );
        }
        None => {
            let why = if safety.is_null() {
                "30-DAY CHALLENGE: none suggested right now"
            } else {
                "30-DAY CHALLENGE: set aside while your safety comes first"
            };
            expect(has_line(why), format!("no challenge, but not {why:?}"));
        }
    }
    let challenge_lines = lines.iter().filter(|l| l.starts_with("30-DAY CHALLENGE")).count();
    expect(
        challenge_lines == 1,
        format!("{challenge_lines} challenge headings"),
    );

    // Therapy: the level decided, and online therapy only when it fits.
    let therapy = &decision["therapy"];
    expect(
        therapy["title"]
            .as_str()
            .is_some_and(|t| has_line(&format!("THERAPY: {t}"))),
        "the therapy title is not shown".to_owned(),
    );
    let level_line = lines.iter().find(|l| l.starts_with("   Level: ")).copied();
    let online = therapy["online"].as_bool();
    match (therapy["rank"].as_u64(), level_line) {
        (Some(0), None) => {}
        (Some(0), Some(line)) => expect(false, format!("{line:?} shown for the baseline level")),
        (_, None) => expect(false, "the therapy level is not shown".to_owned()),
        (_, Some(line)) => {
            let level = therapy["level"].as_str().unwrap_or("?");
            expect(
                line.strip_prefix("   Level: ")
                    .is_some_and(|rest| rest.split(' ').next() == Some(level)),
                format!("{line:?} does not name the level {level}"),
            );
            expect(
                line.to_lowercase().contains("online") == (online == Some(true)),
                format!("{line:?} contradicts online: {online:?}"),
            );
        }
    }
    if online != Some(true) {
        expect(
            !text.contains("online therapy is a good fit") && !text.contains("whichever suits you"),
            "the report offers online therapy that the decision rules out".to_owned(),
        );
    }
    wrong
}

#[test]
fn reports_agree_with_the_decision_for_every_fixture() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("rules/fixtures"))
        .expect("rules/fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let (mut checked, mut skipped, mut wrong) = (0, 0, Vec::new());
    for file in &files {
        let text = std::fs::read_to_string(file).expect("fixture file");
        let parsed: serde_json::Value = serde_json::from_str(&text).expect("fixture JSON");
        for fixture in parsed["fixtures"].as_array().into_iter().flatten() {
            let known = fixture
                .as_object()
                .is_some_and(|o| o.keys().all(|k| KNOWN_FIXTURE_KEYS.contains(&k.as_str())));
            // Fixtures of rejected answers have no report to check.
            if !known || !fixture["expect"]["error"].is_null() {
                skipped += 1;
                continue;
            }
            let mut input = serde_json::json!({"answers": fixture["answers"]});
            if !fixture["context"].is_null() {
                input["context"] = fixture["context"].clone();
            }
            let input = input.to_string();
            let name = format!("{}: {}", file.display(), fixture["name"]);
            let report = rekindle_with_input(&["assess", "-"], Some(&input));
            let json = rekindle_with_input(&["assess", "--json", "-"], Some(&input));
            assert_eq!(
                (report.code, json.code),
                (0, 0),
                "{name}: {}{}",
                report.stderr,
                json.stderr
            );
            let decision: serde_json::Value = serde_json::from_str(&json.stdout).expect("assess --json");
            wrong.extend(check_report_against_decision(&name, &report.stdout, &decision));
            checked += 1;
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Most fixtures are single-person ones; the run must not skip them all.
    assert!(checked > 40, "checked {checked}, skipped {skipped}");
}

#[test]
fn the_report_checks_catch_a_contradiction() {
    let decision = serde_json::json!({
        "safety": null,
        "challenge": null,
        "therapy": {"level": "individual", "rank": 3, "title": "T", "online": false}
    });
    let contradicting = "X\n\n30-DAY CHALLENGE: none suggested right now\n\nTHERAPY: T\n   \
                         Level: individual (in person or online, whichever suits you)\n";
    let wrong = check_report_against_decision("f", contradicting, &decision);
    assert_eq!(wrong.len(), 2, "{wrong:?}");
    let agreeing = contradicting.replace(" (in person or online, whichever suits you)", "");
    assert_eq!(
        check_report_against_decision("f", &agreeing, &decision),
        Vec::<String>::new()
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
        &["--day 0 is too small: the smallest is 1"],
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
fn questions_json_matches_the_pack() {
    let run = rekindle(&["questions", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("questions --json prints JSON");
    let pack: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("JSON");
    assert_eq!(value["pack"]["id"], pack["id"]);
    assert_eq!(
        value["questions"].as_array().map(Vec::len),
        pack["questions"].as_array().map(Vec::len)
    );
    assert_eq!(value["questions"][0]["id"], pack["questions"][0]["id"]);
    assert_eq!(value["sections"][0]["title"], pack["sections"][0]["title"]);
    assert_eq!(value["context"][0]["id"], pack["context"][0]["id"]);
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

// ---------------------------------------------------------------------------
// Couple mode

#[test]
fn assess_couple_prints_three_views_apart() {
    let run = rekindle(&[
        "assess",
        "--couple",
        "examples/couple/a.json",
        "examples/couple/b.json",
        "--context",
        "examples/couple/context.json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let shared = run.stdout.find("SHARED PLAN").expect("shared view");
    let a = run.stdout.find("ONLY FOR PARTNER A").expect("a's view");
    let b = run.stdout.find("ONLY FOR PARTNER B").expect("b's view");
    assert!(shared < a && a < b, "{}", run.stdout);
    assert!(run.stdout[shared..a].contains("30-DAY CHALLENGE"));
    assert!(run.stdout[a..b].contains("YOUR SCORES"));
    // One view alone, as text and as JSON.
    let only_b = rekindle(&[
        "assess",
        "--couple",
        "--view",
        "b",
        "examples/couple/a.json",
        "examples/couple/b.json",
    ]);
    assert_eq!(only_b.code, 0, "{}", only_b.stderr);
    assert!(only_b.stdout.contains("ONLY FOR PARTNER B"));
    assert!(!only_b.stdout.contains("SHARED PLAN") && !only_b.stdout.contains("PARTNER A"));
    let json = rekindle(&[
        "assess",
        "--couple",
        "--json",
        "examples/couple/a.json",
        "examples/couple/b.json",
    ]);
    let plan: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    for key in ["shared", "a", "b", "pack"] {
        assert!(plan.get(key).is_some(), "{key} missing");
    }
}

#[test]
fn a_partners_disclosure_stays_out_of_the_other_views_on_the_command_line() {
    let dir = TempDir::new("couple-safety");
    let b = dir.write("b.json", r#"{"answers": {"q_safety_fear": true}}"#);
    let pack: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("pack");
    let notice = pack["safety"]["title"].as_str().expect("title").to_uppercase();
    let helpline = pack["safety"]["resources"][0]["name"]
        .as_str()
        .expect("a resource")
        .to_owned();
    for view in ["shared", "a"] {
        let run = rekindle(&["assess", "--couple", "--view", view, "examples/couple/a.json", &b]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            !run.stdout.contains(&notice) && !run.stdout.contains(&helpline),
            "{view}:\n{}",
            run.stdout
        );
        assert!(
            !run.stdout.to_lowercase().contains("safety"),
            "{view}:\n{}",
            run.stdout
        );
    }
    let own = rekindle(&["assess", "--couple", "--view", "b", "examples/couple/a.json", &b]);
    assert!(
        own.stdout.contains(&notice) && own.stdout.contains(&helpline),
        "{}",
        own.stdout
    );
}

#[test]
fn assess_couple_rejects_bad_arguments_and_answers_without_echo() {
    let dir = TempDir::new("couple-bad");
    let secret = dir.write("partner.json", r#"{"answers": {"q_blame": "my secret words"}}"#);
    let with_context = dir.write("ctx.json", r#"{"answers": {}, "context": {"married": true}}"#);
    let run = rekindle(&["assess", "--couple", "examples/couple/a.json"]);
    assert_one_line_error(&run, 2, &["two answers files"]);
    let run = rekindle(&[
        "assess",
        "--couple",
        "--view",
        "c",
        "examples/couple/a.json",
        "examples/couple/b.json",
    ]);
    assert_one_line_error(&run, 2, &["--view takes shared, a or b"]);
    let run = rekindle(&["assess", "--view", "a", "examples/answers.json"]);
    assert_one_line_error(&run, 2, &["--view belongs to `assess --couple`"]);
    let run = rekindle(&["assess", "--couple", "examples/couple/a.json", &with_context]);
    assert_one_line_error(&run, 1, &["--context"]);
    let run = rekindle(&["assess", "--couple", "examples/couple/a.json", &secret]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("b.q_blame") && !run.stderr.contains("secret"),
        "{}",
        run.stderr
    );
}

#[test]
fn quiz_couple_shows_each_private_view_after_a_pause_and_only_the_shared_plan_on_stdout() {
    let pack: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("pack");
    let questions = pack["questions"].as_array().expect("questions").len();
    let facts = pack["context"].as_array().expect("context").len();
    // A answers the first question "often" and skips the rest; B answers
    // "y" to every yes/no question (the safety items among them), skips
    // the rest; every pause gets an Enter.
    let mut input = String::from("often\n");
    input.push_str(&"\n".repeat(questions - 1));
    input.push('\n'); // hand over to B
    for q in pack["questions"].as_array().expect("questions") {
        let yes_no = q["answer"]["kind"] == "yes_no" && q["id"] != "q_self_first";
        input.push_str(if yes_no { "y\n" } else { "\n" });
    }
    input.push('\n'); // together
    input.push_str(&"\n".repeat(facts));
    input.push_str(&"\n".repeat(4)); // show and hide each private view
    let run = rekindle_with_input(&["quiz", "--couple"], Some(&input));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("SHARED PLAN"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("ONLY FOR PARTNER"),
        "private views on stdout:\n{}",
        run.stdout
    );
    let notice = pack["safety"]["title"].as_str().expect("title").to_uppercase();
    assert!(!run.stdout.contains(&notice), "{}", run.stdout);
    let a = run.stderr.find("ONLY FOR PARTNER A").expect("A's view is shown");
    let b = run.stderr.find("ONLY FOR PARTNER B").expect("B's view is shown");
    let cleared = run.stderr[a..b].matches("(screen cleared)").count();
    assert!(
        cleared >= 2,
        "A's view is not cleared before B's:\n{}",
        &run.stderr[a..b]
    );
    assert!(!run.stderr[a..b].contains(&notice), "B's disclosure in A's view");
    assert!(run.stderr[b..].contains(&notice), "B's own view lacks the notice");
}

// ---------------------------------------------------------------------------
// Progress over time

#[test]
fn a_saved_snapshot_shows_the_change_and_the_next_step_next_time() {
    let dir = TempDir::new("progress");
    let first = dir.path() + "/first.json";
    let run = rekindle(&[
        "assess",
        "--date",
        "2026-10-01",
        "--reached",
        "10",
        "--save-snapshot",
        &first,
        "examples/answers.json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let saved = std::fs::read_to_string(&first).expect("snapshot written");
    let snapshot: serde_json::Value = serde_json::from_str(&saved).expect("JSON");
    assert_eq!(snapshot["date"], "2026-10-01");
    assert_eq!(snapshot["day"], 10);
    assert!(!saved.contains("safety") && !saved.contains("answers"), "{saved}");
    // Trust grew since: the next phase of the challenge comes next.
    let better = dir.write(
        "better.json",
        r#"{"answers": {"q_rely": "always", "q_honest": "always", "q_trust_doubts": "never"}}"#,
    );
    let run = rekindle(&["assess", "--previous", &first, "--date", "2026-11-27", &better]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("PROGRESS since 2026-10-01, 57 days ago"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("better (-25)"), "{}", run.stdout);
    assert!(run.stdout.contains("progress_trust_days_done"), "{}", run.stdout);
    assert!(!run.stdout.contains('\x1b'), "no colour when not a terminal");
    // `rekindle progress OLD NEW` compares two saved snapshots.
    let second = dir.path() + "/second.json";
    let run = rekindle(&[
        "assess",
        "--date",
        "2026-11-27",
        "--save-snapshot",
        &second,
        &better,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = rekindle(&["progress", &first, &second]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Trust") && run.stdout.contains("better"),
        "{}",
        run.stdout
    );
    let json = rekindle(&["progress", "--json", &first, &second]);
    let progress: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(progress["days"], 57);
}

#[test]
fn snapshots_that_do_not_fit_are_rejected_without_their_values() {
    let dir = TempDir::new("progress-bad");
    let other = dir.write(
        "other.json",
        r#"{"format": 1, "pack_id": "SENTINEL-pack", "pack_version": "1", "pack_hash": "", "date": "2026-01-01", "scores": []}"#,
    );
    let run = rekindle(&["assess", "--previous", &other, "examples/answers.json"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("snapshot_other_pack") && !run.stderr.contains("SENTINEL"),
        "{}",
        run.stderr
    );
    let run = rekindle(&[
        "assess",
        "--date",
        "27/11/2026",
        "--save-snapshot",
        &(dir.path() + "/s.json"),
        "examples/answers.json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("invalid_date"), "{}", run.stderr);
    let run = rekindle(&["progress", &other]);
    assert_one_line_error(&run, 2, &["two snapshot files"]);
}

#[test]
fn lint_lists_findings_with_paths_and_denies_on_request() {
    let run = rekindle(&["lint", "rules/default.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("no findings"), "{}", run.stdout);
    let dir = TempDir::new("lint");
    let mut pack: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("pack");
    pack["rules"][0]["when"] = serde_json::json!({"all": [
        {"answer": "q_blame", "is": "often"}, {"answer": "q_blame", "is": "never"}
    ]});
    let path = dir.write("contradiction.json", &pack.to_string());
    let run = rekindle(&["lint", "--deny", &path]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("rules[0].when: no answers can make this condition true"),
        "{}",
        run.stdout
    );
    let short = rekindle(&["lint", "--format=short", &path]);
    assert_eq!(short.code, 0);
    assert!(
        short
            .stdout
            .lines()
            .any(|l| l.contains(": never_fires: rules[0].when:")),
        "{}",
        short.stdout
    );
}

#[test]
fn diff_reports_no_change_for_the_same_pack_and_safety_changes_first() {
    let run = rekindle(&[
        "diff",
        "rules/default.json",
        "rules/default.json",
        "--generate",
        "1000",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("rules/default.json -> rules/default.json: 0 of "),
        "{}",
        run.stdout
    );
    let dir = TempDir::new("diff");
    let mut pack: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("pack");
    pack["rules"]
        .as_array_mut()
        .expect("rules")
        .retain(|rule| rule["id"] != "safety_harm");
    let path = dir.write("no-harm-rule.json", &pack.to_string());
    let run = rekindle(&[
        "diff",
        "rules/default.json",
        &path,
        "--generate",
        "300",
        "--seed",
        "3",
    ]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let second_line = run.stdout.lines().nth(1).unwrap_or_default();
    assert!(second_line.starts_with("SAFETY: "), "{}", run.stdout);
    assert!(run.stdout.contains("raised -> not raised"), "{}", run.stdout);
    assert!(
        run.stdout.contains("q_safety_harm alone at its highest"),
        "{}",
        run.stdout
    );
    let allowed = rekindle(&[
        "diff",
        "rules/default.json",
        &path,
        "--allow-safety-change",
        "--json",
    ]);
    assert_eq!(allowed.code, 0);
    let report: serde_json::Value = serde_json::from_str(&allowed.stdout).expect("JSON");
    assert!(report["changes"]["safety"]["count"]
        .as_u64()
        .is_some_and(|n| n > 0));
    // The same seed gives the same corpus.
    let again = rekindle(&[
        "diff",
        "rules/default.json",
        &path,
        "--generate",
        "300",
        "--seed",
        "3",
    ]);
    assert_eq!(again.stdout, run.stdout);
}

#[test]
fn diff_reads_answer_corpora_and_names_examples_by_line_not_answers() {
    let dir = TempDir::new("diff-corpus");
    let corpus = dir.write(
        "answers.jsonl",
        "{\"answers\": {\"q_safety_harm\": true, \"q_blame\": \"often\"}}\n{\"answers\": {\"q_blame\": \"never\"}}\n",
    );
    let mut pack: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("pack");
    pack["rules"]
        .as_array_mut()
        .expect("rules")
        .retain(|rule| rule["id"] != "safety_harm");
    let path = dir.write("no-harm-rule.json", &pack.to_string());
    let run = rekindle(&["diff", "--answers", &corpus, "rules/default.json", &path]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains(": 1 of 2 answer sets change"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("answers.jsonl:1"), "{}", run.stdout);
    assert!(!run.stdout.contains("often"), "{}", run.stdout);
}

#[test]
fn shape_errors_name_their_json_path() {
    let dir = TempDir::new("shape");
    let mut pack: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("pack");
    pack["rules"][3]["when"] = serde_json::json!({"answer": "q_blame", "eq": "often"});
    let path = dir.write("shape.json", &serde_json::to_string_pretty(&pack).expect("JSON"));
    let run = rekindle(&["check", &path]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains(": rules[3].when.eq: line "), "{}", run.stdout);
    let short = rekindle(&["check", "--format=short", &path]);
    assert!(
        short.stdout.contains(": syntax: rules[3].when.eq: "),
        "{}",
        short.stdout
    );
    let fixtures = dir.write(
        "fx.json",
        r#"{"format": 1, "fixtures": [{"name": "x", "answers": {}, "expect": {"therapy": 3}}]}"#,
    );
    let run = rekindle(&["test", "rules/default.json", &fixtures]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("fixtures[0].expect.therapy"),
        "{}",
        run.stderr
    );
}

/// The default pack with a new question, context fact, focus area and a rule
/// that makes that focus area top whenever the new question is answered
/// `often` or `always`.
fn pack_with_a_new_question() -> serde_json::Value {
    let mut pack: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("pack");
    let mut question = pack["questions"][0].clone();
    question["id"] = "q_screens".into();
    question["prompt"] = "Phones get in the way of our time together.".into();
    pack["questions"]
        .as_array_mut()
        .expect("questions")
        .insert(5, question);
    pack["dimensions"][0]["items"]
        .as_array_mut()
        .expect("items")
        .push(serde_json::json!({"question": "q_screens"}));
    pack["context"]
        .as_array_mut()
        .expect("context")
        .push(serde_json::json!({"id": "has_pets", "label": "The couple has pets.", "kind": "bool"}));
    pack["focus_areas"]
        .as_array_mut()
        .expect("focus areas")
        .push(serde_json::json!({
            "id": "screen_free", "title": "Screen-free time", "summary": "Put the phones away together.",
            "practices": ["a", "b", "c"], "tags": ["couples"]
        }));
    pack["rules"].as_array_mut().expect("rules").push(serde_json::json!({
        "id": "screens_get_in_way",
        "when": {"answer": "q_screens", "in": ["often", "always"]},
        "then": {"focus": {"screen_free": 40}, "reason": "Screens often get in the way of your time together."}
    }));
    pack
}

#[test]
fn diff_runs_each_pack_on_the_answers_it_declares_and_says_what_it_left_out() {
    let dir = TempDir::new("diff-new-question");
    let new = dir.write("new.json", &pack_with_a_new_question().to_string());
    let run = rekindle(&["diff", "rules/default.json", &new, "--generate", "500"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // Nothing is refused for a question the old pack never asked.
    assert!(!run.stdout.contains("rejected"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("left out for rules/default.json, which does not declare them:"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  answers to q_screens: in "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  context fact has_pets: in "),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains(&format!("left out for {new}")),
        "{}",
        run.stdout
    );
    // What the new rule decides shows as the change it is.
    assert!(run.stdout.contains("top_focus_area: "), "{}", run.stdout);
    assert!(run.stdout.contains(" -> screen_free: "), "{}", run.stdout);
    // Ids only: no answer value appears.
    for value in ["often", "always", "sometimes", "rarely", "never"] {
        assert!(!run.stdout.contains(value), "{value} in:\n{}", run.stdout);
    }

    let json = rekindle(&["diff", "rules/default.json", &new, "--generate", "500", "--json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert!(report["left_out"]["old"]["answers"]["q_screens"]
        .as_u64()
        .is_some_and(|n| n > 0));
    assert!(report["left_out"]["old"]["context"]["has_pets"]
        .as_u64()
        .is_some_and(|n| n > 0));
    assert_eq!(report["left_out"]["new"]["answers"], serde_json::json!({}));
    assert_eq!(report["changes"]["rejected"]["count"], 0);
    let transitions = report["changes"]["top_focus_area"]["transitions"]
        .as_object()
        .expect("transitions");
    assert!(
        transitions.keys().any(|t| t.ends_with(" -> screen_free")),
        "{transitions:?}"
    );

    // Removing the question: its answers are drawn from the old pack and
    // left out for the new one, so the rule's loss shows.
    let back = rekindle(&["diff", &new, "rules/default.json", "--generate", "500", "--json"]);
    assert_eq!(back.code, 0, "{}", back.stderr);
    let report: serde_json::Value = serde_json::from_str(&back.stdout).expect("JSON");
    assert!(report["left_out"]["new"]["answers"]["q_screens"]
        .as_u64()
        .is_some_and(|n| n > 0));
    assert_eq!(report["changes"]["rejected"]["count"], 0);
    let transitions = report["changes"]["top_focus_area"]["transitions"]
        .as_object()
        .expect("transitions");
    assert!(
        transitions.keys().any(|t| t.starts_with("screen_free -> ")),
        "{transitions:?}"
    );
    let help = rekindle(&["diff", "--help"]).stdout;
    for words in [
        "Each pack decides on the answers it knows",
        "is left out",
        "left_out",
    ] {
        assert!(help.contains(words), "{words:?} not in:\n{help}");
    }
}

#[test]
fn diff_still_shows_what_a_pack_really_rejects() {
    let dir = TempDir::new("diff-real-rejections");
    // The old pack offers one more option and a wider range than the new one.
    let mut old: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("pack");
    for question in old["questions"].as_array_mut().expect("questions") {
        if question["id"] == "q_misunderstandings" {
            question["answer"]["options"]
                .as_array_mut()
                .expect("options")
                .push(serde_json::json!({"value": "constantly", "label": "Constantly", "weight": 4}));
        }
        if question["id"] == "q_overall_closeness" {
            question["answer"]["max"] = 20.into();
        }
    }
    let old = dir.write("old.json", &old.to_string());
    let corpus = dir.write(
        "answers.jsonl",
        concat!(
            "{\"answers\": {\"q_misunderstandings\": \"constantly\"}}\n",
            "{\"answers\": {\"q_overall_closeness\": 15}}\n",
            "{\"answers\": {\"q_overall_closeness\": 5, \"q_unknown_to_both\": true}}\n",
        ),
    );
    let run = rekindle(&["diff", "--answers", &corpus, &old, "rules/default.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(": 2 of 3 answer sets change"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("  accepted -> rejected: 2"), "{}", run.stdout);
    assert!(run.stdout.contains("answers.jsonl:1, "), "{}", run.stdout);
    // An answer neither pack asks is left out for both, by id.
    assert!(
        run.stdout
            .contains(&format!("left out for {old}, which does not declare them:")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  answers to q_unknown_to_both: in 1 answer set"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("constantly"), "{}", run.stdout);
}

#[test]
fn lint_prints_the_problems_of_a_pack_that_does_not_load_once() {
    let dir = TempDir::new("lint-broken");
    let mut pack: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("pack");
    pack["rules"][0]["when"] = serde_json::json!({"answer": "q_misunderstandng", "is": "often"});
    let invalid = dir.write(
        "invalid.json",
        &serde_json::to_string_pretty(&pack).expect("JSON"),
    );
    let syntax = dir.write("syntax.json", "{\"id\": \"x\",\n");
    for path in [&invalid, &syntax] {
        let text = rekindle(&["lint", path]);
        assert_eq!(text.code, 1, "{}", text.stderr);
        assert!(text.stdout.is_empty(), "stdout:\n{}", text.stdout);
        assert!(
            text.stderr
                .starts_with(&format!("rekindle: {path}: the pack does not load")),
            "{}",
            text.stderr
        );
        let json = rekindle(&["lint", "--json", path]);
        assert_eq!(json.code, 1);
        assert!(json.stderr.is_empty(), "stderr:\n{}", json.stderr);
        let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("one JSON document");
        assert_eq!(report["ok"], false);
        assert_eq!(report["pack"], serde_json::Value::Null);
        assert_eq!(report["findings"].as_array().map(Vec::len), Some(1));
        // The same keys as `check --json`.
        let check: serde_json::Value =
            serde_json::from_str(&rekindle(&["check", "--json", path]).stdout).expect("JSON");
        assert_eq!(report, check);
        let short = rekindle(&["lint", "--format=short", path]);
        assert_eq!(short.code, 1);
        assert!(short.stderr.is_empty(), "stderr:\n{}", short.stderr);
        assert_eq!(short.stdout.lines().count(), 1, "{}", short.stdout);
    }
    let text = rekindle(&["lint", &invalid]);
    assert_eq!(
        text.stderr.matches("q_misunderstandng").count(),
        1,
        "{}",
        text.stderr
    );
    assert!(
        text.stderr.contains("rules[0].when.answer: unknown question"),
        "{}",
        text.stderr
    );
    // A pack that loads: the same report shape, with its findings.
    pack["rules"][0]["when"] = serde_json::json!({"all": [
        {"answer": "q_blame", "is": "often"}, {"answer": "q_blame", "is": "never"}
    ]});
    let linted = dir.write("contradiction.json", &pack.to_string());
    let valid = rekindle(&["lint", "--json", &linted]);
    assert_eq!(valid.code, 0);
    let report: serde_json::Value = serde_json::from_str(&valid.stdout).expect("JSON");
    assert_eq!(report["ok"], true);
    assert_eq!(report["pack"]["id"], "rekindle.default");
    assert!(report["findings"].as_array().is_some_and(|f| !f.is_empty()));
    let denied = rekindle(&["lint", "--json", "--deny", &linted]);
    assert_eq!(denied.code, 1);
    let report: serde_json::Value = serde_json::from_str(&denied.stdout).expect("JSON");
    assert_eq!(report["ok"], false);
}

#[test]
fn numeric_options_say_which_bound_a_value_misses() {
    let dir = TempDir::new("numbers");
    let snapshot = dir.path() + "/snapshot.json";
    // (arguments before the option, option, smallest, largest)
    let cases: [(&[&str], &str, u64, u64); 6] = [
        (&["assess", "examples/answers.json"], "--day", 1, 366),
        (
            &[
                "assess",
                "--couple",
                "examples/answers.json",
                "examples/answers.json",
            ],
            "--day",
            1,
            366,
        ),
        (&["quiz"], "--day", 1, 366),
        (
            &["assess", "--save-snapshot", &snapshot, "examples/answers.json"],
            "--reached",
            1,
            366,
        ),
        (&["diff", "default", "default"], "--generate", 0, 100_000_000),
        (&["diff", "default", "default"], "--seed", 0, u64::MAX),
    ];
    for (before, option, min, max) in cases {
        let command = before[0];
        let run_with = |value: &str| {
            let mut args = before.to_vec();
            let given = format!("{option}={value}");
            args.push(&given);
            rekindle(&args)
        };
        let see = format!("(see `rekindle {command} --help`)");
        let too_large = (u128::from(max) + 1).to_string();
        for value in [too_large.as_str(), "999999999999999999999999"] {
            assert_one_line_error(
                &run_with(value),
                2,
                &[
                    &format!("{option} {value} is too large: the largest is {max}"),
                    &see,
                ],
            );
        }
        assert_one_line_error(
            &run_with("-3"),
            2,
            &[&format!(
                "{option} cannot be negative (-3): it takes a whole number from {min} to {max}"
            )],
        );
        assert_one_line_error(
            &run_with("-2.5"),
            2,
            &[&format!("{option} cannot be negative (-2.5)")],
        );
        for value in ["2.5", "1e3"] {
            assert_one_line_error(
                &run_with(value),
                2,
                &[&format!(
                    "{option} takes a whole number from {min} to {max}, not {value}"
                )],
            );
        }
        assert_one_line_error(
            &run_with("ten"),
            2,
            &[&format!(
                "{option} takes a whole number from {min} to {max}, not `ten`"
            )],
        );
        assert_one_line_error(
            &run_with(""),
            2,
            &[&format!(
                "{option} needs a value: a whole number from {min} to {max}"
            )],
        );
        if min > 0 {
            assert_one_line_error(
                &run_with("0"),
                2,
                &[&format!("{option} 0 is too small: the smallest is {min}")],
            );
        }
    }
    assert!(!Path::new(&snapshot).exists());
    // --reached is checked even when no snapshot is saved.
    assert_one_line_error(
        &rekindle(&["assess", "--reached", "400", "examples/answers.json"]),
        2,
        &["--reached 400 is too large: the largest is 366"],
    );
}

/// The words in backticks in the top-level help's sentence that contains `marker`.
fn commands_in_help_sentence(help: &str, marker: &str) -> Vec<String> {
    let text = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let sentence = text
        .split(". ")
        .find(|s| s.contains(marker))
        .unwrap_or_else(|| panic!("no sentence with {marker} in the help:\n{help}"));
    sentence
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| w.chars().all(|c| c.is_ascii_lowercase()))
        .map(str::to_owned)
        .collect()
}

/// Arguments that make each command succeed, for checking what it accepts.
fn sample_arguments(command: &str, dir: &TempDir) -> Vec<String> {
    let strings = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect();
    match command {
        "check" | "lint" => strings(&["default"]),
        "test" => strings(&["default", "rules/fixtures"]),
        "diff" => strings(&["default", "default", "--generate", "5"]),
        "assess" => strings(&["examples/answers.json"]),
        "questions" | "quiz" => Vec::new(),
        "schema" => strings(&["pack"]),
        "progress" => {
            let snapshot = dir.path() + "/snapshot.json";
            let saved = rekindle(&[
                "assess",
                "--date",
                "2026-01-01",
                "--save-snapshot",
                &snapshot,
                "examples/answers.json",
            ]);
            assert_eq!(saved.code, 0, "{}", saved.stderr);
            vec![snapshot.clone(), snapshot]
        }
        other => panic!("the top-level help names `{other}`: give this test arguments for it"),
    }
}

#[test]
fn every_command_accepts_what_the_top_level_help_says() {
    let help = rekindle(&["--help"]).stdout;
    let commands: Vec<String> = help
        .split("Commands:\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .expect("a Commands section")
        .lines()
        .filter_map(|line| line.strip_prefix("  ")?.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect();
    assert!(commands.len() >= 9, "{commands:?}");
    let json = commands_in_help_sentence(&help, "with --json");
    let short = commands_in_help_sentence(&help, "with --format=short");
    let dir = TempDir::new("help-claims");
    for command in &commands {
        let own_help = rekindle(&[command, "--help"]);
        assert_eq!(own_help.code, 0, "{command}: {}", own_help.stderr);
        assert!(own_help.stdout.starts_with(&format!("Usage: rekindle {command}")));
        // A typo of any command gets it suggested.
        let typo = &command[..command.len() - 1];
        let run = rekindle(&[typo]);
        assert!(
            run.stderr.contains(&format!("did you mean `{command}`?")),
            "{typo}: {}",
            run.stderr
        );

        let args = sample_arguments(command, &dir);
        let run_with = |option: &str| {
            let mut all: Vec<&str> = vec![command, option];
            all.extend(args.iter().map(String::as_str));
            rekindle(&all)
        };
        let with_json = run_with("--json");
        if json.contains(command) {
            assert_eq!(with_json.code, 0, "{command} --json: {}", with_json.stderr);
            assert!(own_help.stdout.contains("--json"), "{command} --help");
            let parsed: Result<serde_json::Value, _> = serde_json::from_str(&with_json.stdout);
            assert!(parsed.is_ok(), "{command} --json printed:\n{}", with_json.stdout);
        } else {
            assert_one_line_error(
                &with_json,
                2,
                &[&format!("unknown option --json for `{command}`")],
            );
        }
        let with_short = run_with("--format=short");
        if short.contains(command) {
            assert_eq!(
                with_short.code, 0,
                "{command} --format=short: {}",
                with_short.stderr
            );
            assert!(own_help.stdout.contains("short"), "{command} --help");
        } else {
            assert_one_line_error(
                &with_short,
                2,
                &[&format!("unknown option --format for `{command}`")],
            );
        }
    }
}

/// The default pack with `misunderstandings_listening` leading to
/// compromise instead of active listening.
fn pack_with_a_changed_focus() -> String {
    let mut pack: serde_json::Value = serde_json::from_str(rekindle::DEFAULT_PACK_JSON).expect("pack");
    for rule in pack["rules"].as_array_mut().expect("rules") {
        if rule["id"] == "misunderstandings_listening" {
            rule["then"]["focus"] = serde_json::json!({"compromise": 30});
        }
    }
    pack.to_string()
}

#[test]
fn diff_counts_answer_sets_both_packs_reject_apart_and_fails_on_them() {
    let dir = TempDir::new("diff-rejected-by-both");
    let new = dir.write("new.json", &pack_with_a_changed_focus());
    let invalid = "{\"answers\":{\"q_low_desire\":\"BOGUS\",\"q_misunderstandings\":\"often\"}}\n";
    let valid = "{\"answers\":{\"q_misunderstandings\":\"often\"}}\n";
    // Every answer set rejected by both: an error, not "0 change".
    let only = dir.write("invalid.jsonl", invalid);
    let run = rekindle(&[
        "diff",
        "--answers",
        &only,
        "--generate",
        "0",
        "rules/default.json",
        &new,
    ]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(": 0 of 0 answer sets change; 1 answer set rejected by both packs, not compared"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("nothing was compared"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("invalid.jsonl:1: unknown_option at answers.q_low_desire"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("BOGUS"), "{}", run.stdout);
    // Mixed with a valid one: it is compared, the other counted apart.
    let mixed = dir.write("mixed.jsonl", &format!("{invalid}{valid}"));
    let run = rekindle(&["diff", "--answers", &mixed, "rules/default.json", &new]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(": 1 of 1 answer set change; 1 answer set rejected by both packs"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("mixed.jsonl:1: unknown_option"),
        "{}",
        run.stdout
    );
    let json = rekindle(&["diff", "--answers", &mixed, "--json", "rules/default.json", &new]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(report["answer_sets"], 2);
    assert_eq!(report["compared"], 1);
    assert_eq!(report["changed"], 1);
    assert_eq!(report["rejected_by_both"]["count"], 1);
    let example = &report["rejected_by_both"]["examples"][0];
    assert!(
        example["answer_set"]
            .as_str()
            .is_some_and(|s| s.ends_with("mixed.jsonl:1")),
        "{example}"
    );
    assert_eq!(
        example["problems"],
        serde_json::json!([{"kind": "unknown_option", "path": "answers.q_low_desire"}])
    );
    assert!(!json.stdout.contains("BOGUS"), "{}", json.stdout);
    // Valid answers alone: exit 0, nothing rejected.
    let good = dir.write("valid.jsonl", valid);
    let run = rekindle(&["diff", "--answers", &good, "rules/default.json", &new]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(!run.stdout.contains("rejected by both"), "{}", run.stdout);
    let help = rekindle(&["diff", "--help"]).stdout;
    assert!(help.contains("both packs reject"), "{help}");
    assert!(help.contains("rejected_by_both"), "{help}");
}

#[test]
fn diff_makes_every_skipped_or_unreadable_answer_set_visible() {
    let dir = TempDir::new("diff-unreadable");
    let valid = "{\"answers\":{\"q_misunderstandings\":\"often\"}}";
    // Blank lines are skipped and counted.
    let blanks = dir.write("blanks.jsonl", &format!("{valid}\n\n{valid}\n   \n"));
    let run = rekindle(&[
        "diff",
        "--answers",
        &blanks,
        "rules/default.json",
        "rules/default.json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(": 0 of 2 answer sets change"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("skipped 2 blank lines"), "{}", run.stdout);
    let json = rekindle(&[
        "diff",
        "--answers",
        &blanks,
        "--json",
        "rules/default.json",
        "rules/default.json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(report["blank_lines"], 2);
    // Answers that hold no answer set do not fall back to generated ones.
    let empty = dir.write("empty.jsonl", "\n\n");
    let run = rekindle(&[
        "diff",
        "--answers",
        &empty,
        "rules/default.json",
        "rules/default.json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("no answer sets"), "{}", run.stderr);
    let empty_dir = Path::new(&dir.path()).join("none");
    std::fs::create_dir_all(&empty_dir).expect("dir");
    let run = rekindle(&[
        "diff",
        "--answers",
        &empty_dir.display().to_string(),
        "rules/default.json",
        "rules/default.json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    // Each unreadable line stops the run with its line and why, no value.
    for (name, line, why) in [
        (
            "syntax.jsonl",
            "{\"answers\": {\"q_blame\": SECRET}}",
            "line 2: not an answer set: ",
        ),
        (
            "duplicate.jsonl",
            "{\"answers\": {\"q_blame\": \"SECRET\", \"q_blame\": \"never\"}}",
            "line 2: not an answer set: answers.q_blame: ",
        ),
        (
            "couple.jsonl",
            "{\"a\": {\"q_blame\": \"SECRET\"}, \"b\": {}}",
            "line 2: not an answer set: a couple's answers",
        ),
        (
            "typo.jsonl",
            "{\"answers\": {}, \"contxt\": {}}",
            "unknown field `contxt`",
        ),
    ] {
        let path = dir.write(name, &format!("{valid}\n{line}\n"));
        let run = rekindle(&[
            "diff",
            "--answers",
            &path,
            "rules/default.json",
            "rules/default.json",
        ]);
        assert_eq!(run.code, 1, "{name}: {}", run.stdout);
        assert!(run.stderr.contains(why), "{name}: {}", run.stderr);
        assert!(!run.stderr.contains("SECRET"), "{name}: {}", run.stderr);
    }
    let list = dir.write(
        "list.json",
        "[{\"answers\": {}}, {\"answers\": {\"q_blame\": \"SECRET\", \"q_blame\": \"x\"}}]",
    );
    let run = rekindle(&[
        "diff",
        "--answers",
        &list,
        "rules/default.json",
        "rules/default.json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("duplicate key at answers.q_blame"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("SECRET"), "{}", run.stderr);
    let pretty = dir.write(
        "pretty.json",
        "{\n  \"answers\": {\"q_blame\": \"SECRET\", \"q_blame\": \"x\"}\n}\n",
    );
    let run = rekindle(&[
        "diff",
        "--answers",
        &pretty,
        "rules/default.json",
        "rules/default.json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("[duplicate_key]"), "{}", run.stderr);
    assert!(!run.stderr.contains("SECRET"), "{}", run.stderr);
}
