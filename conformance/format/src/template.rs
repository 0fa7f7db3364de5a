//! The text of values: `{{name}}` placeholders (read the same way by `check` and by the runner),
//! the foreign syntaxes people bring from other tools (`${name}`, `{name}`), and the arithmetic of
//! predicate bounds (`lt: "{{before}} - 100"`).
//!
//! The arithmetic is a forty-line recursive descent over `+ - * / ( )` and numbers, written by hand:
//! the expression crates (evalexpr, meval) bring variables, functions and types we do not want
//! scenarios to depend on.

/// The generated values a scenario can use, as `{{$name}}`.
pub const GENERATORS: &[&str] =
    &["$uuid", "$name", "$first_name", "$last_name", "$email", "$amount", "$int", "$today", "$now"];

/// Variables the runner sets itself: the webhook receiver's URL and, for PTI, the keys its
/// webhooks are opened with (learnt from the twin, or given with `--vars`).
pub const RUNNER_VARS: &[&str] = &["webhook_url", "pti_public_jwk", "pti_webhook_public_pem"];

/// A piece of a value's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Literal text.
    Text(&'a str),
    /// A placeholder's name (trimmed), and the byte offset of its `{{`.
    Var(&'a str, usize),
}

/// A placeholder that does not close: the byte offset of its `{{`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unclosed(pub usize);

/// Splits `text` into literal text and `{{name}}` placeholders.
pub fn pieces(text: &str) -> Result<Vec<Piece<'_>>, Unclosed> {
    let mut out = Vec::new();
    let mut offset = 0;
    while let Some(start) = text[offset..].find("{{").map(|s| s + offset) {
        if start > offset {
            out.push(Piece::Text(&text[offset..start]));
        }
        let after = start + 2;
        let end = text[after..].find("}}").map(|e| e + after).ok_or(Unclosed(start))?;
        // `{{a {{b}}`: the first `{{` never closed.
        if text[after..end].contains("{{") {
            return Err(Unclosed(start));
        }
        out.push(Piece::Var(text[after..end].trim(), start));
        offset = end + 2;
    }
    if offset < text.len() {
        out.push(Piece::Text(&text[offset..]));
    }
    Ok(out)
}

/// The name of a placeholder that is the whole text (`"{{amount}}"`), which keeps its value's type.
pub fn lone_placeholder(text: &str) -> Option<&str> {
    match pieces(text.trim()).ok()?.as_slice() {
        [Piece::Var(name, _)] => Some(name),
        _ => None,
    }
}

/// A placeholder written in another tool's syntax, which the runner would send as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foreign {
    /// Byte offset of its first character.
    pub offset: usize,
    /// Its text (`${user_id}`).
    pub text: String,
    /// The name inside.
    pub name: String,
}

