//! Reading a whole [`Pack`] by hand, when
//! [`Engine::from_json`](crate::Engine::from_json) loads one.
//!
//! serde's derived parsers go through a visitor per value and return each
//! struct by value through several frames (a rule is most of a kilobyte);
//! for the default pack that is most of the cost of loading it. This reader
//! knows the model: it matches each key once, reads every value into its
//! field directly, and borrows strings from the input until it keeps them.
//!
//! It only reads what it is sure of, and gives up on anything else: a key
//! it does not know or one given twice, a key with an escape sequence, a
//! value of another type, a missing field, an answer whose `kind` is not
//! its first key, a condition value that is a list or an object, a syntax
//! error. The loader then parses the
//! pack with serde's parsers, the only ones whose results and messages
//! anyone sees for such a pack. So what is accepted, and every error, is as
//! before; a pack this reader accepts reads exactly as serde reads it (the
//! tests compare the two on every pack of the repository and on variants).
//!
//! Numbers that are not plain whole numbers, and strings with escape
//! sequences, are handed to serde_json one token at a time, so they read
//! exactly as it reads them. A field added to the model must be added here
//! too (a struct built here will not compile without it; for `Condition`
//! and `Effects`, packs that use it would be left to serde).
//!
//! It keeps the bounds of the scan (`scan.rs`) as it reads, giving up past
//! them, and counts what the scan counts, so a pack it reads is not scanned
//! first. Conditions nest; each level is read in place into its slot (as
//! in `condition_de.rs`), so the deepest condition within the bounds reads
//! on a small stack.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use crate::scan::{Bounds, Scanned};

use super::{
    AnswerOption, AnswerSpec, Band, BandScale, Better, Challenge, Condition, ContextFact, CoupleSettings,
    Dimension, DimensionItem, Effects, FactKind, FocusArea, NeutralPlan, Pack, Phase, Question, Resource,
    Rule, Safety, ScoreMethod, Section, TherapyLevel, View, Whose,
};

/// `None`: the reader gives up, and the pack is left to serde.
type Read<T> = Option<T>;

/// The pack, if this reader reads all of it within `bounds`, and what
/// [`scan`](crate::scan::scan) would have found of it; `None` if it gives
/// up.
///
/// The reader keeps the scan's bounds as it goes (it gives up past them),
/// and counts what the scan counts, so a pack it reads needs no scan: the
/// scan is for the parsers that recurse before they could check.
pub(crate) fn read_pack(json: &str, bounds: Bounds) -> Option<(Pack, Scanned)> {
    // Each object or array opens with one of these (strings may hold more):
    // within the bound, the reader cannot build more than a pack within the
    // limits may hold before it gives up, however it ends. Past it, the
    // scan refuses the pack before anything is built.
    if brackets(json.as_bytes()) > bounds.containers {
        return None;
    }
    let mut reader = Reader {
        text: json,
        bytes: json.as_bytes(),
        at: 0,
        bounds,
        depth: 0,
        object_depth: 0,
        containers: 0,
        escaped_strings: 0,
    };
    let pack = reader.pack()?;
    reader.blank();
    let scanned = Scanned {
        escaped_strings: reader.escaped_strings,
    };
    (reader.at == reader.bytes.len()).then_some((pack, scanned))
}

/// How many bytes of `json` are `{` or `[` (which differ only in the bit
/// 0x20), counted in blocks that the compiler turns into vector code.
fn brackets(json: &[u8]) -> usize {
    let is_open = |b: u8| u8::from(b | 0x20 == b'{');
    let mut blocks = json.chunks_exact(64);
    let mut count = 0;
    for block in &mut blocks {
        // At most 64 per block: the sum fits a byte.
        count += usize::from(block.iter().map(|&b| is_open(b)).sum::<u8>());
    }
    count + blocks.remainder().iter().filter(|&&b| is_open(b) == 1).count()
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    bounds: Bounds,
    /// Objects and arrays open, objects open, and all opened so far.
    depth: usize,
    object_depth: usize,
    containers: usize,
    /// Strings with an escape sequence (see [`Scanned`]).
    escaped_strings: usize,
}

/// Marks a field as read; `None` if it already was (serde refuses a
/// duplicate field).
fn first(seen: &mut u32, bit: u32) -> Read<()> {
    let mask = 1 << bit;
    if *seen & mask != 0 {
        return None;
    }
    *seen |= mask;
    Some(())
}

impl<'a> Reader<'a> {
    // --- JSON tokens ---

