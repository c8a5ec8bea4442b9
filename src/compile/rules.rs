//! Checking and compiling rules: effects, conditions and their leaves.

use std::fmt::Write;

use super::*;
use crate::pack::Band;

impl Compiler<'_> {
    pub(super) fn rules(&mut self, rules: &[Rule], refs: &Refs<'_>, protected: TagMask) -> Vec<RuleModel> {
        let list = Path::Root("rules");
        self.unique_ids(list, rules.iter().map(|r| r.id.as_str()));
        let mut models = Vec::with_capacity(rules.len());
        // The path of the condition being compiled, grown on the way down
        // and cut back on the way up: written out once for each leaf (the
        // trace keeps it), and otherwise only for a problem.
        let mut path = String::with_capacity(64);
        for (i, rule) in rules.iter().enumerate() {
            let rule_path = list.index(i);
            let then = self.effects(&rule.then, rule_path.field("then"), refs, protected);
            let scope = CondScope {
                depth: 1,
                safety: rule.then.safety,
                personal: personal_rule(&rule.then),
            };
            let mut nodes = 0;
            path.clear();
            path.push_str("rules");
            push_index(&mut path, i);
            path.push_str(".when");
            let when = self.condition(&rule.when, &mut path, scope, &mut nodes, refs);
            let access = Access::of(&when, refs.pack);
            if nodes > self.limits.max_condition_nodes {
                self.problem(
                    ProblemKind::TooLarge,
                    rule_path.field("when"),
                    format!(
                        "condition has {nodes} nodes, over the limit of {}",
                        self.limits.max_condition_nodes
                    ),
                );
            }
            models.push(RuleModel { when, then, access });
        }
        models
    }

    fn effects(
        &mut self,
        effects: &Effects,
        path: Path<'_>,
        refs: &Refs<'_>,
        protected: TagMask,
    ) -> EffectModel {
        let mut model = EffectModel {
            online_therapy: effects.online_therapy,
            safety: effects.safety,
            neutral_plan: effects.neutral_plan,
            ..EffectModel::default()
        };
        self.check_text(&effects.reason, path.field("reason"), true);
        if let Some(text) = &effects.shared_reason {
            self.check_text(text, path.field("shared_reason"), true);
        }
        // Each map names at most every item once; a longer one is refused
        // as a whole rather than reported entry by entry.
        let max = self.limits.max_items;
        let within_focus = self.check_count(effects.focus.len(), max, path.field("focus"), "focus weights");
        let within_challenges = self.check_count(
            effects.challenges.len(),
            max,
            path.field("challenges"),
            "challenge weights",
        );
        let within_phases =
            self.check_count(effects.phases.len(), max, path.field("phases"), "phase weights");
        if within_focus {
            model.focus = self.weights(&effects.focus, refs.focus, path.field("focus"), "focus area");
            // By area, so that results find whether a rule weights an area
            // with a binary search.
            model.focus.sort_unstable_by_key(|&(f, _)| f);
        }
        if within_challenges {
            model.challenges = self.weights(
                &effects.challenges,
                refs.challenges,
                path.field("challenges"),
                "challenge",
            );
        }
        if within_phases {
            let phases = self.weights(&effects.phases, refs.phases, path.field("phases"), "phase");
            model.phases = phases
                .into_iter()
                .map(|((c, p), weight)| (c, p, weight))
                .collect();
        }
        if let Some(level) = &effects.therapy {
            model.therapy = self.resolve(refs.therapy, level, path.field("therapy"), "therapy level");
        }
        model.suppress = self.suppress_mask(&effects.suppress, path.field("suppress"));
        if model.suppress & protected != 0 {
            self.problem(
                ProblemKind::InvalidSuppression,
                path.field("suppress"),
                "suppresses a tag of the safety gate's focus area or therapy level, which must stay available",
            );
        }
        let has_effect = !effects.focus.is_empty()
            || !effects.challenges.is_empty()
            || !effects.phases.is_empty()
            || effects.therapy.is_some()
            || effects.online_therapy
            || effects.safety
            || effects.neutral_plan
            || !effects.suppress.is_empty();
        if !has_effect {
            self.problem(
                ProblemKind::Empty,
                path,
                "a rule needs at least one effect besides its reason",
            );
        }
        model
    }

    /// Resolves and checks one effect map, such as `focus`.
    fn weights<T: Copy, S: BuildHasher>(
        &mut self,
        map: &std::collections::BTreeMap<String, f64>,
        index: &HashMap<&str, T, S>,
        path: Path<'_>,
        what: &str,
    ) -> Vec<(T, f64)> {
        let mut resolved = Vec::with_capacity(map.len());
        for (id, &weight) in map {
            let entry = path.key(id);
            let ok = self.check_number(weight, entry, MAX_EFFECT_WEIGHT);
            match index.get(id.as_str()) {
                Some(&i) if ok => resolved.push((i, weight)),
                Some(_) => {}
                None => self.problem(
                    ProblemKind::UnknownReference,
                    entry,
                    format!("unknown {what} {id:?}"),
                ),
            }
        }
        resolved
    }

    /// Compiles one condition object, whose path `path` holds (and holds
    /// again on return). On a problem, records it and returns an
    /// always-false leaf so that checking can go on.
    fn condition(
        &mut self,
        cond: &Condition,
        path: &mut String,
        scope: CondScope,
        nodes: &mut usize,
        refs: &Refs<'_>,
    ) -> Cond {
        *nodes += 1;
        let never = || Cond::Any(Box::new([]));
        // The checks and the leaves each run in a frame of their own, so
        // that each level of nesting costs the stack as little as possible.
        let Some(subject) = self.subject(cond, path, scope) else {
            return never();
        };
        let ops = Operators::of(cond);
        let inner = CondScope {
            depth: scope.depth + 1,
            ..scope
        };
        let len = path.len();
        match subject {
            "all" | "any" => {
                if ops.count() > 0 || cond.of.is_some() {
                    self.problem(
                        ProblemKind::InvalidCondition,
                        path.as_str(),
                        format!("{subject:?} takes a list and nothing else"),
                    );
                }
                let list = cond
                    .all
                    .as_ref()
                    .or(cond.any.as_ref())
                    .map_or(&[][..], Vec::as_slice);
                push_field(path, subject);
                let children = self.condition_list(list, path, inner, nodes, refs);
                path.truncate(len);
                if subject == "all" {
                    Cond::All(children)
                } else {
                    Cond::Any(children)
                }
            }
            "not" => {
                if ops.count() > 0 || cond.of.is_some() {
                    self.problem(
                        ProblemKind::InvalidCondition,
                        path.as_str(),
                        "\"not\" takes one condition and nothing else",
                    );
                }
                let child = cond.not.as_deref().map(|c| {
                    push_field(path, "not");
                    let child = self.condition(c, path, inner, nodes, refs);
                    path.truncate(len);
                    child
                });
                Cond::Not(Box::new(child.unwrap_or_else(never)))
            }
            "at_least" => {
                let n = cond.at_least.unwrap_or(0) as usize;
                if ops.count() > 0 {
                    self.problem(
                        ProblemKind::InvalidCondition,
                        path.as_str(),
                        "\"at_least\" takes \"of\" and nothing else",
                    );
                }
                let Some(list) = &cond.of else {
                    self.problem(
                        ProblemKind::InvalidCondition,
                        path.as_str(),
                        "\"at_least\" needs a list of conditions in \"of\"",
                    );
                    return never();
                };
                if n == 0 {
                    self.problem(
                        ProblemKind::ImpossibleValue,
                        Path::Root(path).field("at_least"),
                        "at_least must be 1 or more",
                    );
                } else if n > list.len() {
                    self.problem(
                        ProblemKind::AtLeastTooLarge,
                        Path::Root(path).field("at_least"),
                        format!("at_least is {n} but \"of\" lists only {} conditions", list.len()),
                    );
                }
                push_field(path, "of");
                let children = self.condition_list(list, path, inner, nodes, refs);
                path.truncate(len);
                Cond::AtLeast(n, children)
            }
            _ => self.leaf_condition(cond, subject, path, refs),
        }
    }

    /// The condition's one subject, once every rule about where it may
    /// stand is checked; `None` after reporting a problem.
    #[inline(never)]
    fn subject(&mut self, cond: &Condition, path: &str, scope: CondScope) -> Option<&'static str> {
        let never = || None;
        if scope.depth > self.limits.max_condition_depth {
            self.problem(
                ProblemKind::TooDeep,
                path,
                format!(
                    "condition nested deeper than {} levels",
                    self.limits.max_condition_depth
                ),
            );
            return never();
        }
        // One bit per subject present, in the order of `SUBJECTS`.
        let present = [
            cond.all.is_some(),
            cond.any.is_some(),
            cond.not.is_some(),
            cond.at_least.is_some(),
            cond.score.is_some(),
            cond.band.is_some(),
            cond.raw.is_some(),
            cond.answer.is_some(),
            cond.context.is_some(),
            cond.answered.is_some(),
            cond.unanswered.is_some(),
            cond.gap.is_some(),
            cond.answer_gap.is_some(),
            cond.change.is_some(),
            cond.trend.is_some(),
            cond.previous_band.is_some(),
            cond.previous.is_some(),
        ]
        .iter()
        .rev()
        .fold(0u32, |bits, &present| bits << 1 | u32::from(present));
        let subject = match present.count_ones() {
            1 => SUBJECTS[present.trailing_zeros() as usize],
            0 => {
                self.problem(
                    ProblemKind::InvalidCondition,
                    path,
                    "condition has no subject; use one of all, any, not, at_least, score, band, raw, answer, context, answered, unanswered, gap, answer_gap, change, trend, previous_band, previous",
                );
                return never();
            }
            _ => {
                let many: Vec<&str> = SUBJECTS
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| present & (1 << i) != 0)
                    .map(|(_, name)| *name)
                    .collect();
                self.problem(
                    ProblemKind::InvalidCondition,
                    path,
                    format!(
                        "condition has several subjects ({}); wrap them in \"all\" or \"any\"",
                        many.join(", ")
                    ),
                );
                return never();
            }
        };
        if scope.safety
            && matches!(
                subject,
                "not"
                    | "score"
                    | "band"
                    | "raw"
                    | "context"
                    | "unanswered"
                    | "change"
                    | "trend"
                    | "previous_band"
                    | "previous"
            )
        {
            self.problem(
                ProblemKind::UnsafeSafetyRule,
                Path::Root(path).field(subject),
                format!("a rule that raises the safety flag may only test answers (with all, any, at_least), not {subject:?}: no score or missing answer may cancel a safety flag"),
            );
            return never();
        }
        let couple_leaf = cond.whose.is_some() || matches!(subject, "gap" | "answer_gap");
        if couple_leaf && scope.personal {
            self.problem(
                ProblemKind::CoupleOnly,
                Path::Root(path).field(if cond.whose.is_some() { "whose" } else { subject }),
                "a rule that raises the safety flag, asks for the neutral plan or writes to a partner's own view is about one person, so it cannot compare partners",
            );
            return never();
        }
        if cond.whose.is_some()
            && matches!(
                subject,
                "all" | "any" | "not" | "at_least" | "context" | "gap" | "answer_gap" | "previous"
            )
        {
            self.problem(
                ProblemKind::InvalidCondition,
                Path::Root(path).field("whose"),
                format!("\"whose\" belongs on a score, band, answer, answered, unanswered, change, trend or previous_band leaf, not on {subject:?}"),
            );
            return never();
        }
        Some(subject)
    }

    /// A leaf condition, compiled, with its path and wording for traces.
    #[inline(never)]
    fn leaf_condition(&mut self, cond: &Condition, subject: &str, path: &str, refs: &Refs<'_>) -> Cond {
        let never = || Cond::Any(Box::new([]));
        let ops = Operators::of(cond);
        if cond.of.is_some() {
            self.problem(
                ProblemKind::InvalidCondition,
                Path::Root(path).field("of"),
                "\"of\" belongs to \"at_least\"",
            );
        }
        // The wording is written into one buffer, reused for every leaf,
        // and copied out at its final length.
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        let pair = match (cond.whose, subject) {
            (_, "gap" | "answer_gap") => Some(Pair::Gap),
            (Some(Whose::Either), _) => Some(Pair::Either),
            (Some(Whose::Both), _) => Some(Pair::Both),
            (None, _) => None,
        };
        match cond.whose {
            Some(Whose::Either) => text.push_str("either partner's "),
            Some(Whose::Both) => text.push_str("both partners' "),
            None => {}
        }
        let compiled = self.leaf(cond, subject, &ops, path, refs, &mut text);
        let cond = match compiled {
            Some(test) => {
                let id = self.leaves.len() as u32;
                self.leaves.push(LeafInfo {
                    path: PackText::from(path),
                    text: PackText::from(text.as_str()),
                });
                match pair {
                    Some(pair) => Cond::Couple(pair, test, id),
                    None => Cond::Leaf(test, id),
                }
            }
            None => never(),
        };
        self.text = text;
        cond
    }

    fn condition_list(
        &mut self,
        list: &[Condition],
        path: &mut String,
        scope: CondScope,
        nodes: &mut usize,
        refs: &Refs<'_>,
    ) -> Box<[Cond]> {
        if *nodes + list.len() > self.limits.max_condition_nodes {
            // Counted, reported by the caller, and not compiled further.
            *nodes += list.len();
            return Box::new([]);
        }
        let len = path.len();
        list.iter()
            .enumerate()
            .map(|(i, c)| {
                push_index(path, i);
                let child = self.condition(c, path, scope, nodes, refs);
                path.truncate(len);
                child
            })
            .collect()
    }

    /// Compiles a leaf, appending its wording for traces to `text`.
    fn leaf(
        &mut self,
        cond: &Condition,
        subject: &str,
        ops: &Operators<'_>,
        path: &str,
        refs: &Refs<'_>,
        text: &mut String,
    ) -> Option<Test> {
        let base = Path::Root(path);
        let spath = base.field(subject);
        match subject {
            "answered" | "unanswered" => {
                if ops.count() > 0 {
                    self.problem(
                        ProblemKind::InvalidCondition,
                        path,
                        format!("{subject:?} takes a question id and no operator"),
                    );
                    return None;
                }
                let id = cond.answered.as_ref().or(cond.unanswered.as_ref())?;
                let question = self.resolve(refs.questions, id, spath, "question")?;
                let test = if subject == "answered" {
                    Test::Answered { question }
                } else {
                    Test::Unanswered { question }
                };
                words(text, &[subject, id]);
                Some(test)
            }
            "score" => {
                let id = cond.score.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, spath, "dimension");
                let (cmp, value, op) = self.numeric_op(ops, path, subject)?;
                self.check_bounds(
                    cmp,
                    value,
                    0.0,
                    100.0,
                    base.field(op),
                    "a score runs from 0 to 100",
                );
                let test = Test::Score {
                    dimension: dimension?,
                    cmp,
                    value,
                };
                comparison(text, &["score", id], cmp, value);
                Some(test)
            }
            "band" => {
                let id = cond.band.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, spath, "dimension")?;
                let bands = &refs.pack.dimensions[dimension].bands;
                if bands.is_empty() {
                    self.problem(
                        ProblemKind::ImpossibleValue,
                        spath,
                        format!("dimension {id:?} has no bands"),
                    );
                    return None;
                }
                words(text, &["band", id, ""]);
                let set = self.choice_op(ops, path, subject, bands, "a band", text)?;
                Some(Test::Band {
                    dimension,
                    bands: set,
                })
            }
            "answer" => {
                let id = cond.answer.as_ref()?;
                let question = self.resolve(refs.questions, id, spath, "question")?;
                let model = &refs.question_models[question];
                match &model.kind {
                    QuestionKind::Options { values, .. } => {
                        if ops.is.is_some() || ops.in_.is_some() {
                            words(text, &["answer", id, ""]);
                            let set = self.choice_op(ops, path, subject, values, "an option", text)?;
                            Some(Test::AnswerOption {
                                question,
                                options: set,
                            })
                        } else {
                            let (cmp, value, op) = self.numeric_op(ops, path, subject)?;
                            self.check_bounds(
                                cmp,
                                value,
                                model.lo,
                                model.hi,
                                base.field(op),
                                "option weights of this question",
                            );
                            comparison(text, &["answer", id, "weight"], cmp, value);
                            Some(Test::AnswerNumber { question, cmp, value })
                        }
                    }
                    QuestionKind::Range { .. } => {
                        let (cmp, value, op) = self.numeric_op(ops, path, subject)?;
                        self.check_bounds(
                            cmp,
                            value,
                            model.lo,
                            model.hi,
                            base.field(op),
                            "this question's range",
                        );
                        comparison(text, &["answer", id], cmp, value);
                        Some(Test::AnswerNumber { question, cmp, value })
                    }
                    QuestionKind::YesNo => {
                        let value = self.bool_op(ops, path, subject)?;
                        words(text, &["answer", id, "is", bool_text(value)]);
                        Some(Test::AnswerBool { question, value })
                    }
                }
            }
            "context" => {
                let id = cond.context.as_ref()?;
                let fact = self.resolve(refs.facts, id, spath, "context fact")?;
                match &refs.fact_models[fact] {
                    FactModel::Bool => {
                        let value = self.bool_op(ops, path, subject)?;
                        words(text, &["context", id, "is", bool_text(value)]);
                        Some(Test::FactBool { fact, value })
                    }
                    FactModel::Number { min, max } => {
                        let (cmp, value, op) = self.numeric_op(ops, path, subject)?;
                        self.check_bounds(cmp, value, *min, *max, base.field(op), "this fact's range");
                        comparison(text, &["context", id], cmp, value);
                        Some(Test::FactNumber { fact, cmp, value })
                    }
                    FactModel::Choice { choices } => {
                        words(text, &["context", id, ""]);
                        let set = self.choice_op(ops, path, subject, choices, "a choice", text)?;
                        Some(Test::FactChoice { fact, choices: set })
                    }
                }
            }
            "gap" => {
                let id = cond.gap.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, spath, "dimension");
                let (cmp, value, op) = self.numeric_op(ops, path, subject)?;
                self.check_bounds(
                    cmp,
                    value,
                    0.0,
                    100.0,
                    base.field(op),
                    "a gap between scores runs from 0 to 100",
                );
                let test = Test::ScoreGap {
                    dimension: dimension?,
                    cmp,
                    value,
                };
                comparison(text, &["gap", id], cmp, value);
                Some(test)
            }
            "raw" => {
                let id = cond.raw.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, spath, "dimension")?;
                let (cmp, value, op) = self.numeric_op(ops, path, subject)?;
                let dim = &refs.pack.dimensions[dimension];
                let items: Vec<(usize, f64)> = dim
                    .items
                    .iter()
                    .filter_map(|item| Some((*refs.questions.get(&item.question)?, item.weight)))
                    .collect();
                let (lo, hi) = raw_scale(dim.method, &items, refs.question_models);
                self.check_bounds(cmp, value, lo, hi, base.field(op), "this dimension's raw scale");
                comparison(text, &["raw", id], cmp, value);
                Some(Test::Raw {
                    dimension,
                    cmp,
                    value,
                })
            }
            "change" => {
                let id = cond.change.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, spath, "dimension");
                let (cmp, value, op) = self.numeric_op(ops, path, subject)?;
                self.check_bounds(
                    cmp,
                    value,
                    -100.0,
                    100.0,
                    base.field(op),
                    "a change of a score runs from -100 to 100",
                );
                let test = Test::Change {
                    dimension: dimension?,
                    cmp,
                    value,
                };
                comparison(text, &["change", id], cmp, value);
                Some(test)
            }
            "trend" => {
                let id = cond.trend.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, spath, "dimension");
                let names = ["better", "worse", "steady"];
                words(text, &["trend", id, ""]);
                let set = self.choice_op(
                    ops,
                    path,
                    subject,
                    &names,
                    "a direction (better, worse, steady)",
                    text,
                )?;
                Some(Test::Trend {
                    dimension: dimension?,
                    directions: set as u8,
                })
            }
            "previous_band" => {
                let id = cond.previous_band.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, spath, "dimension")?;
                let bands = &refs.pack.dimensions[dimension].bands;
                words(text, &["previous band", id, ""]);
                let set = self.choice_op(ops, path, subject, bands, "a band", text)?;
                Some(Test::PreviousBand {
                    dimension,
                    bands: set,
                })
            }
            "previous" => {
                let what = cond.previous.as_deref()?;
                match what {
                    "challenge" | "phase" => {
                        let Some(serde_json::Value::String(id)) = ops.is.filter(|_| ops.count() == 1) else {
                            self.problem(
                                ProblemKind::InvalidCondition,
                                path,
                                format!("\"previous\": {what:?} needs \"is\" with a {what} id (use \"any\" for several)"),
                            );
                            return None;
                        };
                        let ipath = base.field("is");
                        let test = if what == "challenge" {
                            let challenge = self.resolve(refs.challenges, id, ipath, "challenge")?;
                            Test::PreviousChallenge { challenge }
                        } else {
                            let Some(&(challenge, phase)) = refs.phases.get(id.as_str()) else {
                                self.problem(
                                    ProblemKind::UnknownReference,
                                    ipath,
                                    format!("unknown phase {id:?}"),
                                );
                                return None;
                            };
                            Test::PreviousPhase { challenge, phase }
                        };
                        words(text, &["previous", what, "is", id]);
                        Some(test)
                    }
                    "day" | "days_since" => {
                        let (cmp, value, op) = self.numeric_op(ops, path, subject)?;
                        let top = if what == "day" {
                            f64::from(MAX_DAYS)
                        } else {
                            100_000.0
                        };
                        self.check_bounds(cmp, value, 0.0, top, base.field(op), "days");
                        let test = if what == "day" {
                            Test::PreviousDay { cmp, value }
                        } else {
                            Test::DaysSince { cmp, value }
                        };
                        comparison(text, &["previous", what], cmp, value);
                        Some(test)
                    }
                    other => {
                        self.problem(
                            ProblemKind::InvalidCondition,
                            spath,
                            format!("\"previous\" reads challenge, phase, day or days_since, not {other:?}"),
                        );
                        None
                    }
                }
            }
            "answer_gap" => {
                let id = cond.answer_gap.as_ref()?;
                let question = self.resolve(refs.questions, id, spath, "question")?;
                let model = &refs.question_models[question];
                let (cmp, value, op) = self.numeric_op(ops, path, subject)?;
                self.check_bounds(
                    cmp,
                    value,
                    0.0,
                    model.hi - model.lo,
                    base.field(op),
                    "a gap between this question's answers",
                );
                comparison(text, &["answer gap", id], cmp, value);
                Some(Test::AnswerGap { question, cmp, value })
            }
            _ => None,
        }
    }

    /// A comparison with a value outside what it compares, or one that can
    /// never hold at the edge of it (`gt` the highest, `lt` the lowest).
    fn check_bounds(&mut self, cmp: Cmp, value: f64, lo: f64, hi: f64, path: Path<'_>, what: &str) {
        if value < lo || value > hi {
            self.problem(
                ProblemKind::ImpossibleValue,
                path,
                format!("{value} is outside {lo}..={hi} ({what}), so the comparison never changes"),
            );
        } else if cmp == Cmp::Gt && value >= hi {
            self.problem(
                ProblemKind::ImpossibleValue,
                path,
                format!("nothing is greater than {value}, the highest of {lo}..={hi} ({what}), so the comparison never holds"),
            );
        } else if cmp == Cmp::Lt && value <= lo {
            self.problem(
                ProblemKind::ImpossibleValue,
                path,
                format!("nothing is less than {value}, the lowest of {lo}..={hi} ({what}), so the comparison never holds"),
            );
        }
    }

    /// Exactly one numeric operator: its comparison, value and name.
    fn numeric_op(
        &mut self,
        ops: &Operators<'_>,
        path: &str,
        subject: &str,
    ) -> Option<(Cmp, f64, &'static str)> {
        let numeric = ops.numeric();
        let Some((name, cmp, value)) = numeric.filter(|_| ops.is.is_none() && ops.in_.is_none()) else {
            self.problem(
                ProblemKind::InvalidCondition,
                path,
                ops.one_of(subject, "exactly one of eq, ne, lt, lte, gt, gte"),
            );
            return None;
        };
        if !self.check_number(value, Path::Root(path).field(name), MAX_MAGNITUDE) {
            return None;
        }
        Some((cmp, value, name))
    }

    /// `is` with a boolean.
    fn bool_op(&mut self, ops: &Operators<'_>, path: &str, subject: &str) -> Option<bool> {
        match (ops.is, ops.count()) {
            (Some(serde_json::Value::Bool(b)), 1) => Some(*b),
            (Some(_), 1) => {
                self.problem(
                    ProblemKind::ImpossibleValue,
                    Path::Root(path).field("is"),
                    "this yes/no value takes true or false",
                );
                None
            }
            _ => {
                self.problem(
                    ProblemKind::InvalidCondition,
                    path,
                    ops.one_of(subject, "\"is\": true or false"),
                );
                None
            }
        }
    }

    /// `is` with one name or `in` with a list of names; returns a bit set,
    /// and appends `is name` or `in [name, name]` to `text`.
    fn choice_op<N: Named>(
        &mut self,
        ops: &Operators<'_>,
        path: &str,
        subject: &str,
        names: &[N],
        what: &str,
        text: &mut String,
    ) -> Option<u64> {
        let base = Path::Root(path);
        let (values, key): (&[serde_json::Value], &str) = match (ops.is, ops.in_, ops.count()) {
            (Some(v), None, 1) => (std::slice::from_ref(v), "is"),
            (None, Some(list), 1) => {
                if !self.check_count(list.len(), self.limits.max_options, base.field("in"), "values") {
                    return None;
                }
                if list.is_empty() {
                    self.problem(
                        ProblemKind::Empty,
                        base.field("in"),
                        "\"in\" needs at least one value",
                    );
                    return None;
                }
                (list, "in")
            }
            _ => {
                self.problem(
                    ProblemKind::InvalidCondition,
                    path,
                    ops.one_of(
                        subject,
                        &format!("exactly one of \"is\" ({what}) or \"in\" (a list)"),
                    ),
                );
                return None;
            }
        };
        let position = |value: &serde_json::Value| {
            value
                .as_str()
                .and_then(|s| names.iter().position(|n| n.name() == s))
                .filter(|&bit| bit < 64)
        };
        let in_path = base.field("in");
        let mut set = 0u64;
        let mut ok = true;
        for (i, value) in values.iter().enumerate() {
            match position(value) {
                Some(bit) => set |= 1 << bit,
                None => {
                    ok = false;
                    if self.full() {
                        // Counted without building its message.
                        self.omitted += 1;
                        continue;
                    }
                    let vpath = if key == "is" {
                        base.field("is")
                    } else {
                        in_path.index(i)
                    };
                    self.problem(
                        ProblemKind::ImpossibleValue,
                        vpath,
                        format!(
                            "{} is not {what} here; expected one of {}",
                            shown_value(value),
                            name_list(names.iter().map(Named::name))
                        ),
                    );
                }
            }
        }
        if !ok {
            return None;
        }
        text.push_str(key);
        text.push(' ');
        if key == "in" {
            text.push('[');
        }
        for (i, bit) in values.iter().filter_map(position).enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            text.push_str(names[bit].name());
        }
        if key == "in" {
            text.push(']');
        }
        Some(set)
    }
}

