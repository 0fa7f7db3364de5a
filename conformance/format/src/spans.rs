//! Where every key and value of a scenario file is: a YAML pass that keeps spans (serde_yaml_ng
//! keeps none), so a diagnostic about `steps[2].expect.status` points at that value's line.
//!
//! Paths are written as serde reports them: `steps[2].expect.json.$.kyc_data[0].status`; keys may
//! themselves hold dots and brackets (JSONPath keys), so a map matches the longest key that fits.

use saphyr_parser::{Event, Parser, Span as YamlSpan};

/// A position in the text: 1-based line and column, and the width in characters to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Characters covered (at least 1).
    pub width: usize,
}

impl Span {
    fn of(span: &YamlSpan) -> Self {
        let (start, end) = (span.start, span.end);
        let width = if end.line() == start.line() { end.col().saturating_sub(start.col()) } else { 1 };
        Span { line: start.line().max(1), column: start.col() + 1, width: width.max(1) }
    }
}

/// One node of the file: a scalar, a list or a map, with its span.
#[derive(Debug, Clone)]
pub struct Node {
    /// Where the node is (for a map or list, where it starts).
    pub span: Span,
    /// What it holds.
    pub kind: NodeKind,
}

/// The kinds of node.
#[derive(Debug, Clone)]
pub enum NodeKind {
    /// A scalar's text.
    Scalar(String),
    /// A list.
    Seq(Vec<Node>),
    /// A map: each key's text and span, then its value.
    Map(Vec<(String, Span, Node)>),
    /// An alias (`*name`) or an empty document.
    Other,
}

/// Where a path leads: the key that names it (when it is a map entry) and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    /// The key's span, for a map entry.
    pub key: Option<Span>,
    /// The value's span.
    pub value: Span,
}

/// A YAML syntax error: where, and the parser's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the parser stopped.
    pub span: Span,
    /// What it said.
    pub info: String,
}

/// The spans of a whole file.
#[derive(Debug, Clone)]
pub struct SpanTree {
    root: Option<Node>,
}

impl SpanTree {
    /// Reads `text`; a syntax error is returned with its position.
    pub fn parse(text: &str) -> Result<Self, SyntaxError> {
        let mut parser = Parser::new_from_str(text);
        let mut stack: Vec<Builder> = Vec::new();
        let mut root = None;
        while let Some(event) = parser.next_event() {
            let (event, span) = event.map_err(|e| SyntaxError {
                span: Span { line: e.marker().line().max(1), column: e.marker().col() + 1, width: 1 },
                info: e.info().to_owned(),
            })?;
            let span = Span::of(&span);
            let finished = match event {
                Event::Scalar(text, ..) => Some(Node { span, kind: NodeKind::Scalar(text.into_owned()) }),
                Event::Alias(_) => Some(Node { span, kind: NodeKind::Other }),
                Event::SequenceStart(..) => {
                    stack.push(Builder::Seq(span, Vec::new()));
                    None
                }
                Event::MappingStart(..) => {
                    stack.push(Builder::Map(span, Vec::new(), None));
                    None
                }
                Event::SequenceEnd | Event::MappingEnd => stack.pop().map(Builder::finish),
                _ => None,
            };
            if let Some(node) = finished {
                match stack.last_mut() {
                    Some(parent) => parent.add(node),
                    None => root = root.or(Some(node)),
                }
            }
        }
        Ok(Self { root })
    }

