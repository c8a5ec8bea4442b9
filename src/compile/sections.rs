//! Checking and compiling the pack's sections: questions, context facts,
//! dimensions and their bands, challenges and phases, catalog texts, tags
//! and the safety gate.

use super::*;

impl Compiler<'_> {
    pub(super) fn questions(
        &mut self,
        pack: &Pack,
        sections: &Index<'_, usize>,
    ) -> (Vec<QuestionModel>, IdTable<usize>) {
        let index = self.index_ids(
            Path::Root("questions"),
            pack.questions.iter().map(|q| q.id.as_str()),
        );
        let mut models = Vec::with_capacity(pack.questions.len());
        let list = Path::Root("questions");
        for (i, q) in pack.questions.iter().enumerate() {
            let path = list.index(i);
            if let Some(section) = &q.section {
                if !sections.contains_key(section.as_str()) {
                    self.problem(
                        ProblemKind::UnknownReference,
                        path.field("section"),
                        format!("unknown section {section:?}"),
                    );
                }
            }
            self.check_text(&q.prompt, path.field("prompt"), true);
            self.check_text(&q.help, path.field("help"), false);
            let apath = path.field("answer");
            let (kind, lo, hi) = match &q.answer {
                AnswerSpec::Options { options } => {
                    let opath = apath.field("options");
                    if options.len() < 2 {
                        self.problem(
                            ProblemKind::Empty,
                            opath,
                            "an options question needs at least two options",
                        );
                    }
                    if !self.check_count(options.len(), self.max_options(), opath, "options") {
                        models.push(QuestionModel {
                            kind: QuestionKind::Options {
                                values: Vec::new(),
                                weights: Vec::new(),
                                shown: Vec::new(),
                            },
                            reverse: q.reverse,
                            lo: 0.0,
                            hi: 0.0,
                        });
                        continue;
                    }
                    let mut weights = Vec::with_capacity(options.len());
                    for (j, option) in options.iter().enumerate() {
                        let path = opath.index(j);
                        self.check_id(&option.value, path.field("value"));
                        // At most 64 options (checked above): a scan finds
                        // the first of a duplicate without a map.
                        let first = options[..j].iter().rposition(|o| o.value == option.value);
                        if let Some(first) = first {
                            self.problem(
                                ProblemKind::DuplicateId,
                                path.field("value"),
                                format!(
                                    "duplicate option value {:?}, first defined at {}",
                                    option.value,
                                    opath.index(first).field("value")
                                ),
                            );
                        }
                        self.check_text(&option.label, path.field("label"), true);
                        let ok = self.check_number(option.weight, path.field("weight"), MAX_MAGNITUDE);
                        weights.push(if ok { option.weight } else { 0.0 });
                    }
                    let lo = weights.iter().copied().fold(f64::INFINITY, f64::min);
                    let hi = weights.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let values: Vec<String> = options.iter().map(|o| o.value.clone()).collect();
                    // Written in one buffer and copied out at its final length.
                    let mut scratch = String::new();
                    let shown = values
                        .iter()
                        .zip(&weights)
                        .map(|(value, &weight)| {
                            scratch.clear();
                            scratch.push_str(value);
                            scratch.push_str(" (weight ");
                            push_number(&mut scratch, weight);
                            scratch.push(')');
                            PackText::from(scratch.as_str())
                        })
                        .collect();
                    (
                        QuestionKind::Options {
                            values,
                            weights,
                            shown,
                        },
                        lo,
                        hi,
                    )
                }
                AnswerSpec::Range {
                    min,
                    max,
                    step,
                    min_label,
                    max_label,
                } => {
                    let ok_min = self.check_number(*min, apath.field("min"), MAX_MAGNITUDE);
                    let ok_max = self.check_number(*max, apath.field("max"), MAX_MAGNITUDE);
                    if ok_min && ok_max && min >= max {
                        self.problem(
                            ProblemKind::InvalidNumber,
                            apath.field("max"),
                            "max must be greater than min",
                        );
                    }
                    if let Some(step) = step {
                        let ok_step = self.check_number(*step, apath.field("step"), MAX_MAGNITUDE);
                        // With max not above min, the range is already a problem.
                        if ok_step && ok_min && ok_max && min < max && !sane_step(*step, *min, *max) {
                            self.problem(
                                ProblemKind::InvalidNumber,
                                apath.field("step"),
                                format!(
                                    "step must be greater than 0, at most max - min, and divide the range \
                                     into at most {MAX_RANGE_STEPS} steps"
                                ),
                            );
                        }
                    }
                    self.check_text(min_label, apath.field("min_label"), false);
                    self.check_text(max_label, apath.field("max_label"), false);
                    (
                        QuestionKind::Range {
                            min: *min,
                            max: *max,
                            step: *step,
                        },
                        *min,
                        *max,
                    )
                }
                AnswerSpec::YesNo => (QuestionKind::YesNo, 0.0, 1.0),
            };
            models.push(QuestionModel {
                kind,
                reverse: q.reverse,
                lo,
                hi,
            });
        }
        (models, owned_index(&index))
    }

    pub(super) fn facts(&mut self, pack: &Pack) -> (Vec<FactModel>, IdTable<usize>) {
        let index = self.index_ids(Path::Root("context"), pack.context.iter().map(|f| f.id.as_str()));
        let mut models = Vec::with_capacity(pack.context.len());
        let list = Path::Root("context");
        for (i, fact) in pack.context.iter().enumerate() {
            let path = list.index(i);
            self.check_text(&fact.label, path.field("label"), true);
            let misplaced = |name: &str| {
                format!(
                    "{name:?} only belongs to a {} fact",
                    if name == "choices" { "choice" } else { "number" }
                )
            };
            if fact.kind != FactKind::Number {
                for (name, present) in [("min", fact.min.is_some()), ("max", fact.max.is_some())] {
                    if present {
                        self.problem(ProblemKind::InvalidCondition, path.field(name), misplaced(name));
                    }
                }
            }
            if fact.kind != FactKind::Choice && fact.choices.is_some() {
                self.problem(
                    ProblemKind::InvalidCondition,
                    path.field("choices"),
                    misplaced("choices"),
                );
            }
            models.push(match fact.kind {
                FactKind::Bool => FactModel::Bool,
                FactKind::Number => {
                    let (Some(min), Some(max)) = (fact.min, fact.max) else {
                        self.problem(
                            ProblemKind::Empty,
                            path,
                            "a number fact needs \"min\" and \"max\"",
                        );
                        models.push(FactModel::Number { min: 0.0, max: 0.0 });
                        continue;
                    };
                    let ok_min = self.check_number(min, path.field("min"), MAX_MAGNITUDE);
                    let ok_max = self.check_number(max, path.field("max"), MAX_MAGNITUDE);
                    if ok_min && ok_max && min > max {
                        self.problem(
                            ProblemKind::InvalidNumber,
                            path.field("max"),
                            "max must not be less than min",
                        );
                    }
                    FactModel::Number { min, max }
                }
                FactKind::Choice => {
                    let cpath = path.field("choices");
                    let choices = fact.choices.clone().unwrap_or_default();
                    if choices.is_empty() {
                        self.problem(
                            ProblemKind::Empty,
                            cpath,
                            "a choice fact needs at least one choice",
                        );
                    }
                    if self.check_count(choices.len(), self.max_options(), cpath, "choices") {
                        self.index_ids_plain(cpath, &choices);
                    }
                    FactModel::Choice { choices }
                }
            });
        }
        (models, owned_index(&index))
    }

    /// Like [`Self::index_ids`] for a short list (at most 64, checked by
    /// the caller) of bare strings: a scan finds the first of a duplicate.
    pub(super) fn index_ids_plain(&mut self, list: Path<'_>, ids: &[String]) {
        for (i, id) in ids.iter().enumerate() {
            self.check_id(id, list.index(i));
            if let Some(first) = ids[..i].iter().rposition(|other| other == id) {
                self.problem(
                    ProblemKind::DuplicateId,
                    list.index(i),
                    format!("duplicate value {id:?}, first defined at {}", list.index(first)),
                );
            }
        }
    }

    pub(super) fn dimensions(
        &mut self,
        pack: &Pack,
        question_index: &IdTable<usize>,
        questions: &[QuestionModel],
    ) -> Vec<DimensionModel> {
        let mut models = Vec::with_capacity(pack.dimensions.len());
        let list = Path::Root("dimensions");
        // The last item of the current dimension that named each question,
        // and the questions named, to clear it for the next dimension.
        let mut last_item = vec![usize::MAX; questions.len()];
        let mut named = Vec::new();
        for (i, dim) in pack.dimensions.iter().enumerate() {
            let path = list.index(i);
            self.check_text(&dim.title, path.field("title"), true);
            self.check_text(&dim.description, path.field("description"), false);
            let items_path = path.field("items");
            if dim.items.is_empty() {
                self.problem(
                    ProblemKind::Empty,
                    items_path,
                    "a dimension needs at least one item",
                );
            }
            let within = self.check_count(dim.items.len(), self.limits.max_questions, items_path, "items");
            // Over the limit, the items are not examined one by one.
            let listed = if within { &dim.items[..] } else { &[] };
            let mut items = Vec::with_capacity(listed.len());
            for &q in &named {
                last_item[q] = usize::MAX;
            }
            named.clear();
            for (j, item) in listed.iter().enumerate() {
                let ipath = items_path.index(j);
                let weight_ok = self.check_number(item.weight, ipath.field("weight"), MAX_MAGNITUDE);
                if weight_ok && item.weight <= 0.0 {
                    self.problem(
                        ProblemKind::InvalidNumber,
                        ipath.field("weight"),
                        "item weight must be greater than 0",
                    );
                }
                match question_index.get(&item.question) {
                    None => self.problem(
                        ProblemKind::UnknownReference,
                        ipath.field("question"),
                        format!("unknown question {:?}", item.question),
                    ),
                    Some(&q) => {
                        let previous = std::mem::replace(&mut last_item[q], j);
                        if previous == usize::MAX {
                            named.push(q);
                        }
                        if previous != usize::MAX {
                            self.problem(
                                ProblemKind::DuplicateId,
                                ipath.field("question"),
                                format!(
                                    "question {:?} is already an item at {}",
                                    item.question,
                                    items_path.index(previous)
                                ),
                            );
                        } else if questions[q].hi <= questions[q].lo {
                            self.problem(
                                ProblemKind::ImpossibleValue,
                                ipath.field("question"),
                                format!(
                                    "question {:?} cannot be scored: its answers all weigh the same",
                                    item.question
                                ),
                            );
                        } else if weight_ok && item.weight > 0.0 {
                            items.push((q, item.weight));
                        }
                    }
                }
            }
            let min_answered = match dim.min_answered {
                None => dim.items.len(),
                Some(n) => {
                    if n == 0 || n as usize > dim.items.len() {
                        self.problem(
                            ProblemKind::ImpossibleValue,
                            path.field("min_answered"),
                            format!(
                                "min_answered must be between 1 and the number of items ({})",
                                dim.items.len()
                            ),
                        );
                    }
                    n as usize
                }
            };
            // The scale the bands must cover exactly.
            let (scale_lo, scale_hi) = match dim.band_scale {
                BandScale::Score => (0.0, 100.0),
                BandScale::Raw => raw_scale(dim.method, &items, questions),
            };
            let (band_mins, band_top) = self.bands(dim, path, scale_lo, scale_hi);
            let meaningful_change = match dim.meaningful_change {
                None => DEFAULT_MEANINGFUL_CHANGE,
                Some(change) => {
                    let cpath = path.field("meaningful_change");
                    if self.check_number(change, cpath, MAX_MAGNITUDE) && !(change > 0.0 && change <= 100.0) {
                        self.problem(
                            ProblemKind::InvalidNumber,
                            cpath,
                            "a meaningful change is more than 0 and at most 100 points of the score",
                        );
                    }
                    change
                }
            };
            models.push(DimensionModel {
                items,
                method: dim.method,
                min_answered,
                band_scale: dim.band_scale,
                band_mins,
                band_top,
                meaningful_change,
                lower_is_better: dim.better == Better::Lower,
            });
        }
        models
    }

    pub(super) fn bands(
        &mut self,
        dim: &crate::pack::Dimension,
        path: Path<'_>,
        lo: f64,
        hi: f64,
    ) -> (Vec<f64>, f64) {
        let bpath = path.field("bands");
        let bands = &dim.bands;
        if !self.check_count(bands.len(), self.max_options(), bpath, "bands") {
            return (Vec::new(), hi);
        }
        self.unique_ids(bpath, bands.iter().map(|b| b.id.as_str()));
        // Each band as [min, max): a published range "5-9" is [5, 10), and
        // the last band is closed, so "15-21" ends at 21.
        let last = bands.len().saturating_sub(1);
        let mut spans = Vec::with_capacity(bands.len());
        let mut ok = true;
        for (k, band) in bands.iter().enumerate() {
            let band_path = bpath.index(k);
            self.check_text(&band.label, band_path.field("label"), true);
            let span = match (band.min, band.max, band.from, band.to) {
                (Some(min), Some(max), None, None) => {
                    ok &= self.check_number(min, band_path.field("min"), MAX_MAGNITUDE);
                    ok &= self.check_number(max, band_path.field("max"), MAX_MAGNITUDE);
                    (min, max)
                }
                (None, None, Some(from), Some(to)) => {
                    for (key, value) in [("from", from), ("to", to)] {
                        let vpath = band_path.field(key);
                        if !self.check_number(value, vpath, MAX_MAGNITUDE) {
                            ok = false;
                        } else if value.fract() != 0.0 {
                            ok = false;
                            self.problem(
                                ProblemKind::InvalidNumber,
                                vpath,
                                "a published range takes whole numbers",
                            );
                        }
                    }
                    (from, if k == last { to } else { to + 1.0 })
                }
                _ => {
                    ok = false;
                    self.problem(
                        ProblemKind::Empty,
                        band_path,
                        "a band takes min and max, or from and to (a published range of whole numbers)",
                    );
                    (0.0, 0.0)
                }
            };
            spans.push(span);
        }
        let mins: Vec<f64> = spans.iter().map(|s| s.0).collect();
        if bands.is_empty() || !ok {
            return (mins, hi);
        }
        // Where a band's bounds are written, for messages.
        let lower = |k: usize| if bands[k].from.is_some() { "from" } else { "min" };
        let upper = |k: usize| if bands[k].to.is_some() { "to" } else { "max" };
        let scale = match dim.band_scale {
            BandScale::Score => "score scale",
            BandScale::Raw => "raw scale",
        };
        if close(spans[0].0, lo) {
            // Exact as written.
        } else if spans[0].0 > lo {
            self.problem(
                ProblemKind::BandGap,
                bpath.index(0).field(lower(0)),
                format!(
                    "first band starts at {} but the {scale} starts at {lo}",
                    spans[0].0
                ),
            );
        } else {
            self.problem(
                ProblemKind::BandOverlap,
                bpath.index(0).field(lower(0)),
                format!(
                    "first band starts at {}, below the {scale}'s start of {lo}",
                    spans[0].0
                ),
            );
        }
        for (k, &(min, max)) in spans.iter().enumerate() {
            let empty = if k == last { max < min } else { max <= min };
            if empty {
                self.problem(
                    ProblemKind::BandOverlap,
                    bpath.index(k).field(upper(k)),
                    "band max must be greater than its min",
                );
            }
            if k > 0 {
                let prev_max = spans[k - 1].1;
                if close(min, prev_max) {
                    continue;
                }
                let (kind, how) = if min > prev_max {
                    (ProblemKind::BandGap, "leaving a gap after")
                } else {
                    (ProblemKind::BandOverlap, "overlapping")
                };
                self.problem(
                    kind,
                    bpath.index(k).field(lower(k)),
                    format!(
                        "band starts at {min} {how} {}, which ends at {prev_max}",
                        bpath.index(k - 1)
                    ),
                );
            }
        }
        let top = spans[last].1;
        if !close(top, hi) {
            let kind = if top < hi {
                ProblemKind::BandGap
            } else {
                ProblemKind::BandOverlap
            };
            self.problem(
                kind,
                bpath.index(last).field(upper(last)),
                format!("last band ends at {top} but the {scale} ends at {hi}"),
            );
        }
        (mins, hi)
    }

    /// Builds the map from phase id to (challenge, phase) and checks days.
    pub(super) fn phases<'p>(&mut self, pack: &'p Pack) -> HashMap<&'p str, (usize, usize)> {
        let mut index = HashMap::new();
        let list = Path::Root("challenges");
        for (c, challenge) in pack.challenges.iter().enumerate() {
            let cpath = list.index(c);
            let phases_path = cpath.field("phases");
            if challenge.phases.is_empty() {
                self.problem(
                    ProblemKind::Empty,
                    phases_path,
                    "a challenge needs at least one phase",
                );
            }
            if !self.check_count(
                challenge.phases.len(),
                self.limits.max_items,
                phases_path,
                "phases",
            ) {
                continue;
            }
            let mut next_day = 1u32;
            for (p, phase) in challenge.phases.iter().enumerate() {
                let ppath = phases_path.index(p);
                let id_path = ppath.field("id");
                self.check_id(&phase.id, id_path);
                match index.entry(phase.id.as_str()) {
                    Entry::Occupied(first) => {
                        let (first_c, first_p) = *first.get();
                        self.problem(
                            ProblemKind::DuplicateId,
                            id_path,
                            format!(
                                "duplicate phase id {:?}, first defined at {} (phase ids are unique across the pack)",
                                phase.id,
                                list.index(first_c).field("phases").index(first_p).field("id")
                            ),
                        );
                    }
                    Entry::Vacant(slot) => {
                        slot.insert((c, p));
                    }
                }
                self.check_text(&phase.theme, ppath.field("theme"), true);
                if phase.first_day != next_day {
                    self.problem(
                        ProblemKind::PhaseDays,
                        ppath.field("first_day"),
                        format!("phase starts on day {} but must start on day {next_day}, right after the previous phase", phase.first_day),
                    );
                }
                if phase.last_day < phase.first_day {
                    self.problem(
                        ProblemKind::PhaseDays,
                        ppath.field("last_day"),
                        "last_day is before first_day",
                    );
                    next_day = phase.first_day.saturating_add(1);
                } else {
                    next_day = phase.last_day.saturating_add(1);
                    // u64: a day count near u32::MAX must not overflow a 32-bit usize.
                    let days = u64::from(phase.last_day - phase.first_day) + 1;
                    if !phase.activities.is_empty() && phase.activities.len() as u64 != days {
                        self.problem(
                            ProblemKind::PhaseDays,
                            ppath.field("activities"),
                            format!(
                                "{} activities for {days} days; give one activity per day or none",
                                phase.activities.len()
                            ),
                        );
                    }
                }
                if phase.last_day > MAX_DAYS {
                    self.problem(
                        ProblemKind::PhaseDays,
                        ppath.field("last_day"),
                        "a challenge lasts at most 366 days",
                    );
                }
                // At most one activity per day of the longest challenge: more
                // is already a problem, and their texts are not examined.
                if phase.activities.len() <= MAX_DAYS as usize {
                    for (a, activity) in phase.activities.iter().enumerate() {
                        self.check_text(activity, ppath.field("activities").index(a), true);
                    }
                }
            }
        }
        index
    }

    /// Checks display texts that evaluation never reads.
    pub(super) fn catalog_texts(&mut self, pack: &Pack) {
        for (i, s) in pack.sections.iter().enumerate() {
            self.check_text(&s.title, format_args!("sections[{i}].title"), true);
            self.check_text(&s.intro, format_args!("sections[{i}].intro"), false);
        }
        for (i, f) in pack.focus_areas.iter().enumerate() {
            self.check_text(&f.title, format_args!("focus_areas[{i}].title"), true);
            self.check_text(&f.summary, format_args!("focus_areas[{i}].summary"), true);
            let within = self.check_count(
                f.practices.len(),
                self.limits.max_items,
                format_args!("focus_areas[{i}].practices"),
                "practices",
            );
            let listed = if within { &f.practices[..] } else { &[] };
            for (j, p) in listed.iter().enumerate() {
                self.check_text(p, format_args!("focus_areas[{i}].practices[{j}]"), true);
            }
        }
        for (i, ch) in pack.challenges.iter().enumerate() {
            self.check_text(&ch.title, format_args!("challenges[{i}].title"), true);
            self.check_text(&ch.summary, format_args!("challenges[{i}].summary"), true);
        }
        for (i, t) in pack.therapy_levels.iter().enumerate() {
            self.check_text(&t.title, format_args!("therapy_levels[{i}].title"), true);
            self.check_text(&t.message, format_args!("therapy_levels[{i}].message"), true);
        }
        let s = &pack.safety;
        self.check_text(&s.title, "safety.title", true);
        self.check_text(&s.message, "safety.message", true);
        self.unique_ids(
            Path::Root("safety.resources"),
            s.resources.iter().map(|r| r.id.as_str()),
        );
        for (i, r) in s.resources.iter().enumerate() {
            self.check_text(&r.name, format_args!("safety.resources[{i}].name"), true);
            self.check_text(
                &r.description,
                format_args!("safety.resources[{i}].description"),
                true,
            );
            self.check_text(&r.contact, format_args!("safety.resources[{i}].contact"), false);
        }
    }

    /// The tag masks of every item of a list, such as `focus_areas`.
    pub(super) fn tag_masks<'p>(
        &mut self,
        list: &str,
        tags: impl Iterator<Item = &'p [String]>,
    ) -> Vec<TagMask> {
        let list = Path::Root(list);
        tags.enumerate()
            .map(|(i, tags)| self.tag_mask(tags, list.index(i).field("tags")))
            .collect()
    }

    /// Interns tags into a bit mask.
    pub(super) fn tag_mask(&mut self, tags: &[String], path: Path<'_>) -> TagMask {
        let mut mask = 0;
        if !self.check_count(tags.len(), self.limits.max_tags, path, "tags") {
            return mask;
        }
        for (i, tag) in tags.iter().enumerate() {
            let tpath = path.index(i);
            self.check_id(tag, tpath);
            let bit = match self.tags.iter().position(|t| t == tag) {
                Some(bit) => bit,
                None => {
                    if self.tags.len() >= self.limits.max_tags.min(64) {
                        self.problem(
                            ProblemKind::TooLarge,
                            tpath,
                            format!("more than {} distinct tags", self.limits.max_tags.min(64)),
                        );
                        continue;
                    }
                    self.tags.push(tag.clone());
                    self.tags.len() - 1
                }
            };
            mask |= 1 << bit;
        }
        mask
    }

    /// Resolves suppression tags, which must be declared on some item.
    pub(super) fn suppress_mask(&mut self, tags: &[String], path: Path<'_>) -> TagMask {
        let mut mask = 0;
        if !self.check_count(tags.len(), self.limits.max_tags, path, "tags") {
            return mask;
        }
        for (i, tag) in tags.iter().enumerate() {
            match self.tags.iter().position(|t| t == tag) {
                Some(bit) => mask |= 1 << bit,
                None => self.problem(
                    ProblemKind::UnknownReference,
                    path.index(i),
                    format!("unknown tag {tag:?}: no focus area, challenge or therapy level carries it"),
                ),
            }
        }
        mask
    }

    pub(super) fn safety(
        &mut self,
        pack: &Pack,
        refs: &Refs<'_>,
        focus_tags: &[TagMask],
        therapy_tags: &[TagMask],
    ) -> SafetyModel {
        let s = &pack.safety;
        // A pack without couples content (nothing carries a tag) has
        // nothing to set aside; any other must set something aside.
        let tagged = focus_tags.iter().chain(therapy_tags).any(|&mask| mask != 0)
            || pack.challenges.iter().any(|c| !c.tags.is_empty());
        if s.suppress.is_empty() && tagged {
            self.problem(
                ProblemKind::Empty,
                "safety.suppress",
                "the safety gate must suppress at least one tag (such as the couples exercises)",
            );
        }
        let suppress = self.suppress_mask(&s.suppress, Path::Root("safety.suppress"));
        let focus_area = self.resolve(refs.focus, &s.focus_area, "safety.focus_area", "focus area");
        let therapy_level = self.resolve(
            refs.therapy,
            &s.therapy_level,
            "safety.therapy_level",
            "therapy level",
        );
        if let Some(f) = focus_area {
            if focus_tags[f] & suppress != 0 {
                self.problem(
                    ProblemKind::InvalidSuppression,
                    "safety.focus_area",
                    format!(
                        "focus area {:?} carries a tag the safety gate suppresses",
                        s.focus_area
                    ),
                );
            }
        }
        if let Some(t) = therapy_level {
            if therapy_tags[t] & suppress != 0 {
                self.problem(
                    ProblemKind::InvalidSuppression,
                    "safety.therapy_level",
                    format!(
                        "therapy level {:?} carries a tag the safety gate suppresses",
                        s.therapy_level
                    ),
                );
            }
        }
        SafetyModel {
            suppress,
            focus_area: focus_area.unwrap_or(0),
            therapy_level: therapy_level.unwrap_or(0),
        }
    }

    /// The index of `id`, or a problem naming it (with the nearest id when
    /// one is a likely typo of it).
    pub(super) fn resolve<K: Borrow<str> + Eq + Hash, S: BuildHasher>(
        &mut self,
        index: &HashMap<K, usize, S>,
        id: &str,
        path: impl fmt::Display,
        what: &str,
    ) -> Option<usize> {
        let found = index.get(id).copied();
        if found.is_none() {
            // Only the first few problems are searched, so a pack full of
            // unknown ids costs no more than a few.
            let near = if self.problems.len() >= 8 {
                None
            } else {
                closest(id, index.keys().map(Borrow::borrow))
            };
            let message = match near {
                Some(near) => format!("unknown {what} {id:?}; did you mean {near:?}?"),
                None => format!("unknown {what} {id:?}"),
            };
            self.problem(ProblemKind::UnknownReference, path, message);
        }
        found
    }
}