/// The keys that give a condition its subject.
const SUBJECTS: [&str; 17] = [
    "all",
    "any",
    "not",
    "at_least",
    "score",
    "band",
    "raw",
    "answer",
    "context",
    "answered",
    "unanswered",
    "gap",
    "answer_gap",
    "change",
    "trend",
    "previous_band",
    "previous",
];

/// Something a `choice_op` value may name: an option, a choice, a band or
/// a direction.
trait Named {
    fn name(&self) -> &str;
}

impl Named for &str {
    fn name(&self) -> &str {
        self
    }
}

impl Named for String {
    fn name(&self) -> &str {
        self
    }
}

impl Named for Band {
    fn name(&self) -> &str {
        &self.id
    }
}

/// Appends `.name` to a path being built.
fn push_field(path: &mut String, name: &str) {
    path.push('.');
    path.push_str(name);
}

/// Appends `[i]` to a path being built (every node of every condition
/// has one).
#[inline(never)]
fn push_index(path: &mut String, i: usize) {
    path.push('[');
    push_digits(path, i as u64);
    path.push(']');
}

/// Appends words separated by spaces (an empty last word leaves a space
/// before what follows).
fn words(text: &mut String, words: &[&str]) {
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(word);
    }
}

/// Appends a comparison's wording, such as `score stress >= 60`.
fn comparison(text: &mut String, subject: &[&str], cmp: Cmp, value: f64) {
    words(text, subject);
    text.push(' ');
    text.push_str(cmp.symbol());
    text.push(' ');
    push_float(text, value);
}

