//! Scoring: validated answers into 0-100 dimension scores and bands.
//!
//! An item's score is the chosen option's weight, the number given, or 1 for
//! yes and 0 for no. A reverse-keyed question scores `lo + hi - value`, where
//! `lo` and `hi` are the lowest and highest score the question allows.
//!
//! - `sum`: the weighted sum over all items, a missing item counting as its
//!   `lo`; normalised so the lowest possible total is 0 and the highest 100.
//! - `mean`: the weighted mean over answered items (prorated), normalised
//!   over the same answered items' `lo` and `hi`.
//!
//! With fewer than `min_answered` items answered the score is absent.
//! Scores and raw values are rounded to six decimal places, so that a band
//! edge written as `34` catches a mean that works out to 34.
//!
//! The raw value is the weighted sum (`sum`) or weighted mean (`mean`) of
//! item scores; bands on the `raw` scale compare it, as published
//! questionnaires state their cut-offs on raw totals.

use crate::compile::{DimensionModel, Program, QuestionKind, QuestionModel};
use crate::pack::{BandScale, ScoreMethod};

/// A validated answer: the option index, the number, or yes/no.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Given {
    Option(usize),
    Number(f64),
    Bool(bool),
}

impl Given {
    /// The item score before reverse keying: the option weight, the number,
    /// or 1 for yes and 0 for no.
    pub(crate) fn value(self, question: &QuestionModel) -> f64 {
        match (self, &question.kind) {
            (Given::Option(i), QuestionKind::Options { weights, .. }) => {
                weights.get(i).copied().unwrap_or(0.0)
            }
            (Given::Number(n), _) => n,
            (Given::Bool(b), _) => f64::from(u8::from(b)),
            (Given::Option(_), _) => 0.0,
        }
    }

    /// The item score after reverse keying.
    fn keyed(self, question: &QuestionModel) -> f64 {
        let value = self.value(question);
        if question.reverse {
            question.lo + question.hi - value
        } else {
            value
        }
    }
}

/// The outcome of scoring one dimension.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Scored {
    pub(crate) score: Option<f64>,
    pub(crate) raw: Option<f64>,
    pub(crate) band: Option<usize>,
    pub(crate) answered: usize,
}

/// Scores every dimension of the program.
pub(crate) fn score_all(program: &Program, answers: &[Option<Given>], out: &mut Vec<Scored>) {
    out.clear();
    out.extend(
        program
            .dimensions
            .iter()
            .map(|dim| score_dimension(dim, &program.questions, answers)),
    );
}

fn score_dimension(dim: &DimensionModel, questions: &[QuestionModel], answers: &[Option<Given>]) -> Scored {
    let (mut total, mut lo_total, mut hi_total, mut weight_total) = (0.0, 0.0, 0.0, 0.0);
    let mut answered = 0;
    for &(q, w) in &dim.items {
        let question = &questions[q];
        match answers[q] {
            Some(given) => {
                answered += 1;
                total += w * given.keyed(question);
                lo_total += w * question.lo;
                hi_total += w * question.hi;
                weight_total += w;
            }
            None if dim.method == ScoreMethod::Sum => {
                total += w * question.lo;
                lo_total += w * question.lo;
                hi_total += w * question.hi;
            }
            None => {}
        }
    }
    if answered < dim.min_answered || answered == 0 || hi_total <= lo_total {
        return Scored {
            score: None,
            raw: None,
            band: None,
            answered,
        };
    }
    let score = round6(((total - lo_total) / (hi_total - lo_total) * 100.0).clamp(0.0, 100.0));
    let raw = round6(match dim.method {
        ScoreMethod::Sum => total,
        ScoreMethod::Mean => total / weight_total,
    });
    banded(dim, score, raw, answered)
}

/// A present score with its band, on the scale the dimension bands.
fn banded(dim: &DimensionModel, score: f64, raw: f64, answered: usize) -> Scored {
    let on_scale = match dim.band_scale {
        BandScale::Score => score,
        BandScale::Raw => raw,
    };
    Scored {
        score: Some(score),
        raw: Some(raw),
        band: band_of(dim, on_scale),
        answered,
    }
}

