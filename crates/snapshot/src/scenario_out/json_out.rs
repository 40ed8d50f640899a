//! The scenario's JSON text: members in the order written, policies
//! spliced in as keyward's normalized text.

/// A JSON value to print, with policies spliced in as normalized text.
pub(super) enum Node {
    Str(String),
    Bool(bool),
    Raw(String),
    Arr(Vec<Node>),
    Obj(Vec<(String, Node)>),
}

impl Node {
    pub(super) fn write(&self, out: &mut String, indent: usize) {
        let pad = |n: usize| "  ".repeat(n);
        match self {
            Node::Str(s) => out.push_str(&serde_json::Value::String(s.clone()).to_string()),
            Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Node::Raw(text) => {
                let mut lines = text.trim_end().lines();
                if let Some(first) = lines.next() {
                    out.push_str(first);
                }
                for line in lines {
                    out.push('\n');
                    out.push_str(&pad(indent));
                    out.push_str(line);
                }
            }
            Node::Arr(items) if items.is_empty() => out.push_str("[]"),
            Node::Obj(members) if members.is_empty() => out.push_str("{}"),
            Node::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    out.push_str(&pad(indent + 1));
                    item.write(out, indent + 1);
                }
                out.push('\n');
                out.push_str(&pad(indent));
                out.push(']');
            }
            Node::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    out.push_str(&pad(indent + 1));
                    out.push_str(&serde_json::Value::String(k.clone()).to_string());
                    out.push_str(": ");
                    v.write(out, indent + 1);
                }
                out.push('\n');
                out.push_str(&pad(indent));
                out.push('}');
            }
        }
    }
}

pub(super) fn pairs(list: &[(String, String)]) -> Node {
    Node::Obj(
        list.iter()
            .map(|(k, v)| (k.clone(), Node::Str(v.clone())))
            .collect(),
    )
}
