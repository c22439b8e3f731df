//! An incoming e-mail as the CRM takes it in (SPEC I4): what `io::email` reads out of a
//! message and `Store::intake_email` turns into a lead or a comment. Plain data, so the
//! format (io) and the store each depend on this and not on one another.

/// What Prospect takes from a message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    /// Message-ID, or a key made of the date, sender and subject when it has none.
    pub key: String,
    /// Sender's display name.
    pub from_name: Option<String>,
    /// Sender's address.
    pub from_address: Option<String>,
    /// Subject.
    pub subject: Option<String>,
    /// Plain-text body (HTML-only messages are converted).
    pub body: String,
    /// Date header, unix ms.
    pub date: Option<i64>,
}
