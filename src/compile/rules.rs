//! Checking and compiling rules: effects, conditions and their leaves.

use super::*;

impl Compiler<'_> {
    pub(super) fn rules(&mut self, rules: &[Rule], refs: &Refs<'_>, protected: TagMask) -> Vec<RuleModel> {
        self.index_ids("rules", rules.iter().map(|r| r.id.as_str()));
        let mut models = Vec::with_capacity(rules.len());
        for (i, rule) in rules.iter().enumerate() {
            let path = format!("rules[{i}]");
            let then = self.effects(&rule.then, &format!("{path}.then"), refs, protected);
            let scope = CondScope {
                depth: 1,
                safety: rule.then.safety,
                personal: personal_rule(&rule.then),
            };
            let mut nodes = 0;
            let when = self.condition(&rule.when, &format!("{path}.when"), scope, &mut nodes, refs);
            let access = Access::of(&when, refs.pack);
            if nodes > self.limits.max_condition_nodes {
                self.problem(
                    ProblemKind::TooLarge,
                    format!("{path}.when"),
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

    fn effects(&mut self, effects: &Effects, path: &str, refs: &Refs<'_>, protected: TagMask) -> EffectModel {
        let mut model = EffectModel {
            online_therapy: effects.online_therapy,
            safety: effects.safety,
            neutral_plan: effects.neutral_plan,
            ..EffectModel::default()
        };
        self.check_text(&effects.reason, format_args!("{path}.reason"), true);
        if let Some(text) = &effects.shared_reason {
            self.check_text(text, format_args!("{path}.shared_reason"), true);
        }
        // Each map names at most every item once; a longer one is refused
        // as a whole rather than reported entry by entry.
        let max = self.limits.max_items;
        let within_focus = self.check_count(
            effects.focus.len(),
            max,
            format_args!("{path}.focus"),
            "focus weights",
        );
        let within_challenges = self.check_count(
            effects.challenges.len(),
            max,
            format_args!("{path}.challenges"),
            "challenge weights",
        );
        let within_phases = self.check_count(
            effects.phases.len(),
            max,
            format_args!("{path}.phases"),
            "phase weights",
        );
        if within_focus {
            model.focus = self.weights(&effects.focus, refs.focus, path, "focus", "focus area");
            // By area, so that results find whether a rule weights an area
            // with a binary search.
            model.focus.sort_unstable_by_key(|&(f, _)| f);
        }
        if within_challenges {
            model.challenges = self.weights(
                &effects.challenges,
                refs.challenges,
                path,
                "challenges",
                "challenge",
            );
        }
        if within_phases {
            let phases = self.weights(&effects.phases, refs.phases, path, "phases", "phase");
            model.phases = phases
                .into_iter()
                .map(|((c, p), weight)| (c, p, weight))
                .collect();
        }
        if let Some(level) = &effects.therapy {
            model.therapy = self.resolve(refs.therapy, level, &format!("{path}.therapy"), "therapy level");
        }
        model.suppress = self.suppress_mask(&effects.suppress, &format!("{path}.suppress"));
        if model.suppress & protected != 0 {
            self.problem(
                ProblemKind::InvalidSuppression,
                format!("{path}.suppress"),
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

    /// Resolves and checks one effect map, such as `focus`; a path is
    /// built only for an entry with a problem.
    fn weights<T: Copy>(
        &mut self,
        map: &std::collections::BTreeMap<String, f64>,
        index: &HashMap<String, T>,
        path: &str,
        name: &str,
        what: &str,
    ) -> Vec<(T, f64)> {
        let mut resolved = Vec::with_capacity(map.len());
        for (id, &weight) in map {
            let wpath = EntryPath(path, name, id);
            let ok = self.check_number(weight, &wpath, MAX_EFFECT_WEIGHT);
            match index.get(id) {
                Some(&i) if ok => resolved.push((i, weight)),
                Some(_) => {}
                None => self.problem(
                    ProblemKind::UnknownReference,
                    wpath.to_string(),
                    format!("unknown {what} {id:?}"),
                ),
            }
        }
        resolved
    }

    /// Compiles one condition object. On a problem, records it and returns
    /// an always-false leaf so that checking can go on.
    fn condition(
        &mut self,
        cond: &Condition,
        path: &str,
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
        match subject {
            "all" | "any" => {
                if ops.count() > 0 || cond.of.is_some() {
                    self.problem(
                        ProblemKind::InvalidCondition,
                        path,
                        format!("{subject:?} takes a list and nothing else"),
                    );
                }
                let list = cond
                    .all
                    .as_ref()
                    .or(cond.any.as_ref())
                    .map_or(&[][..], Vec::as_slice);
                let children = self.condition_list(list, &format!("{path}.{subject}"), inner, nodes, refs);
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
                        path,
                        "\"not\" takes one condition and nothing else",
                    );
                }
                let child = cond
                    .not
                    .as_deref()
                    .map(|c| self.condition(c, &format!("{path}.not"), inner, nodes, refs));
                Cond::Not(Box::new(child.unwrap_or_else(never)))
            }
            "at_least" => {
                let n = cond.at_least.unwrap_or(0) as usize;
                if ops.count() > 0 {
                    self.problem(
                        ProblemKind::InvalidCondition,
                        path,
                        "\"at_least\" takes \"of\" and nothing else",
                    );
                }
                let Some(list) = &cond.of else {
                    self.problem(
                        ProblemKind::InvalidCondition,
                        path,
                        "\"at_least\" needs a list of conditions in \"of\"",
                    );
                    return never();
                };
                if n == 0 {
                    self.problem(
                        ProblemKind::ImpossibleValue,
                        format!("{path}.at_least"),
                        "at_least must be 1 or more",
                    );
                } else if n > list.len() {
                    self.problem(
                        ProblemKind::AtLeastTooLarge,
                        format!("{path}.at_least"),
                        format!("at_least is {n} but \"of\" lists only {} conditions", list.len()),
                    );
                }
                let children = self.condition_list(list, &format!("{path}.of"), inner, nodes, refs);
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
        let subjects: Vec<&str> = [
            ("all", cond.all.is_some()),
            ("any", cond.any.is_some()),
            ("not", cond.not.is_some()),
            ("at_least", cond.at_least.is_some()),
            ("score", cond.score.is_some()),
            ("band", cond.band.is_some()),
            ("raw", cond.raw.is_some()),
            ("answer", cond.answer.is_some()),
            ("context", cond.context.is_some()),
            ("answered", cond.answered.is_some()),
            ("unanswered", cond.unanswered.is_some()),
            ("gap", cond.gap.is_some()),
            ("answer_gap", cond.answer_gap.is_some()),
            ("change", cond.change.is_some()),
            ("trend", cond.trend.is_some()),
            ("previous_band", cond.previous_band.is_some()),
            ("previous", cond.previous.is_some()),
        ]
        .iter()
        .filter(|(_, present)| *present)
        .map(|(name, _)| *name)
        .collect();
        let subject = match subjects.as_slice() {
            [one] => *one,
            [] => {
                self.problem(
                    ProblemKind::InvalidCondition,
                    path,
                    "condition has no subject; use one of all, any, not, at_least, score, band, raw, answer, context, answered, unanswered, gap, answer_gap, change, trend, previous_band, previous",
                );
                return never();
            }
            many => {
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
                format!("{path}.{subject}"),
                format!("a rule that raises the safety flag may only test answers (with all, any, at_least), not {subject:?}: no score or missing answer may cancel a safety flag"),
            );
            return never();
        }
        let couple_leaf = cond.whose.is_some() || matches!(subject, "gap" | "answer_gap");
        if couple_leaf && scope.personal {
            self.problem(
                ProblemKind::CoupleOnly,
                format!("{path}.{}", if cond.whose.is_some() { "whose" } else { subject }),
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
                format!("{path}.whose"),
                format!("\"whose\" belongs on a score, band, answer, answered, unanswered, change, trend or previous_band leaf, not on {subject:?}"),
            );
            return never();
        }
        Some(subject)
    }

    /// A leaf condition, compiled, with its wording for traces.
    #[inline(never)]
    fn leaf_condition(&mut self, cond: &Condition, subject: &str, path: &str, refs: &Refs<'_>) -> Cond {
        let never = || Cond::Any(Box::new([]));
        let ops = Operators::of(cond);
        if cond.of.is_some() {
            self.problem(
                ProblemKind::InvalidCondition,
                format!("{path}.of"),
                "\"of\" belongs to \"at_least\"",
            );
        }
        match self.leaf(cond, subject, &ops, path, refs) {
            Some((test, text)) => {
                let id = self.leaves.len() as u32;
                let pair = match (cond.whose, subject) {
                    (_, "gap" | "answer_gap") => Some(Pair::Gap),
                    (Some(Whose::Either), _) => Some(Pair::Either),
                    (Some(Whose::Both), _) => Some(Pair::Both),
                    (None, _) => None,
                };
                let text = match cond.whose {
                    Some(Whose::Either) => format!("either partner's {text}"),
                    Some(Whose::Both) => format!("both partners' {text}"),
                    None => text,
                };
                self.leaves.push(LeafInfo {
                    path: path.to_owned(),
                    text,
                });
                match pair {
                    Some(pair) => Cond::Couple(pair, test, id),
                    None => Cond::Leaf(test, id),
                }
            }
            None => never(),
        }
    }

    fn condition_list(
        &mut self,
        list: &[Condition],
        path: &str,
        scope: CondScope,
        nodes: &mut usize,
        refs: &Refs<'_>,
    ) -> Box<[Cond]> {
        if *nodes + list.len() > self.limits.max_condition_nodes {
            // Counted, reported by the caller, and not compiled further.
            *nodes += list.len();
            return Box::new([]);
        }
        list.iter()
            .enumerate()
            .map(|(i, c)| self.condition(c, &format!("{path}[{i}]"), scope, nodes, refs))
            .collect()
    }

    /// Compiles a leaf and its wording for traces.
    fn leaf(
        &mut self,
        cond: &Condition,
        subject: &str,
        ops: &Operators<'_>,
        path: &str,
        refs: &Refs<'_>,
    ) -> Option<(Test, String)> {
        let spath = format!("{path}.{subject}");
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
                let question = self.resolve(refs.questions, id, &spath, "question")?;
                let test = if subject == "answered" {
                    Test::Answered { question }
                } else {
                    Test::Unanswered { question }
                };
                Some((test, format!("{subject} {id}")))
            }
            "score" => {
                let id = cond.score.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, &spath, "dimension");
                let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                self.check_bounds(value, 0.0, 100.0, &opath, "a score runs from 0 to 100");
                Some((
                    Test::Score {
                        dimension: dimension?,
                        cmp,
                        value,
                    },
                    format!("score {id} {} {value}", cmp.symbol()),
                ))
            }
            "band" => {
                let id = cond.band.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, &spath, "dimension")?;
                let bands = &refs.pack.dimensions[dimension].bands;
                if bands.is_empty() {
                    self.problem(
                        ProblemKind::ImpossibleValue,
                        spath,
                        format!("dimension {id:?} has no bands"),
                    );
                    return None;
                }
                let names: Vec<&str> = bands.iter().map(|b| b.id.as_str()).collect();
                let (set, text) = self.choice_op(ops, path, subject, &names, "a band")?;
                Some((
                    Test::Band {
                        dimension,
                        bands: set,
                    },
                    format!("band {id} {text}"),
                ))
            }
            "answer" => {
                let id = cond.answer.as_ref()?;
                let question = self.resolve(refs.questions, id, &spath, "question")?;
                let model = &refs.question_models[question];
                match &model.kind {
                    QuestionKind::Options { values, .. } => {
                        if ops.is.is_some() || ops.in_.is_some() {
                            let names: Vec<&str> = values.iter().map(String::as_str).collect();
                            let (set, text) = self.choice_op(ops, path, subject, &names, "an option")?;
                            Some((
                                Test::AnswerOption {
                                    question,
                                    options: set,
                                },
                                format!("answer {id} {text}"),
                            ))
                        } else {
                            let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                            self.check_bounds(
                                value,
                                model.lo,
                                model.hi,
                                &opath,
                                "option weights of this question",
                            );
                            Some((
                                Test::AnswerNumber { question, cmp, value },
                                format!("answer {id} weight {} {value}", cmp.symbol()),
                            ))
                        }
                    }
                    QuestionKind::Range { .. } => {
                        let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                        self.check_bounds(value, model.lo, model.hi, &opath, "this question's range");
                        Some((
                            Test::AnswerNumber { question, cmp, value },
                            format!("answer {id} {} {value}", cmp.symbol()),
                        ))
                    }
                    QuestionKind::YesNo => {
                        let value = self.bool_op(ops, path, subject)?;
                        Some((
                            Test::AnswerBool { question, value },
                            format!("answer {id} is {value}"),
                        ))
                    }
                }
            }
            "context" => {
                let id = cond.context.as_ref()?;
                let fact = self.resolve(refs.facts, id, &spath, "context fact")?;
                match &refs.fact_models[fact] {
                    FactModel::Bool => {
                        let value = self.bool_op(ops, path, subject)?;
                        Some((Test::FactBool { fact, value }, format!("context {id} is {value}")))
                    }
                    FactModel::Number { min, max } => {
                        let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                        self.check_bounds(value, *min, *max, &opath, "this fact's range");
                        Some((
                            Test::FactNumber { fact, cmp, value },
                            format!("context {id} {} {value}", cmp.symbol()),
                        ))
                    }
                    FactModel::Choice { choices } => {
                        let names: Vec<&str> = choices.iter().map(String::as_str).collect();
                        let (set, text) = self.choice_op(ops, path, subject, &names, "a choice")?;
                        Some((
                            Test::FactChoice { fact, choices: set },
                            format!("context {id} {text}"),
                        ))
                    }
                }
            }
            "gap" => {
                let id = cond.gap.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, &spath, "dimension");
                let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                self.check_bounds(
                    value,
                    0.0,
                    100.0,
                    &opath,
                    "a gap between scores runs from 0 to 100",
                );
                Some((
                    Test::ScoreGap {
                        dimension: dimension?,
                        cmp,
                        value,
                    },
                    format!("gap {id} {} {value}", cmp.symbol()),
                ))
            }
            "raw" => {
                let id = cond.raw.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, &spath, "dimension")?;
                let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                let dim = &refs.pack.dimensions[dimension];
                let items: Vec<(usize, f64)> = dim
                    .items
                    .iter()
                    .filter_map(|item| Some((*refs.questions.get(&item.question)?, item.weight)))
                    .collect();
                let (lo, hi) = raw_scale(dim.method, &items, refs.question_models);
                self.check_bounds(value, lo, hi, &opath, "this dimension's raw scale");
                Some((
                    Test::Raw {
                        dimension,
                        cmp,
                        value,
                    },
                    format!("raw {id} {} {value}", cmp.symbol()),
                ))
            }
            "change" => {
                let id = cond.change.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, &spath, "dimension");
                let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                self.check_bounds(
                    value,
                    -100.0,
                    100.0,
                    &opath,
                    "a change of a score runs from -100 to 100",
                );
                Some((
                    Test::Change {
                        dimension: dimension?,
                        cmp,
                        value,
                    },
                    format!("change {id} {} {value}", cmp.symbol()),
                ))
            }
            "trend" => {
                let id = cond.trend.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, &spath, "dimension");
                let names = ["better", "worse", "steady"];
                let (set, text) =
                    self.choice_op(ops, path, subject, &names, "a direction (better, worse, steady)")?;
                Some((
                    Test::Trend {
                        dimension: dimension?,
                        directions: set as u8,
                    },
                    format!("trend {id} {text}"),
                ))
            }
            "previous_band" => {
                let id = cond.previous_band.as_ref()?;
                let dimension = self.resolve(refs.dimensions, id, &spath, "dimension")?;
                let bands = &refs.pack.dimensions[dimension].bands;
                let names: Vec<&str> = bands.iter().map(|b| b.id.as_str()).collect();
                let (set, text) = self.choice_op(ops, path, subject, &names, "a band")?;
                Some((
                    Test::PreviousBand {
                        dimension,
                        bands: set,
                    },
                    format!("previous band {id} {text}"),
                ))
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
                        let ipath = format!("{path}.is");
                        let test = if what == "challenge" {
                            let challenge = self.resolve(refs.challenges, id, &ipath, "challenge")?;
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
                        Some((test, format!("previous {what} is {id}")))
                    }
                    "day" | "days_since" => {
                        let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                        let top = if what == "day" {
                            f64::from(MAX_DAYS)
                        } else {
                            100_000.0
                        };
                        self.check_bounds(value, 0.0, top, &opath, "days");
                        let test = if what == "day" {
                            Test::PreviousDay { cmp, value }
                        } else {
                            Test::DaysSince { cmp, value }
                        };
                        Some((test, format!("previous {what} {} {value}", cmp.symbol())))
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
                let question = self.resolve(refs.questions, id, &spath, "question")?;
                let model = &refs.question_models[question];
                let (cmp, value, opath) = self.numeric_op(ops, path, subject)?;
                self.check_bounds(
                    value,
                    0.0,
                    model.hi - model.lo,
                    &opath,
                    "a gap between this question's answers",
                );
                Some((
                    Test::AnswerGap { question, cmp, value },
                    format!("answer gap {id} {} {value}", cmp.symbol()),
                ))
            }
            _ => None,
        }
    }

    fn check_bounds(&mut self, value: f64, lo: f64, hi: f64, path: &str, what: &str) {
        if value < lo || value > hi {
            self.problem(
                ProblemKind::ImpossibleValue,
                path,
                format!("{value} is outside {lo}..={hi} ({what}), so the comparison never changes"),
            );
        }
    }

    /// Exactly one numeric operator.
    fn numeric_op(&mut self, ops: &Operators<'_>, path: &str, subject: &str) -> Option<(Cmp, f64, String)> {
        let numeric = ops.numeric();
        if numeric.len() != 1 || ops.is.is_some() || ops.in_.is_some() {
            self.problem(
                ProblemKind::InvalidCondition,
                path,
                format!("{subject:?} here needs exactly one of eq, ne, lt, lte, gt, gte"),
            );
            return None;
        }
        let (name, cmp, value) = numeric[0];
        let opath = format!("{path}.{name}");
        if !self.check_number(value, &opath, MAX_MAGNITUDE) {
            return None;
        }
        Some((cmp, value, opath))
    }

    /// `is` with a boolean.
    fn bool_op(&mut self, ops: &Operators<'_>, path: &str, subject: &str) -> Option<bool> {
        match (ops.is, ops.count()) {
            (Some(serde_json::Value::Bool(b)), 1) => Some(*b),
            (Some(_), 1) => {
                self.problem(
                    ProblemKind::ImpossibleValue,
                    format!("{path}.is"),
                    "this yes/no value takes true or false",
                );
                None
            }
            _ => {
                self.problem(
                    ProblemKind::InvalidCondition,
                    path,
                    format!("{subject:?} here needs \"is\": true or false"),
                );
                None
            }
        }
    }

    /// `is` with one name or `in` with a list of names; returns a bit set.
    fn choice_op(
        &mut self,
        ops: &Operators<'_>,
        path: &str,
        subject: &str,
        names: &[&str],
        what: &str,
    ) -> Option<(u64, String)> {
        let (values, key): (Vec<&serde_json::Value>, &str) = match (ops.is, ops.in_, ops.count()) {
            (Some(v), None, 1) => (vec![v], "is"),
            (None, Some(list), 1) => {
                if !self.check_count(
                    list.len(),
                    self.limits.max_options,
                    format_args!("{path}.in"),
                    "values",
                ) {
                    return None;
                }
                if list.is_empty() {
                    self.problem(
                        ProblemKind::Empty,
                        format!("{path}.in"),
                        "\"in\" needs at least one value",
                    );
                    return None;
                }
                (list.iter().collect(), "in")
            }
            _ => {
                self.problem(
                    ProblemKind::InvalidCondition,
                    path,
                    format!("{subject:?} here needs exactly one of \"is\" ({what}) or \"in\" (a list)"),
                );
                return None;
            }
        };
        let mut set = 0u64;
        let mut ok = true;
        let mut shown = Vec::with_capacity(values.len());
        for (i, value) in values.iter().enumerate() {
            let vpath = || {
                if key == "is" {
                    format!("{path}.is")
                } else {
                    format!("{path}.in[{i}]")
                }
            };
            let found = value.as_str().and_then(|s| names.iter().position(|n| *n == s));
            match found {
                Some(bit) if bit < 64 => {
                    set |= 1 << bit;
                    shown.push(names[bit]);
                }
                _ => {
                    ok = false;
                    if self.full() {
                        // Counted without building its message.
                        self.omitted += 1;
                        continue;
                    }
                    self.problem(
                        ProblemKind::ImpossibleValue,
                        vpath(),
                        format!(
                            "{} is not {what} here; expected one of {}",
                            shown_value(value),
                            name_list(names.iter().copied())
                        ),
                    );
                }
            }
        }
        if !ok {
            return None;
        }
        let text = if key == "is" {
            format!("is {}", shown[0])
        } else {
            format!("in [{}]", shown.join(", "))
        };
        Some((set, text))
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

    fn numeric(&self) -> Vec<(&'static str, Cmp, f64)> {
        self.numeric
            .iter()
            .filter_map(|&(name, cmp, value)| value.map(|v| (name, cmp, v)))
            .collect()
    }

    fn count(&self) -> usize {
        self.numeric.iter().filter(|(_, _, v)| v.is_some()).count()
            + usize::from(self.is.is_some())
            + usize::from(self.in_.is_some())
    }
}
