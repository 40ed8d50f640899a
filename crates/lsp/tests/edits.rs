//! Random edit sequences, sent as an editor sends them (incremental changes
//! in UTF-16 positions, some past the end of their line): the server never
//! panics, never stops answering, and its copy of the text stays the
//! editor's — its last diagnostics are exactly those of the editor's final
//! text analysed whole.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use common::Client;
use keyward_lsp::Encoding;
use keyward_lsp::{analyse, Input, Kind};
use proptest::prelude::*;
use serde_json::json;

const START: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Sid\": \"Zugriff für 🔑\", \"Effect\": \"Allow\",\n    \"Principal\": \"*\", \"Action\": [\"kms:Decrypt\", \"kms:Encrpyt\"], \"Resource\": \"*\",\n    \"Condition\": {\"StringEquals\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}}]\n}\n";

/// One edit: replace the characters `start..start+len` (as fractions of the
/// text, so they fit whatever it has become) with `insert`.
#[derive(Clone, Debug)]
struct Edit {
    start: f64,
    len: usize,
    insert: String,
    /// Send the end column past the end of its line (the server clamps).
    overshoot: bool,
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        0.0..1.0f64,
        0usize..24,
        "[{}\\[\\]\":,a-zA-Z0-9 *é🔑\\n]{0,10}",
        any::<bool>(),
    )
        .prop_map(|(start, len, insert, overshoot)| Edit {
            start,
            len,
            insert,
            overshoot,
        })
}

/// (line, UTF-16 column) of character index `at` — counted here, apart
/// from the server's own code.
fn position(text: &str, at: usize) -> (u32, u32) {
    let mut line = 0;
    let mut column = 0;
    for c in text.chars().take(at) {
        if c == '\n' {
            line += 1;
            column = 0;
        } else {
            column += c.len_utf16() as u32;
        }
    }
    (line, column)
}

fn at_line_end(text: &str, at: usize) -> bool {
    text.chars().nth(at).is_none_or(|c| c == '\n')
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn the_server_keeps_the_editors_text_and_keeps_answering(edits in prop::collection::vec(edit(), 1..24)) {
        let uri = "file:///nowhere/edited.json";
        let mut client = Client::start(json!({}));
        client.open(uri, START, 1);
        let mut text = START.to_string();
        for (i, e) in edits.iter().enumerate() {
            let chars = text.chars().count();
            let start = ((e.start * chars as f64) as usize).min(chars);
            let end = (start + e.len).min(chars);
            let from = position(&text, start);
            let mut to = position(&text, end);
            if e.overshoot && at_line_end(&text, end) {
                to.1 += 7;
            }
            client.change(uri, i as i64 + 2, (from, to), &e.insert);
            let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
            text.replace_range(bytes[start]..bytes[end], &e.insert);
            // Ask something mid-burst now and then: an answer must come.
            if i % 5 == 0 {
                let (line, character) = position(&text, start);
                let hover = client.request(
                    "textDocument/hover",
                    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
                );
                prop_assert!(hover.error.is_none(), "{:?}", hover.error);
                let completion = client.request(
                    "textDocument/completion",
                    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
                );
                prop_assert!(completion.error.is_none(), "{:?}", completion.error);
            }
        }
        let last = edits.len() as i64 + 1;
        let published = client.diagnostics(uri, last);
        // When the text no longer says what it is (no key at its root), the
        // kind of the last analysis holds; which one that was depends on
        // timing, so either answer is the text's own.
        let whole = |previous: Option<Kind>| {
            let analysis = analyse(&Input {
                uri: uri.parse().unwrap(),
                version: last as i32,
                text: Arc::from(text.as_str()),
                previous,
                encoding: Encoding::Utf16,
                open: HashMap::new(),
            });
            serde_json::to_value(&analysis.diagnostics).unwrap()
        };
        let published = json!(published);
        prop_assert!(
            published == whole(Some(Kind::Lintable)) || published == whole(None),
            "published {} for the text {:?}", published, text
        );
        prop_assert_eq!(client.stop(), Ok(()));
    }
}
