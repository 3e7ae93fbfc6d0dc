//! Security questions. NIST SP 800-63B forbids them as an authenticator, so ellis uses the answers only as
//! one extra proof in lost-factor recovery and support-desk identity checks, never alone (DESIGN.md §4).

/// How many questions an account answers.
pub const REQUIRED_ANSWERS: usize = 3;

pub struct Question {
    pub id: i64,
    pub text: &'static str,
}

/// The catalogue the applicant chooses from. Ids are stored with the answers: never renumber.
pub const QUESTIONS: &[Question] = &[
    Question { id: 1, text: "What was the name of your first pet?" },
    Question { id: 2, text: "In what city did your parents meet?" },
    Question { id: 3, text: "What was the first name of your childhood best friend?" },
    Question { id: 4, text: "What was the name of the street you lived on as a child?" },
    Question { id: 5, text: "What was the name of your first teacher?" },
    Question { id: 6, text: "What was the make of your first car or bicycle?" },
    Question { id: 7, text: "What is the middle name of your oldest sibling?" },
    Question { id: 8, text: "In what town was your first job?" },
    Question { id: 9, text: "What was your favorite food as a child?" },
    Question { id: 10, text: "What is the name of the hospital where you were born?" },
];

pub fn find(id: i64) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.id == id)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("Answer exactly 3 different questions")]
    WrongCount,
    #[error("Choose each question only once")]
    Repeated,
    #[error("Unknown question")]
    UnknownQuestion,
    #[error("An answer needs at least 3 letters or digits")]
    TooShort,
    #[error("An answer has at most 100 characters")]
    TooLong,
}

/// Lower-cases, keeps letters and digits, and collapses the rest, so "  Fido! " and "fido" match.
pub fn normalise_answer(answer: &str) -> Result<String, AnswerError> {
    if answer.chars().count() > 100 {
        return Err(AnswerError::TooLong);
    }
    let words: Vec<String> =
        answer.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let normalised = words.join(" ");
    if normalised.chars().filter(|c| c.is_alphanumeric()).count() < 3 {
        return Err(AnswerError::TooShort);
    }
    Ok(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_at_least_eight_distinct_questions() {
        assert!(QUESTIONS.len() >= 8);
        let mut ids: Vec<_> = QUESTIONS.iter().map(|q| q.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), QUESTIONS.len());
    }

    #[test]
    fn answers_match_regardless_of_case_spacing_and_punctuation() {
        assert_eq!(normalise_answer("  Fido! ").unwrap(), "fido");
        assert_eq!(normalise_answer("San  José, CA").unwrap(), normalise_answer("san josé ca").unwrap());
        assert_eq!(normalise_answer("a!"), Err(AnswerError::TooShort));
    }
}