    /// The key and value `path` leads to (`steps[1].expect.status`), if the file has it.
    pub fn locate(&self, path: &str) -> Option<Located> {
        let mut node = self.root.as_ref()?;
        let mut key = None;
        let mut rest = path.trim_start_matches('.');
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('[') {
                let (index, tail) = after.split_once(']')?;
                let NodeKind::Seq(items) = &node.kind else { return None };
                node = items.get(index.parse::<usize>().ok()?)?;
                key = None;
                rest = tail.trim_start_matches('.');
                continue;
            }
            let NodeKind::Map(entries) = &node.kind else { return None };
            let (name, key_span, value) = entries
                .iter()
                .filter(|(name, ..)| {
                    rest.strip_prefix(name.as_str())
                        .is_some_and(|tail| tail.is_empty() || tail.starts_with('.') || tail.starts_with('['))
                })
                .max_by_key(|(name, ..)| name.len())?;
            key = Some(*key_span);
            node = value;
            rest = rest[name.len()..].trim_start_matches('.');
        }
        Some(Located { key, value: node.span })
    }

    /// The value at `path`, as a node.
    pub fn node(&self, path: &str) -> Option<&Node> {
        let located = self.locate(path)?;
        // Walk again to return the node (locate keeps only spans, which is what most callers need).
        fn find(node: &Node, span: Span) -> Option<&Node> {
            if node.span == span {
                return Some(node);
            }
            match &node.kind {
                NodeKind::Seq(items) => items.iter().find_map(|n| find(n, span)),
                NodeKind::Map(entries) => entries.iter().find_map(|(_, _, n)| find(n, span)),
                _ => None,
            }
        }
        find(self.root.as_ref()?, located.value)
    }

    /// The line each step starts on (`steps[i]`), in order.
    pub fn step_lines(&self) -> Vec<usize> {
        match self.node("steps").map(|n| &n.kind) {
            Some(NodeKind::Seq(items)) => items.iter().map(|n| n.span.line).collect(),
            _ => Vec::new(),
        }
    }

    /// Every scalar under `path` with its own path (`steps[0].json.name`), for checks on
    /// interpolation; keys are included as scalars at the key's path with `#key` appended.
    pub fn scalars(&self, path: &str) -> Vec<(String, String, Span)> {
        let mut out = Vec::new();
        if let Some(node) = self.node(path) {
            collect(node, path, &mut out);
        }
        out
    }
}

fn collect(node: &Node, path: &str, out: &mut Vec<(String, String, Span)>) {
    match &node.kind {
        NodeKind::Scalar(text) => out.push((path.to_owned(), text.clone(), node.span)),
        NodeKind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, &format!("{path}[{i}]"), out);
            }
        }
        NodeKind::Map(entries) => {
            for (key, key_span, value) in entries {
                let inner = format!("{path}.{key}");
                out.push((format!("{inner}#key"), key.clone(), *key_span));
                collect(value, &inner, out);
            }
        }
        NodeKind::Other => {}
    }
}

/// A list or map being read.
enum Builder {
    Seq(Span, Vec<Node>),
    Map(Span, Vec<(String, Span, Node)>, Option<(String, Span)>),
}

impl Builder {
    fn add(&mut self, node: Node) {
        match self {
            Builder::Seq(_, items) => items.push(node),
            Builder::Map(_, entries, pending) => match pending.take() {
                Some((key, span)) => entries.push((key, span, node)),
                None => {
                    let key = match &node.kind {
                        NodeKind::Scalar(text) => text.clone(),
                        _ => String::new(),
                    };
                    *pending = Some((key, node.span));
                }
            },
        }
    }

    fn finish(self) -> Node {
        match self {
            Builder::Seq(span, items) => Node { span, kind: NodeKind::Seq(items) },
            Builder::Map(span, entries, _) => Node { span, kind: NodeKind::Map(entries) },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lead_to_the_key_and_value_even_through_jsonpath_keys() {
        let text = "name: x\nsteps:\n  - path: /a\n    parallel: 0\n  - path: /b\n    expect:\n      json:\n        $.a[0].b: 1\n";
        let tree = SpanTree::parse(text).unwrap_or_else(|e| panic!("{e:?}"));
        let parallel = tree.locate("steps[0].parallel").unwrap_or_else(|| panic!("no parallel"));
        assert_eq!(parallel.key, Some(Span { line: 4, column: 5, width: 8 }));
        assert_eq!(parallel.value, Span { line: 4, column: 15, width: 1 });
        let json = tree.locate("steps[1].expect.json.$.a[0].b").unwrap_or_else(|| panic!("no json key"));
        assert_eq!(json.key.map(|s| s.line), Some(8));
        assert_eq!(tree.step_lines(), vec![3, 5]);
        assert!(tree.locate("steps[2]").is_none());
    }

    #[test]
    fn a_syntax_error_carries_its_position() {
        let error = SpanTree::parse("a:\n\t- b\n").err().unwrap_or_else(|| panic!("tabs parsed"));
        assert_eq!(error.span.line, 2);
    }
}