/// Appends a number as `{value}` writes it. A whole number (but `-0`) is
/// written as an integer: the same digits, without the float formatter,
/// which is slow.
fn push_float(text: &mut String, value: f64) {
    if value.fract() == 0.0 && value.abs() < 1e15 && !(value == 0.0 && value.is_sign_negative()) {
        if value < 0.0 {
            text.push('-');
        }
        push_digits(text, value.abs() as u64);
    } else {
        // Writing to a String cannot fail.
        let _ = write!(text, "{value}");
    }
}

fn bool_text(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// The operator fields of a condition.
struct Operators<'a> {
    numeric: [(&'static str, Cmp, Option<f64>); 6],
    is: Option<&'a serde_json::Value>,
    in_: Option<&'a Vec<serde_json::Value>>,
}

impl<'a> Operators<'a> {
    fn of(cond: &'a Condition) -> Self {
        Operators {
            numeric: [
                ("eq", Cmp::Eq, cond.eq),
                ("ne", Cmp::Ne, cond.ne),
                ("lt", Cmp::Lt, cond.lt),
                ("lte", Cmp::Lte, cond.lte),
                ("gt", Cmp::Gt, cond.gt),
                ("gte", Cmp::Gte, cond.gte),
            ],
            is: cond.is.as_ref(),
            in_: cond.in_.as_ref(),
        }
    }

    /// The numeric operator, when there is exactly one.
    fn numeric(&self) -> Option<(&'static str, Cmp, f64)> {
        let mut present = self
            .numeric
            .iter()
            .filter_map(|&(name, cmp, value)| value.map(|v| (name, cmp, v)));
        match (present.next(), present.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }

    /// Why a leaf's operators do not fit its subject, which `needs` these:
    /// a leaf with several says so, rather than that it lacks the right one.
    fn one_of(&self, subject: &str, needs: &str) -> String {
        if self.count() > 1 {
            format!(
                "a condition compares with one operator; this one has {}: split it with \"all\" or \"any\" ({subject:?} here needs {needs})",
                self.names().join(", ")
            )
        } else {
            format!("{subject:?} here needs {needs}")
        }
    }

    /// The operators present, in the order the format lists them.
    fn names(&self) -> Vec<&'static str> {
        let numeric = self
            .numeric
            .iter()
            .filter(|(_, _, v)| v.is_some())
            .map(|(name, _, _)| *name);
        let choice = [("is", self.is.is_some()), ("in", self.in_.is_some())]
            .into_iter()
            .filter(|(_, present)| *present)
            .map(|(name, _)| name);
        numeric.chain(choice).collect()
    }

    fn count(&self) -> usize {
        self.numeric.iter().filter(|(_, _, v)| v.is_some()).count()
            + usize::from(self.is.is_some())
            + usize::from(self.in_.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_leaf_wording_are_written_as_display_writes_them() {
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            -2.25,
            1e-7,
            1e15,
            1e16,
            1e300,
            f64::NAN,
            f64::INFINITY,
        ];
        for exponent in 0..16 {
            let power = 10f64.powi(exponent);
            values.extend([power - 1.0, power, -power, 3.0 * power + 1.0]);
        }
        for value in values {
            let mut text = String::new();
            push_float(&mut text, value);
            assert_eq!(text, format!("{value}"));
        }
    }

    #[test]
    fn number_text_writes_whole_numbers_as_integers() {
        for value in [
            0.0,
            -0.0,
            3.0,
            -3.0,
            0.25,
            -1e14,
            999_999_999_999_999.0,
            1e15,
            1e20,
            1e21,
            -1e308,
            1e-7,
            1e-8,
            f64::NAN,
        ] {
            let expected = if value.fract() == 0.0 && value.abs() < 1e15 {
                (value as i64).to_string()
            } else if value.abs() >= 1e21 || value.abs() < 1e-7 {
                format!("{value:e}")
            } else {
                value.to_string()
            };
            assert_eq!(number_text(value), expected, "{value}");
        }
    }

    #[test]
    fn indexes_are_written_in_decimal() {
        for i in [0, 7, 10, 99, 100, 12345, usize::MAX] {
            let mut path = "x".to_owned();
            push_index(&mut path, i);
            assert_eq!(path, format!("x[{i}]"));
        }
    }
}
