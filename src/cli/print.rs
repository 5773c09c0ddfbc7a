//! The one printer: data to stdout, messages to stderr. How text is shaped
//! for a terminal (controls neutralised, spans marked) is the library's
//! [`dragoman::render`]; this only writes what it returns.

use std::io::Write as _;

use anyhow::Context as _;
use dragoman::render::{self, Message, Style};

use super::DataFormat;

/// Owns stdout: writes data, and knows (as its [`Style`]) what stdout is.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    pub style: Style,
}

impl Printer {
    /// Writes `text` to stdout as it is (shaped by [`dragoman::render`]).
    pub fn data(&self, text: &str) -> anyhow::Result<()> {
        let mut lock = std::io::stdout().lock();
        lock.write_all(text.as_bytes()).context("cannot write to stdout")?;
        lock.flush().context("cannot write to stdout")
    }

    /// A report as `--format` asks: `value` as JSON (a contract), or the
    /// text `text` renders in this printer's style.
    pub fn report(
        &self,
        format: DataFormat,
        value: &impl serde::Serialize,
        text: impl FnOnce(&Style) -> String,
    ) -> anyhow::Result<()> {
        self.either(format, || render::json(value), text)
    }

    /// The JSON `json` makes or the text `text` renders, as `--format`
    /// asks; only the one asked for is made (a memory's may be large).
    pub fn either(
        &self,
        format: DataFormat,
        json: impl FnOnce() -> String,
        text: impl FnOnce(&Style) -> String,
    ) -> anyhow::Result<()> {
        self.data(&match format {
            DataFormat::Json => json(),
            DataFormat::Text => text(&self.style),
        })
    }
}

/// Each warning to stderr in the house format.
pub fn warnings(warnings: &[String]) {
    messages(warnings.iter().cloned().map(Message::Warning).collect());
}

/// A note to stderr (what a command did).
pub fn note(message: impl std::fmt::Display) {
    eprintln!("{}", render::one_line(&message.to_string()));
}

/// Warnings (in the house format) and notes to stderr, in order.
pub fn messages(messages: Vec<Message>) {
    for message in messages {
        match message {
            Message::Warning(text) => eprintln!("dragoman: warning: {}", render::one_line(&text)),
            Message::Note(text) => note(text),
        }
    }
}