    /// Skips JSON whitespace (and nothing else: serde_json refuses other
    /// control characters).
    fn blank(&mut self) {
        // Whitespace is mostly a newline and its indentation, or one space:
        // after each whitespace byte, a run of spaces is skipped at once.
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at = spaces_stop(self.bytes, self.at + 1);
        }
    }

    /// The next byte that is not whitespace, not consumed.
    fn peek(&mut self) -> Read<u8> {
        self.blank();
        self.bytes.get(self.at).copied()
    }

    /// Consumes `byte`, after any whitespace.
    fn eat(&mut self, byte: u8) -> Read<()> {
        if self.peek()? != byte {
            return None;
        }
        self.at += 1;
        Some(())
    }

    /// Consumes `word` (`true`, `false`, `null`) if it is next.
    fn literal(&mut self, word: &[u8]) -> bool {
        if self.bytes[self.at..].starts_with(word) {
            self.at += word.len();
            true
        } else {
            false
        }
    }

    /// `null`, consumed, if it is next.
    fn null(&mut self) -> Read<bool> {
        Some(self.peek()? == b'n' && self.literal(b"null"))
    }

    /// A string's raw contents, `None` after the opening quote when it has
    /// an escape sequence (its end is then found by [`Self::escaped`]).
    fn raw_string(&mut self) -> Read<Result<&'a str, usize>> {
        self.eat(b'"')?;
        let start = self.at;
        let stop = string_stop(self.bytes, start);
        match self.bytes.get(stop)? {
            b'"' => {
                self.at = stop + 1;
                // Both ends are ASCII quotes, so this is a char boundary.
                Some(Ok(self.text.get(start..stop)?))
            }
            b'\\' => Some(Err(start - 1)),
            // A raw control character: serde_json refuses it.
            _ => None,
        }
    }

    /// A string with escape sequences, from its opening quote at `open`:
    /// read by serde_json, as a token of its own.
    fn escaped<T: serde::de::DeserializeOwned>(&mut self, open: usize) -> Read<T> {
        let mut i = open + 1;
        loop {
            i = string_stop(self.bytes, i);
            match self.bytes.get(i)? {
                b'"' => break,
                b'\\' => i += 2,
                _ => return None,
            }
        }
        self.at = i + 1;
        self.escaped_strings += 1;
        serde_json::from_str(self.text.get(open..=i)?).ok()
    }

    /// A key, which must be a plain string (serde_json unescapes keys
    /// before matching them; this reader leaves those to it), and its colon.
    fn key(&mut self) -> Read<&'a str> {
        let key = self.raw_string()?.ok()?;
        self.eat(b':')?;
        Some(key)
    }

    fn string(&mut self) -> Read<String> {
        match self.raw_string()? {
            Ok(text) => Some(text.to_owned()),
            Err(open) => self.escaped(open),
        }
    }

    fn optional_string(&mut self) -> Read<Option<String>> {
        if self.null()? {
            return Some(None);
        }
        self.string().map(Some)
    }

    fn bool(&mut self) -> Read<bool> {
        self.blank();
        if self.literal(b"true") {
            Some(true)
        } else if self.literal(b"false") {
            Some(false)
        } else {
            None
        }
    }

    /// The bytes of a number token: what serde_json reads as one.
    fn number_token(&mut self) -> Read<&'a str> {
        self.blank();
        let start = self.at;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
        }
        if start == self.at {
            return None;
        }
        self.text.get(start..self.at)
    }

    /// A whole number written with digits alone, without leading zeros,
    /// small enough to be exact in an `f64`.
    fn plain_whole(token: &str) -> Option<u64> {
        let digits = token.as_bytes();
        let plain = !digits.is_empty()
            && digits.len() <= 15
            && digits.iter().all(u8::is_ascii_digit)
            && (digits[0] != b'0' || digits.len() == 1);
        plain.then(|| digits.iter().fold(0u64, |n, &d| n * 10 + u64::from(d - b'0')))
    }

    fn f64(&mut self) -> Read<f64> {
        let token = self.number_token()?;
        match Self::plain_whole(token) {
            Some(n) => Some(n as f64),
            None => serde_json::from_str(token).ok(),
        }
    }

    fn optional_f64(&mut self) -> Read<Option<f64>> {
        if self.null()? {
            return Some(None);
        }
        self.f64().map(Some)
    }

    fn u32(&mut self) -> Read<u32> {
        let token = self.number_token()?;
        u32::try_from(Self::plain_whole(token)?).ok()
    }

    /// A condition's `is` value, or an element of its `in`: a string, a
    /// boolean, a number or null (lists and objects are left to serde).
    fn value(&mut self) -> Read<serde_json::Value> {
        use serde_json::Value;
        Some(match self.peek()? {
            b'"' => match self.raw_string()? {
                Ok(text) => Value::String(text.to_owned()),
                Err(open) => self.escaped(open)?,
            },
            b't' | b'f' => Value::Bool(self.bool()?),
            b'n' if self.literal(b"null") => Value::Null,
            b'-' | b'0'..=b'9' => serde_json::from_str(self.number_token()?).ok()?,
            _ => return None,
        })
    }

    /// Reads an object, calling `field` for each key with the reader at
    /// its value.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Read<()>) -> Read<()> {
        self.eat(b'{')?;
        self.open()?;
        self.object_depth += 1;
        if self.object_depth > self.bounds.object_depth {
            return None;
        }
        if self.peek()? != b'}' {
            loop {
                let key = self.key()?;
                field(self, key)?;
                match self.peek()? {
                    b',' => self.at += 1,
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        self.at += 1;
        self.depth -= 1;
        self.object_depth -= 1;
        Some(())
    }

    /// Counts an object or array opened, within the bounds.
    fn open(&mut self) -> Read<()> {
        self.depth += 1;
        self.containers += 1;
        (self.depth <= self.bounds.depth && self.containers <= self.bounds.containers).then_some(())
    }

    /// Reads a list, calling `element` with the reader at each element.
    fn list(&mut self, mut element: impl FnMut(&mut Self) -> Read<()>) -> Read<()> {
        self.eat(b'[')?;
        self.open()?;
        if self.peek()? != b']' {
            loop {
                element(self)?;
                match self.peek()? {
                    b',' => self.at += 1,
                    b']' => break,
                    _ => return None,
                }
            }
        }
        self.at += 1;
        self.depth -= 1;
        Some(())
    }

    /// A list whose elements `read` reads.
    fn vec<T>(&mut self, mut read: impl FnMut(&mut Self) -> Read<T>) -> Read<Vec<T>> {
        let mut items = Vec::new();
        self.list(|r| {
            items.push(read(r)?);
            Some(())
        })?;
        Some(items)
    }

    fn strings(&mut self) -> Read<Vec<String>> {
        self.vec(Self::string)
    }

    /// A unit variant of a `snake_case` enum, by name.
    fn variant<T>(&mut self, variants: &[(&str, T)]) -> Read<T>
    where
        T: Copy,
    {
        let name = self.raw_string()?.ok()?;
        variants.iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
    }

    // --- The model ---

    fn pack(&mut self) -> Read<Pack> {
        let mut seen = 0;
        let mut schema = None;
        let (mut format, mut id, mut version, mut title) = (None, None, None, String::new());
        let (mut sections, mut questions, mut context) = (Vec::new(), None, Vec::new());
        let (mut dimensions, mut focus_areas, mut challenges) = (Vec::new(), Vec::new(), Vec::new());
        let (mut therapy_levels, mut safety, mut rules, mut couple) = (None, None, None, None);
        self.object(|r, key| {
            match key {
                "$schema" => {
                    first(&mut seen, 0)?;
                    schema = r.optional_string()?;
                }
                "format" => {
                    first(&mut seen, 1)?;
                    format = Some(r.u32()?);
                }
                "id" => {
                    first(&mut seen, 2)?;
                    id = Some(r.string()?);
                }
                "version" => {
                    first(&mut seen, 3)?;
                    version = Some(r.string()?);
                }
                "title" => {
                    first(&mut seen, 4)?;
                    title = r.string()?;
                }
                "sections" => {
                    first(&mut seen, 5)?;
                    sections = r.vec(Self::section)?;
                }
                "questions" => {
                    first(&mut seen, 6)?;
                    questions = Some(r.vec(Self::question)?);
                }
                "context" => {
                    first(&mut seen, 7)?;
                    context = r.vec(Self::context_fact)?;
                }
                "dimensions" => {
                    first(&mut seen, 8)?;
                    dimensions = r.vec(Self::dimension)?;
                }
                "focus_areas" => {
                    first(&mut seen, 9)?;
                    focus_areas = r.vec(Self::focus_area)?;
                }
                "challenges" => {
                    first(&mut seen, 10)?;
                    challenges = r.vec(Self::challenge)?;
                }
                "therapy_levels" => {
                    first(&mut seen, 11)?;
                    therapy_levels = Some(r.vec(Self::therapy_level)?);
                }
                "safety" => {
                    first(&mut seen, 12)?;
                    safety = Some(r.safety()?);
                }
                "rules" => {
                    first(&mut seen, 13)?;
                    rules = Some(r.rules()?);
                }
                "couple" => {
                    first(&mut seen, 14)?;
                    couple = if r.null()? { None } else { Some(r.couple()?) };
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(Pack {
            schema,
            format: format?,
            id: id?,
            version: version?,
            title,
            sections,
            questions: questions?,
            context,
            dimensions,
            focus_areas,
            challenges,
            therapy_levels: therapy_levels?,
            safety: safety?,
            rules: rules?,
            couple,
        })
    }

    fn section(&mut self) -> Read<Section> {
        let mut seen = 0;
        let (mut id, mut title, mut intro) = (None, None, String::new());
        self.object(|r, key| {
            match key {
                "id" => {
                    first(&mut seen, 0)?;
                    id = Some(r.string()?);
                }
                "title" => {
                    first(&mut seen, 1)?;
                    title = Some(r.string()?);
                }
                "intro" => {
                    first(&mut seen, 2)?;
                    intro = r.string()?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(Section {
            id: id?,
            title: title?,
            intro,
        })
    }

    fn question(&mut self) -> Read<Question> {
        let mut seen = 0;
        let (mut id, mut section, mut prompt, mut help) = (None, None, None, String::new());
        let (mut answer, mut reverse, mut private) = (None, false, false);
        self.object(|r, key| {
            match key {
                "id" => {
                    first(&mut seen, 0)?;
                    id = Some(r.string()?);
                }
                "section" => {
                    first(&mut seen, 1)?;
                    section = r.optional_string()?;
                }
                "prompt" => {
                    first(&mut seen, 2)?;
                    prompt = Some(r.string()?);
                }
                "help" => {
                    first(&mut seen, 3)?;
                    help = r.string()?;
                }
                "answer" => {
                    first(&mut seen, 4)?;
                    answer = Some(r.answer()?);
                }
                "reverse" => {
                    first(&mut seen, 5)?;
                    reverse = r.bool()?;
                }
                "private" => {
                    first(&mut seen, 6)?;
                    private = r.bool()?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(Question {
            id: id?,
            section,
            prompt: prompt?,
            help,
            answer: answer?,
            reverse,
            private,
        })
    }

    /// An answer, tagged by its `kind`, which must come first (as for the
    /// direct reader of `answer_de.rs`, whose results serde's agree with).
    fn answer(&mut self) -> Read<AnswerSpec> {
        self.eat(b'{')?;
        self.open()?;
        self.object_depth += 1;
        if self.object_depth > self.bounds.object_depth || self.key()? != "kind" {
            return None;
        }
        let kind = self.raw_string()?.ok()?;
        let mut seen = 0;
        match kind {
            "options" => {
                let mut options = None;
                self.after_kind(&mut |r, key| {
                    if key != "options" {
                        return None;
                    }
                    first(&mut seen, 0)?;
                    options = Some(r.vec(Self::answer_option)?);
                    Some(())
                })?;
                Some(AnswerSpec::Options { options: options? })
            }
            "range" => {
                let (mut min, mut max, mut step) = (None, None, None);
                let (mut min_label, mut max_label) = (String::new(), String::new());
                self.after_kind(&mut |r, key| {
                    match key {
                        "min" => {
                            first(&mut seen, 0)?;
                            min = Some(r.f64()?);
                        }
                        "max" => {
                            first(&mut seen, 1)?;
                            max = Some(r.f64()?);
                        }
                        "step" => {
                            first(&mut seen, 2)?;
                            step = r.optional_f64()?;
                        }
                        "min_label" => {
                            first(&mut seen, 3)?;
                            min_label = r.string()?;
                        }
                        "max_label" => {
                            first(&mut seen, 4)?;
                            max_label = r.string()?;
                        }
                        _ => return None,
                    }
                    Some(())
                })?;
                Some(AnswerSpec::Range {
                    min: min?,
                    max: max?,
                    step,
                    min_label,
                    max_label,
                })
            }
            "yes_no" => {
                self.after_kind(&mut |_, _| None)?;
                Some(AnswerSpec::YesNo)
            }
            _ => None,
        }
    }

    /// The rest of an answer object, after its `kind`.
    fn after_kind(&mut self, field: &mut dyn FnMut(&mut Self, &'a str) -> Read<()>) -> Read<()> {
        loop {
            match self.peek()? {
                b'}' => {
                    self.at += 1;
                    self.depth -= 1;
                    self.object_depth -= 1;
                    return Some(());
                }
                b',' => {
                    self.at += 1;
                    let key = self.key()?;
                    field(self, key)?;
                }
                _ => return None,
            }
        }
    }

    fn answer_option(&mut self) -> Read<AnswerOption> {
        let mut seen = 0;
        let (mut value, mut label, mut weight) = (None, None, None);
        self.object(|r, key| {
            match key {
                "value" => {
                    first(&mut seen, 0)?;
                    value = Some(r.string()?);
                }
                "label" => {
                    first(&mut seen, 1)?;
                    label = Some(r.string()?);
                }
                "weight" => {
                    first(&mut seen, 2)?;
                    weight = Some(r.f64()?);
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(AnswerOption {
            value: value?,
            label: label?,
            weight: weight?,
        })
    }

    fn context_fact(&mut self) -> Read<ContextFact> {
        let mut seen = 0;
        let (mut id, mut label, mut kind) = (None, None, None);
        let (mut min, mut max, mut choices) = (None, None, None);
        self.object(|r, key| {
            match key {
                "id" => {
                    first(&mut seen, 0)?;
                    id = Some(r.string()?);
                }
                "label" => {
                    first(&mut seen, 1)?;
                    label = Some(r.string()?);
                }
                "kind" => {
                    first(&mut seen, 2)?;
                    kind = Some(r.variant(&[
                        ("bool", FactKind::Bool),
                        ("number", FactKind::Number),
                        ("choice", FactKind::Choice),
                    ])?);
                }
                "min" => {
                    first(&mut seen, 3)?;
                    min = r.optional_f64()?;
                }
                "max" => {
                    first(&mut seen, 4)?;
                    max = r.optional_f64()?;
                }
                "choices" => {
                    first(&mut seen, 5)?;
                    choices = if r.null()? { None } else { Some(r.strings()?) };
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(ContextFact {
            id: id?,
            label: label?,
            kind: kind?,
            min,
            max,
            choices,
        })
    }

    fn dimension(&mut self) -> Read<Dimension> {
        let mut seen = 0;
        let (mut id, mut title, mut description, mut items) = (None, None, String::new(), None);
        let (mut method, mut min_answered, mut band_scale) =
            (ScoreMethod::default(), None, BandScale::default());
        let (mut bands, mut private, mut meaningful_change, mut better) =
            (Vec::new(), false, None, Better::default());
        self.object(|r, key| {
            match key {
                "id" => {
                    first(&mut seen, 0)?;
                    id = Some(r.string()?);
                }
                "title" => {
                    first(&mut seen, 1)?;
                    title = Some(r.string()?);
                }
                "description" => {
                    first(&mut seen, 2)?;
                    description = r.string()?;
                }
                "items" => {
                    first(&mut seen, 3)?;
                    items = Some(r.vec(Self::dimension_item)?);
                }
                "method" => {
                    first(&mut seen, 4)?;
                    method = r.variant(&[("sum", ScoreMethod::Sum), ("mean", ScoreMethod::Mean)])?;
                }
                "min_answered" => {
                    first(&mut seen, 5)?;
                    min_answered = if r.null()? { None } else { Some(r.u32()?) };
                }
                "band_scale" => {
                    first(&mut seen, 6)?;
                    band_scale = r.variant(&[("score", BandScale::Score), ("raw", BandScale::Raw)])?;
                }
                "bands" => {
                    first(&mut seen, 7)?;
                    bands = r.vec(Self::band)?;
                }
                "private" => {
                    first(&mut seen, 8)?;
                    private = r.bool()?;
                }
                "meaningful_change" => {
                    first(&mut seen, 9)?;
                    meaningful_change = r.optional_f64()?;
                }
                "better" => {
                    first(&mut seen, 10)?;
                    better = r.variant(&[("lower", Better::Lower), ("higher", Better::Higher)])?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(Dimension {
            id: id?,
            title: title?,
            description,
            items: items?,
            method,
            min_answered,
            band_scale,
            bands,
            private,
            meaningful_change,
            better,
        })
    }

    fn dimension_item(&mut self) -> Read<DimensionItem> {
        let mut seen = 0;
        let (mut question, mut weight) = (None, 1.0);
        self.object(|r, key| {
            match key {
                "question" => {
                    first(&mut seen, 0)?;
                    question = Some(r.string()?);
                }
                "weight" => {
                    first(&mut seen, 1)?;
                    weight = r.f64()?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(DimensionItem {
            question: question?,
            weight,
        })
    }

    fn band(&mut self) -> Read<Band> {
        let mut seen = 0;
        let (mut id, mut label) = (None, None);
        let (mut min, mut max, mut from, mut to) = (None, None, None, None);
        self.object(|r, key| {
            match key {
                "id" => {
                    first(&mut seen, 0)?;
                    id = Some(r.string()?);
                }
                "label" => {
                    first(&mut seen, 1)?;
                    label = Some(r.string()?);
                }
                "min" => {
                    first(&mut seen, 2)?;
                    min = r.optional_f64()?;
                }
                "max" => {
                    first(&mut seen, 3)?;
                    max = r.optional_f64()?;
                }
                "from" => {
                    first(&mut seen, 4)?;
                    from = r.optional_f64()?;
                }
                "to" => {
                    first(&mut seen, 5)?;
                    to = r.optional_f64()?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(Band {
            id: id?,
            label: label?,
            min,
            max,
            from,
            to,
        })
    }

    fn focus_area(&mut self) -> Read<FocusArea> {
        let mut seen = 0;
        let (mut id, mut title, mut summary) = (None, None, None);
        let (mut practices, mut tags) = (Vec::new(), Vec::new());
        self.object(|r, key| {
            match key {
                "id" => {
                    first(&mut seen, 0)?;
                    id = Some(r.string()?);
                }
                "title" => {
                    first(&mut seen, 1)?;
                    title = Some(r.string()?);
                }
                "summary" => {
                    first(&mut seen, 2)?;
                    summary = Some(r.string()?);
                }
                "practices" => {
                    first(&mut seen, 3)?;
                    practices = r.strings()?;
                }
                "tags" => {
                    first(&mut seen, 4)?;
                    tags = r.strings()?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(FocusArea {
            id: id?,
            title: title?,
            summary: summary?,
            practices,
            tags,
        })
    }

    fn challenge(&mut self) -> Read<Challenge> {
        let mut seen = 0;
        let (mut id, mut title, mut summary) = (None, None, None);
        let (mut phases, mut tags) = (None, Vec::new());
        self.object(|r, key| {
            match key {
                "id" => {
                    first(&mut seen, 0)?;
                    id = Some(r.string()?);
                }
                "title" => {
                    first(&mut seen, 1)?;
                    title = Some(r.string()?);
                }
                "summary" => {
                    first(&mut seen, 2)?;
                    summary = Some(r.string()?);
                }
                "phases" => {
                    first(&mut seen, 3)?;
                    phases = Some(r.vec(Self::phase)?);
                }
                "tags" => {
                    first(&mut seen, 4)?;
                    tags = r.strings()?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(Challenge {
            id: id?,
            title: title?,
            summary: summary?,
            phases: phases?,
            tags,
        })
    }

    fn phase(&mut self) -> Read<Phase> {
        let mut seen = 0;
        let (mut id, mut first_day, mut last_day) = (None, None, None);
        let (mut theme, mut activities) = (None, Vec::new());
        self.object(|r, key| {
            match key {
                "id" => {
                    first(&mut seen, 0)?;
                    id = Some(r.string()?);
                }
                "first_day" => {
                    first(&mut seen, 1)?;
                    first_day = Some(r.u32()?);
                }
                "last_day" => {
                    first(&mut seen, 2)?;
                    last_day = Some(r.u32()?);
                }
                "theme" => {
                    first(&mut seen, 3)?;
                    theme = Some(r.string()?);
                }
                "activities" => {
                    first(&mut seen, 4)?;
                    activities = r.strings()?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(Phase {
            id: id?,
            first_day: first_day?,
            last_day: last_day?,
            theme: theme?,
            activities,
        })
    }

    fn therapy_level(&mut self) -> Read<TherapyLevel> {
        let mut seen = 0;
        let (mut id, mut title, mut message, mut tags) = (None, None, None, Vec::new());
        self.object(|r, key| {
            match key {
                "id" => {
                    first(&mut seen, 0)?;
                    id = Some(r.string()?);
                }
                "title" => {
                    first(&mut seen, 1)?;
                    title = Some(r.string()?);
                }
                "message" => {
                    first(&mut seen, 2)?;
                    message = Some(r.string()?);
                }
                "tags" => {
                    first(&mut seen, 3)?;
                    tags = r.strings()?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(TherapyLevel {
            id: id?,
            title: title?,
            message: message?,
            tags,
        })
    }

    fn safety(&mut self) -> Read<Safety> {
        let mut seen = 0;
        let (mut title, mut message, mut suppress) = (None, None, None);
        let (mut focus_area, mut therapy_level) = (None, None);
        let (mut resources, mut allow_online_therapy) = (Vec::new(), false);
        self.object(|r, key| {
            match key {
                "title" => {
                    first(&mut seen, 0)?;
                    title = Some(r.string()?);
                }
                "message" => {
                    first(&mut seen, 1)?;
                    message = Some(r.string()?);
                }
                "suppress" => {
                    first(&mut seen, 2)?;
                    suppress = Some(r.strings()?);
                }
                "focus_area" => {
                    first(&mut seen, 3)?;
                    focus_area = Some(r.string()?);
                }
                "therapy_level" => {
                    first(&mut seen, 4)?;
                    therapy_level = Some(r.string()?);
                }
                "resources" => {
                    first(&mut seen, 5)?;
                    resources = r.vec(Self::resource)?;
                }
                "allow_online_therapy" => {
                    first(&mut seen, 6)?;
                    allow_online_therapy = r.bool()?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(Safety {
            title: title?,
            message: message?,
            suppress: suppress?,
            focus_area: focus_area?,
            therapy_level: therapy_level?,
            resources,
            allow_online_therapy,
        })
    }

    fn resource(&mut self) -> Read<Resource> {
        let mut seen = 0;
        let (mut id, mut name, mut description, mut contact) = (None, None, None, String::new());
        self.object(|r, key| {
            match key {
                "id" => {
                    first(&mut seen, 0)?;
                    id = Some(r.string()?);
                }
                "name" => {
                    first(&mut seen, 1)?;
                    name = Some(r.string()?);
                }
                "description" => {
                    first(&mut seen, 2)?;
                    description = Some(r.string()?);
                }
                "contact" => {
                    first(&mut seen, 3)?;
                    contact = r.string()?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(Resource {
            id: id?,
            name: name?,
            description: description?,
            contact,
        })
    }

    /// The rules, each read in place in its slot of the list: a rule is
    /// most of a kilobyte, not worth returning through the reader's frames.
    fn rules(&mut self) -> Read<Vec<Rule>> {
        let mut rules = Vec::new();
        self.list(|r| r.rule(new_rule(&mut rules)))?;
        Some(rules)
    }

    fn rule(&mut self, rule: &mut Rule) -> Read<()> {
        let mut seen = 0;
        self.object(|r, key| {
            match key {
                "id" => {
                    first(&mut seen, 0)?;
                    rule.id = r.string()?;
                }
                "when" => {
                    first(&mut seen, 1)?;
                    r.condition(&mut rule.when)?;
                }
                "then" => {
                    first(&mut seen, 2)?;
                    r.effects(&mut rule.then)?;
                }
                _ => return None,
            }
            Some(())
        })?;
        // Every field is required.
        (seen == 0b111).then_some(())
    }

    /// Reads effects into `e`, which holds the defaults.
    fn effects(&mut self, e: &mut Effects) -> Read<()> {
        let mut seen = 0;
        let mut reason = None;
        self.object(|r, key| {
            match key {
                "focus" => {
                    first(&mut seen, 0)?;
                    e.focus = r.weights()?;
                }
                "challenges" => {
                    first(&mut seen, 1)?;
                    e.challenges = r.weights()?;
                }
                "phases" => {
                    first(&mut seen, 2)?;
                    e.phases = r.weights()?;
                }
                "therapy" => {
                    first(&mut seen, 3)?;
                    e.therapy = r.optional_string()?;
                }
                "online_therapy" => {
                    first(&mut seen, 4)?;
                    e.online_therapy = r.bool()?;
                }
                "safety" => {
                    first(&mut seen, 5)?;
                    e.safety = r.bool()?;
                }
                "suppress" => {
                    first(&mut seen, 6)?;
                    e.suppress = r.strings()?;
                }
                "reason" => {
                    first(&mut seen, 7)?;
                    reason = Some(r.string()?);
                }
                "shared_reason" => {
                    first(&mut seen, 8)?;
                    e.shared_reason = r.optional_string()?;
                }
                "view" => {
                    first(&mut seen, 9)?;
                    e.view = r.variant(&[("shared", View::Shared), ("own", View::Own)])?;
                }
                "neutral_plan" => {
                    first(&mut seen, 10)?;
                    e.neutral_plan = r.bool()?;
                }
                _ => return None,
            }
            Some(())
        })?;
        e.reason = reason?;
        Some(())
    }

    /// A map of weights by id; a repeated id gives up (serde refuses it).
    fn weights(&mut self) -> Read<BTreeMap<String, f64>> {
        let mut weights = BTreeMap::new();
        self.object(|r, key| {
            let weight = r.f64()?;
            match weights.entry(key.to_owned()) {
                Entry::Occupied(_) => None,
                Entry::Vacant(slot) => {
                    slot.insert(weight);
                    Some(())
                }
            }
        })?;
        Some(weights)
    }

    fn couple(&mut self) -> Read<CoupleSettings> {
        let mut seen = 0;
        let mut settings = CoupleSettings::default();
        self.object(|r, key| {
            match key {
                "shared_dimensions" => {
                    first(&mut seen, 0)?;
                    settings.shared_dimensions = r.strings()?;
                }
                "neutral_plan" => {
                    first(&mut seen, 1)?;
                    settings.neutral_plan = if r.null()? { None } else { Some(r.neutral_plan()?) };
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(settings)
    }

    fn neutral_plan(&mut self) -> Read<NeutralPlan> {
        let mut seen = 0;
        let (mut focus_areas, mut therapy_level, mut reason) = (Vec::new(), None, None);
        self.object(|r, key| {
            match key {
                "focus_areas" => {
                    first(&mut seen, 0)?;
                    focus_areas = r.strings()?;
                }
                "therapy_level" => {
                    first(&mut seen, 1)?;
                    therapy_level = Some(r.string()?);
                }
                "reason" => {
                    first(&mut seen, 2)?;
                    reason = Some(r.string()?);
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(NeutralPlan {
            focus_areas,
            therapy_level: therapy_level?,
            reason: reason?,
        })
    }

    // --- Conditions ---

    /// Reads a condition object into `c`, nested conditions in place.
    /// Every field may be `null` (absent), as for serde's reader.
    fn condition(&mut self, c: &mut Condition) -> Read<()> {
        let mut seen = 0;
        self.object(|r, key| {
            match key {
                "all" => {
                    first(&mut seen, 0)?;
                    c.all = r.condition_list()?;
                }
                "any" => {
                    first(&mut seen, 1)?;
                    c.any = r.condition_list()?;
                }
                "not" => {
                    first(&mut seen, 2)?;
                    if !r.null()? {
                        let mut inner = new_box();
                        r.condition(&mut inner)?;
                        c.not = Some(inner);
                    }
                }
                "of" => {
                    first(&mut seen, 3)?;
                    c.of = r.condition_list()?;
                }
                _ => r.leaf_field(c, key, &mut seen)?,
            }
            Some(())
        })
    }

    /// `null`, or a list of conditions, each read in place.
    fn condition_list(&mut self) -> Read<Option<Vec<Condition>>> {
        if self.null()? {
            return Some(None);
        }
        let mut list = Vec::new();
        self.list(|r| r.condition(new_slot(&mut list)))?;
        Some(Some(list))
    }

    /// Reads one field that holds no condition into `c`, in a frame of its
    /// own (gone before the next level of nesting is read).
    #[inline(never)]
    fn leaf_field(&mut self, c: &mut Condition, key: &str, seen: &mut u32) -> Read<()> {
        let ids = [
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
        if let Some(i) = ids.iter().position(|&id| id == key) {
            first(seen, 4 + i as u32)?;
            let slot = match i {
                0 => &mut c.score,
                1 => &mut c.band,
                2 => &mut c.raw,
                3 => &mut c.answer,
                4 => &mut c.context,
                5 => &mut c.answered,
                6 => &mut c.unanswered,
                7 => &mut c.gap,
                8 => &mut c.answer_gap,
                9 => &mut c.change,
                10 => &mut c.trend,
                11 => &mut c.previous_band,
                _ => &mut c.previous,
            };
            *slot = self.optional_string()?;
            return Some(());
        }
        let numbers = ["eq", "ne", "lt", "lte", "gt", "gte"];
        if let Some(i) = numbers.iter().position(|&op| op == key) {
            first(seen, 17 + i as u32)?;
            let slot = match i {
                0 => &mut c.eq,
                1 => &mut c.ne,
                2 => &mut c.lt,
                3 => &mut c.lte,
                4 => &mut c.gt,
                _ => &mut c.gte,
            };
            *slot = self.optional_f64()?;
            return Some(());
        }
        match key {
            "at_least" => {
                first(seen, 23)?;
                c.at_least = if self.null()? { None } else { Some(self.u32()?) };
            }
            "whose" => {
                first(seen, 24)?;
                c.whose = if self.null()? {
                    None
                } else {
                    Some(self.variant(&[("either", Whose::Either), ("both", Whose::Both)])?)
                };
            }
            "is" => {
                first(seen, 25)?;
                c.is = if self.null()? { None } else { Some(self.value()?) };
            }
            "in" => {
                first(seen, 26)?;
                c.in_ = if self.null()? {
                    None
                } else {
                    Some(self.vec(Self::value)?)
                };
            }
            _ => return None,
        }
        Some(())
    }
}

/// A new, empty condition at the end of `list`, made in a frame of its own
/// (a condition is a few hundred bytes; the recursion must not carry one).
#[inline(never)]
fn new_slot(list: &mut Vec<Condition>) -> &mut Condition {
    list.push(Condition::default());
    let last = list.len() - 1;
    &mut list[last]
}

/// A new rule at the end of `list`, every field empty or its default, to
/// read in place.
fn new_rule(list: &mut Vec<Rule>) -> &mut Rule {
    list.push(Rule {
        id: String::new(),
        when: Condition::default(),
        then: Effects::default(),
    });
    let last = list.len() - 1;
    &mut list[last]
}

/// An empty condition in a box, made in a frame of its own.
#[inline(never)]
fn new_box() -> Box<Condition> {
    Box::default()
}

/// The index of the first byte at or after `i` that is not a space, or
/// the length of `bytes`. Many bytes at a time: XOR with spaces leaves
/// the other bytes nonzero, and adding 0x7f to each byte's low bits (which
/// never carries into the next byte) sets the high bit of exactly those.
fn spaces_stop(bytes: &[u8], mut i: usize) -> usize {
    const LOWS: u128 = 0x7f7f_7f7f_7f7f_7f7f_7f7f_7f7f_7f7f_7f7f;
    const SPACES: u128 = 0x2020_2020_2020_2020_2020_2020_2020_2020;
    // Sixteen bytes at a time, which holds most indentation whole.
    while let Some(chunk) = bytes.get(i..i + 16) {
        let mut word = [0u8; 16];
        word.copy_from_slice(chunk);
        let other = u128::from_le_bytes(word) ^ SPACES;
        let hits = (((other & LOWS) + LOWS) | other) & !LOWS;
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 16;
    }
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

/// The index of the first `"`, `\\` or control character at or after `i`,
/// or the length of `bytes`; eight bytes at a time, as in `scan.rs`, with
/// bytes below 0x20 sought too.
fn string_stop(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = ONES * b'"' as u64;
    const BACKSLASHES: u64 = ONES * b'\\' as u64;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let (q, b) = (word ^ QUOTES, word ^ BACKSLASHES);
        let hits = ((q.wrapping_sub(ONES) & !q)
            | (b.wrapping_sub(ONES) & !b)
            | (word.wrapping_sub(ONES * 0x20) & !word))
            & HIGHS;
        if hits != 0 {
            // Bits above the lowest hit may be false; the lowest is exact.
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && !matches!(bytes[i], b'"' | b'\\' | 0..=0x1f) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::Limits;
    use crate::scan::scan;

    /// Checks the reader against serde on `json`: where serde refuses the
    /// pack the reader gives up, and where the reader reads it, serde reads
    /// the same. Returns whether the reader read it.
    fn agrees(json: &str) -> bool {
        let read = read_pack(json, Bounds::of_pack(&Limits::default())).map(|(pack, scanned)| {
            assert_eq!(
                Ok(scanned),
                scan(json.as_bytes(), Bounds::of_pack(&Limits::default()))
            );
            pack
        });
        match serde_json::from_str::<Pack>(json) {
            Ok(derived) => {
                if let Some(read) = &read {
                    assert_eq!(read, &derived, "{json}");
                    // `-0` and `0` are equal but hash differently.
                    let bits = |p: &Pack| serde_json::to_string(p).expect("serialises");
                    assert_eq!(bits(read), bits(&derived), "{json}");
                }
            }
            Err(error) => assert!(
                read.is_none(),
                "serde refuses ({error}) but the reader read {json}"
            ),
        }
        read.is_some()
    }

    fn edited(from: &str, to: &str) -> String {
        assert!(crate::DEFAULT_PACK_JSON.contains(from), "{from}");
        crate::DEFAULT_PACK_JSON.replacen(from, to, 1)
    }

    /// The default pack with the first rule's condition as written.
    fn with_condition(condition: &str) -> String {
        edited(r#""when": {"all": []}"#, &format!(r#""when": {condition}"#))
    }

    #[test]
    fn every_pack_of_the_repository_reads_as_serde_reads_it() {
        let packs = [
            crate::DEFAULT_PACK_JSON,
            include_str!("../../rules/examples/seven-item-screen.json"),
            include_str!("../../tests/data/minimal-pack.json"),
        ];
        for json in packs {
            assert!(agrees(json), "read directly");
        }
        // Compact, and with every object's keys sorted.
        let value: serde_json::Value = serde_json::from_str(crate::DEFAULT_PACK_JSON).expect("JSON");
        assert!(agrees(&value.to_string()));
    }

    #[test]
    fn strings_numbers_and_nulls_read_as_serde_reads_them() {
        let title = r#""title": "Rekindle: a relationship check-in""#;
        let weight = r#"{"value": "never", "label": "Never", "weight": 0}"#;
        for json in [
            edited(
                title,
                r#""title": "a \"quoted\" \u00e9 \ud83d\ude00 \\ \/ \n title""#,
            ),
            edited(title, r#""title": "caf\u00e9 ü""#),
            edited(r#""section": "s_talking""#, r#""section": null"#),
            edited(weight, r#"{"value": "never", "label": "Never", "weight": -0}"#),
            edited(weight, r#"{"value": "never", "label": "Never", "weight": 0.1}"#),
            edited(
                weight,
                r#"{"value": "never", "label": "Never", "weight": -2.5e-3}"#,
            ),
            edited(weight, r#"{"value": "never", "label": "Never", "weight": 1E2}"#),
            edited(
                weight,
                r#"{"weight": 123456789012345678901, "label": "Never", "value": "never"}"#,
            ),
            edited(
                weight,
                r#"{"value": "nev\u0065r", "label": "Never", "weight": 999999999999999}"#,
            ),
            edited(r#""format": 1"#, "\"format\"\t:\r\n1"),
            with_condition(r#"{"all": [], "any": null, "not": null, "of": null, "score": null, "eq": null}"#),
            with_condition(
                r#"{"answer": "q_misunderstandings", "in": ["often", "\u0061lways", 1, -0.5, true, null]}"#,
            ),
            with_condition(r#"{"not": {"answer": "q_misunderstandings", "is": "never", "whose": "either"}}"#),
            with_condition(
                r#"{"at_least": 1, "of": [{"score": "communication", "gte": 1e1}, {"answered": "q_misunderstandings"}]}"#,
            ),
            with_condition(r#"{"answer": "q_misunderstandings", "is": 3}"#),
            with_condition(r#"{"context": "married", "is": false, "whose": null, "at_least": null}"#),
        ] {
            assert!(agrees(&json), "read directly: {json}");
        }
    }

    #[test]
    fn anything_unusual_or_invalid_is_left_to_serde() {
        let title = r#""title": "Rekindle: a relationship check-in""#;
        let weight = r#""weight": 0}"#;
        for json in [
            // Valid, but left to serde.
            edited(title, r#""t\u0069tle": "T""#),
            edited(r#""kind": "options","#, r#""kind": "opti\u006fns","#),
            with_condition(r#"{"answer": "q_misunderstandings", "is": ["never"]}"#),
            with_condition(r#"{"answer": "q_misunderstandings", "is": {"a": 1}}"#),
            // Invalid, each its own way.
            edited(title, r#""title": null"#),
            edited(title, r#""title": "a", "title": "b""#),
            edited(title, r#""titel": "T""#),
            edited(title, "\"title\": \"tab\there\""),
            edited(r#""format": 1"#, r#""format": 1.0"#),
            edited(r#""format": 1"#, r#""format": -1"#),
            edited(r#""format": 1"#, r#""format": 01"#),
            edited(r#""format": 1"#, r#""format": 4294967296"#),
            edited(weight, r#""weight": 01}"#),
            edited(weight, r#""weight": +1}"#),
            edited(weight, r#""weight": 1.}"#),
            edited(weight, r#""weight": "0"}"#),
            edited(weight, r#""weight": 1e999}"#),
            edited(r#""id": "q_misunderstandings","#, ""),
            edited(r#""reverse": true"#, r#""reverse": 1"#),
            with_condition(r#"{"answer": "q_misunderstandings", "is": "never", "is": "never"}"#),
            with_condition(r#"{"answer": "q_misunderstandings", "whose": "all"}"#),
            with_condition(r#"{"answr": "q_misunderstandings"}"#),
            with_condition(r#"{"all": [], "all": null}"#),
            with_condition(r#"["all"]"#),
            with_condition("null"),
            format!("{} x", crate::DEFAULT_PACK_JSON),
            format!("[{}]", crate::DEFAULT_PACK_JSON),
            crate::DEFAULT_PACK_JSON[..crate::DEFAULT_PACK_JSON.len() - 3].to_owned(),
        ] {
            assert!(!agrees(&json), "left to serde: {json}");
        }
        assert!(!agrees(""));
        assert!(!agrees("{\"format\": 1"));
    }

    #[test]
    fn the_reader_keeps_the_scans_bounds() {
        let leaf = r#"{"answer": "q_misunderstandings", "in": ["often"]}"#;
        for (open, close) in [
            (r#"{"all": ["#, "]}"),
            (r#"{"not": "#, "}"),
            (r#"{"at_least": 1, "of": ["#, "]}"),
        ] {
            for levels in 1..60 {
                let condition = format!("{}{leaf}{}", open.repeat(levels), close.repeat(levels));
                let json = with_condition(&condition);
                let bounds = Bounds::of_pack(&Limits::default());
                let scanned = scan(json.as_bytes(), bounds);
                let read = read_pack(&json, bounds);
                assert_eq!(read.is_some(), scanned.is_ok(), "{levels} levels of {open}");
                if let Some((_, read)) = read {
                    assert_eq!(Ok(read), scanned);
                }
            }
        }
        let json = crate::DEFAULT_PACK_JSON;
        let containers = json.bytes().filter(|b| matches!(b, b'{' | b'[')).count();
        for limit in [containers - 1, containers] {
            let bounds = Bounds {
                containers: limit,
                ..Bounds::of_pack(&Limits::default())
            };
            assert_eq!(
                read_pack(json, bounds).is_some(),
                scan(json.as_bytes(), bounds).is_ok()
            );
        }
    }

    #[test]
    fn brackets_are_counted_in_blocks_and_after() {
        for n in 0..200 {
            let json: Vec<u8> = (0..n)
                .map(|i| [b'{', b'[', b'a', b'{' ^ 0x20, b'}', b']'][i % 6])
                .collect();
            let expected = json.iter().filter(|&&b| b == b'{' || b == b'[').count();
            assert_eq!(brackets(&json), expected, "{n}");
        }
    }

    #[test]
    fn spaces_stop_at_any_other_byte() {
        for n in 0..40 {
            for stop in [b'\n', b'\t', b'"', 0, 0x1f, 0x21, 0x7f, 0x80, 0xa0, 0xff] {
                let mut bytes = vec![b' '; n];
                bytes.push(stop);
                bytes.extend([b' '; 17]);
                assert_eq!(spaces_stop(&bytes, 0), n, "{n} {stop}");
                assert_eq!(spaces_stop(&bytes, n + 1), bytes.len(), "{n} {stop}");
            }
        }
        assert_eq!(spaces_stop(b"", 0), 0);
    }

    #[test]
    fn strings_stop_at_quotes_backslashes_and_control_characters() {
        for n in 0..20 {
            for stop in [b'"', b'\\', 0, 0x1f] {
                let mut bytes = "a\u{e9}".repeat(n).into_bytes();
                let at = bytes.len();
                bytes.push(stop);
                bytes.extend(b"\"bcdefghij");
                assert_eq!(string_stop(&bytes, 0), at, "{n} {stop}");
            }
        }
        assert_eq!(string_stop(b"abc", 0), 3);
    }
}