/// `${name}` and `{name}` in `text` outside `{{ }}` placeholders.
pub fn foreign(text: &str) -> Vec<Foreign> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' && bytes.get(i + 1) == Some(&b'{') {
            // Skip a whole `{{ ... }}`.
            i = text[i..].find("}}").map_or(bytes.len(), |end| i + end + 2);
            continue;
        }
        if bytes[i] == b'{' && (i == 0 || bytes[i - 1] != b'{') {
            let name_len = text[i + 1..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
            let close = i + 1 + name_len;
            let identifier = name_len > 0 && !bytes[i + 1].is_ascii_digit();
            if identifier && bytes.get(close) == Some(&b'}') && bytes.get(close + 1) != Some(&b'}') {
                let start = if i > 0 && bytes[i - 1] == b'$' { i - 1 } else { i };
                out.push(Foreign {
                    offset: start,
                    text: text[start..=close].to_owned(),
                    name: text[i + 1..close].to_owned(),
                });
                i = close + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Evaluates `+ - * /` and parentheses over numbers: `1700000000 - 100`, `(3 + 4) * 2`.
pub fn evaluate(expression: &str) -> Result<f64, String> {
    let tokens = tokenize(expression)?;
    let mut parser = Arithmetic { tokens: &tokens, at: 0 };
    let value = parser.sum()?;
    if parser.at != tokens.len() {
        return Err(format!("`{expression}` is not arithmetic on numbers (stopped at token {})", parser.at + 1));
    }
    Ok(value)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Number(f64),
    Op(u8),
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        match c {
            ' ' | '\t' => {}
            '+' | '-' | '*' | '/' | '(' | ')' => tokens.push(Token::Op(c as u8)),
            '0'..='9' | '.' => {
                let mut end = start + 1;
                while let Some((i, d)) = chars.peek().copied() {
                    let exponent_sign = (d == '-' || d == '+') && text[..i].ends_with(['e', 'E']);
                    if d.is_ascii_digit() || d == '.' || d == 'e' || d == 'E' || exponent_sign {
                        end = i + 1;
                        chars.next();
                    } else {
                        break;
                    }
                }
                let number = text[start..end]
                    .parse::<f64>()
                    .map_err(|_| format!("`{}` in `{text}` is not a number", &text[start..end]))?;
                tokens.push(Token::Number(number));
            }
            other => {
                return Err(format!(
                    "`{text}` is not arithmetic on numbers (`{other}` is neither a digit nor + - * / ( ))"
                ))
            }
        }
    }
    Ok(tokens)
}

struct Arithmetic<'a> {
    tokens: &'a [Token],
    at: usize,
}

impl Arithmetic<'_> {
    fn peek(&self) -> Option<Token> {
        self.tokens.get(self.at).copied()
    }

    fn sum(&mut self) -> Result<f64, String> {
        let mut value = self.product()?;
        while let Some(Token::Op(op @ (b'+' | b'-'))) = self.peek() {
            self.at += 1;
            let right = self.product()?;
            value = if op == b'+' { value + right } else { value - right };
        }
        Ok(value)
    }

    fn product(&mut self) -> Result<f64, String> {
        let mut value = self.factor()?;
        while let Some(Token::Op(op @ (b'*' | b'/'))) = self.peek() {
            self.at += 1;
            let right = self.factor()?;
            value = if op == b'*' { value * right } else { value / right };
        }
        Ok(value)
    }

    fn factor(&mut self) -> Result<f64, String> {
        let token = self.peek().ok_or("an expression ends where a number was expected")?;
        self.at += 1;
        match token {
            Token::Number(n) => Ok(n),
            Token::Op(b'-') => Ok(-self.factor()?),
            Token::Op(b'(') => {
                let value = self.sum()?;
                match self.peek() {
                    Some(Token::Op(b')')) => {
                        self.at += 1;
                        Ok(value)
                    }
                    _ => Err("a `(` without its `)`".into()),
                }
            }
            Token::Op(op) => Err(format!("`{}` where a number was expected", op as char)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_split_and_an_unclosed_one_is_found() {
        assert_eq!(pieces("/u/{{ id }}/x"), Ok(vec![Piece::Text("/u/"), Piece::Var("id", 3), Piece::Text("/x")]));
        assert_eq!(pieces("{{user_id}"), Err(Unclosed(0)));
        assert_eq!(pieces("a {{b {{c}}"), Err(Unclosed(2)));
        assert_eq!(lone_placeholder(" {{amount}} "), Some("amount"));
        assert_eq!(lone_placeholder("{{a}}{{b}}"), None);
    }

    #[test]
    fn foreign_placeholders_are_found_outside_ours() {
        let found = foreign("/users/${user_id}/x/{id}/{{ok}}/{\"json\": 1}/{1}");
        let texts: Vec<&str> = found.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(texts, vec!["${user_id}", "{id}"]);
    }

    #[test]
    fn arithmetic_follows_precedence_and_refuses_words() {
        assert_eq!(evaluate("1700000000 - 100"), Ok(1_699_999_900.0));
        assert_eq!(evaluate("(3 + 4) * 2 - -1"), Ok(15.0));
        assert_eq!(evaluate("1.5e3 / 3"), Ok(500.0));
        assert!(evaluate("abc - 1").is_err());
        assert!(evaluate("1 +").is_err());
        assert!(evaluate("(1").is_err());
    }
}
