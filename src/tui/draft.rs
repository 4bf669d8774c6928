//! What is being typed when a signal stops the program (SIGTERM, SIGHUP: a closed terminal
//! window): the application says, once the terminal is back, which form held unsaved typing, so
//! that nothing is lost without a word. (What was typed is not written anywhere: it may name a
//! child, and a file of drafts would be one more place holding children's details.)

use std::sync::Mutex;

static UNSAVED: Mutex<Option<String>> = Mutex::new(None);

/// The title of the form with unsaved typing, or `None`: set after every batch of keys.
pub fn note(form: Option<String>) {
    *UNSAVED.lock().unwrap_or_else(|e| e.into_inner()) = form;
}

/// The words for the person, if a form held unsaved typing.
pub fn lost() -> Option<String> {
    let form = UNSAVED.lock().unwrap_or_else(|e| e.into_inner()).clone()?;
    Some(format!(
        "caseload was stopped with the form \"{}\" open: what was typed there was not saved. \
         Start caseload again and type it again.",
        crate::domain::text::shown(form.trim())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_with_unsaved_typing_is_named_and_none_is_silent() {
        note(Some(" Add a note or contact ".into()));
        assert!(
            lost().unwrap().contains("\"Add a note or contact\" open: what was typed there was not saved")
        );
        note(None);
        assert_eq!(lost(), None);
    }
}