/// A couple's score on a dimension: the mean of both partners' score and
/// raw value, banded like a person's; absent when either is absent.
pub(crate) fn couple_score(dim: &DimensionModel, a: &Scored, b: &Scored) -> Scored {
    let answered = a.answered.min(b.answered);
    let (Some(sa), Some(sb), Some(ra), Some(rb)) = (a.score, b.score, a.raw, b.raw) else {
        return Scored {
            score: None,
            raw: None,
            band: None,
            answered,
        };
    };
    banded(dim, round6((sa + sb) / 2.0), round6((ra + rb) / 2.0), answered)
}

/// The band containing `value`: `[min, next min)`, the last band closed.
pub(crate) fn band_of(dim: &DimensionModel, value: f64) -> Option<usize> {
    if dim.band_mins.is_empty() || value > dim.band_top {
        return None;
    }
    dim.band_mins.iter().rposition(|&min| value >= min)
}

fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(lo: f64, hi: f64, reverse: bool) -> QuestionModel {
        QuestionModel {
            kind: QuestionKind::Range {
                min: lo,
                max: hi,
                step: None,
            },
            reverse,
            lo,
            hi,
        }
    }

    fn dimension(method: ScoreMethod, min_answered: usize, band_mins: Vec<f64>) -> DimensionModel {
        DimensionModel {
            items: vec![(0, 1.0), (1, 1.0), (2, 2.0)],
            method,
            min_answered,
            band_scale: BandScale::Score,
            band_mins,
            band_top: 100.0,
            meaningful_change: 10.0,
            lower_is_better: true,
        }
    }

    fn questions() -> Vec<QuestionModel> {
        vec![
            question(0.0, 4.0, false),
            question(0.0, 4.0, true),
            question(1.0, 5.0, false),
        ]
    }

    #[test]
    fn mean_is_prorated_over_answered_items() {
        let dim = dimension(ScoreMethod::Mean, 2, vec![]);
        let answers = [Some(Given::Number(4.0)), None, Some(Given::Number(1.0))];
        let scored = score_dimension(&dim, &questions(), &answers);
        // (4 + 2*1) / 3 = 2 over answered lo (0 + 2*1)/3 and hi (4 + 2*5)/3.
        assert_eq!(scored.answered, 2);
        assert_eq!(scored.raw, Some(2.0));
        assert_eq!(scored.score, Some(round6((6.0 - 2.0) / (14.0 - 2.0) * 100.0)));
    }

    #[test]
    fn sum_counts_missing_items_as_their_lowest() {
        let dim = dimension(ScoreMethod::Sum, 1, vec![]);
        let answers = [Some(Given::Number(4.0)), None, None];
        let scored = score_dimension(&dim, &questions(), &answers);
        // total 4 + 0 + 2*1 = 6, range 2..=18
        assert_eq!(scored.raw, Some(6.0));
        assert_eq!(scored.score, Some(25.0));
    }

    #[test]
    fn reverse_keying_flips_within_the_question_range() {
        let dim = dimension(ScoreMethod::Mean, 1, vec![]);
        let answers = [None, Some(Given::Number(1.0)), None];
        assert_eq!(score_dimension(&dim, &questions(), &answers).score, Some(75.0));
    }

    #[test]
    fn too_few_answers_leave_the_score_absent() {
        let dim = dimension(ScoreMethod::Mean, 3, vec![0.0, 50.0]);
        let answers = [Some(Given::Number(4.0)), None, Some(Given::Number(5.0))];
        let scored = score_dimension(&dim, &questions(), &answers);
        assert_eq!((scored.score, scored.band, scored.answered), (None, None, 2));
    }

    #[test]
    fn bands_are_half_open_and_the_last_is_closed() {
        let dim = dimension(ScoreMethod::Mean, 1, vec![0.0, 34.0, 67.0]);
        assert_eq!(band_of(&dim, 0.0), Some(0));
        assert_eq!(band_of(&dim, 33.999999), Some(0));
        assert_eq!(band_of(&dim, 34.0), Some(1));
        assert_eq!(band_of(&dim, 100.0), Some(2));
        assert_eq!(band_of(&dim, 100.5), None);
    }

    #[test]
    fn rounding_lands_band_edges_where_authors_wrote_them() {
        // 1.36 / 4 * 100 is 34.00000000000001 in floating point.
        assert_eq!(round6(1.36 / 4.0 * 100.0), 34.0);
    }
}
