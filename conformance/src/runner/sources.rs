//! Where a value a `twin:` step would read comes from on a real target, which has no admin API:
//! the OTP an SMS carries, for one. In order: `--vars` (a value known in advance), a
//! `--value-command` (its output is the value, or a JSON document the capture reads), or a prompt
//! when the runner has a terminal.

use std::io::{BufRead, IsTerminal, Write};

use serde_json::Value;

use super::vars::Vars;
use super::RunOptions;
use crate::scenario::{Capture, Step};

/// Sets every capture of `step` from a source; says which sources gave them, or what is missing.
pub(super) async fn supply(step: &Step, vars: &mut Vars, options: &RunOptions) -> Result<String, String> {
    let mut how = Vec::new();
    for (name, capture) in &step.capture {
        if let Some(value) = given(&options.vars, name) {
            vars.set(name.clone(), value);
            how.push(format!("`{name}` came from --vars"));
        } else if let Some(command) = options.value_commands.get(name) {
            let command = vars.interpolate_text(command)?;
            let output = run(command.clone()).await.map_err(|e| format!("--value-command {name}: {e}"))?;
            vars.set(name.clone(), read(capture, &output).map_err(|e| format!("--value-command {name}: {e}"))?);
            how.push(format!("`{name}` came from `{command}`"));
        } else if std::io::stdin().is_terminal() {
            let label = step.name.clone().unwrap_or_else(|| "a twin step".into());
            let value = ask(format!("{label}: the value of `{name}` (the twin would give it): ")).await?;
            vars.set(name.clone(), Value::from(value));
            how.push(format!("`{name}` was typed in"));
        } else {
            return Err(format!(
                "give `{name}` with --vars, or --value-command {name}=COMMAND (its output is the value), or run on a terminal to be asked"
            ));
        }
    }
    Ok(how.join(", "))
}

/// A value `--vars` gives, at the top level or in any provider's section.
fn given(vars: &serde_json::Map<String, Value>, name: &str) -> Option<Value> {
    vars.get(name)
        .filter(|v| !v.is_object() || crate::scenario::Provider::parse(name).is_none())
        .cloned()
        .or_else(|| vars.values().filter_map(Value::as_object).find_map(|section| section.get(name).cloned()))
}

/// The capture applied to a command's output: a JSONPath reads a JSON output; otherwise the
/// output, trimmed, is the value.
fn read(capture: &Capture, output: &str) -> Result<Value, String> {
    let text = output.trim();
    match (capture, serde_json::from_str::<Value>(text)) {
        (Capture::Json(path), Ok(document)) if document.is_object() || document.is_array() => {
            match path.compile()?.query(&document).all().as_slice() {
                [one] => Ok((*one).clone()),
                found => Err(format!("{} found {} values in the output, one is needed", path.0, found.len())),
            }
        }
        _ if text.is_empty() => Err("the command printed nothing".into()),
        _ => Ok(Value::from(text)),
    }
}

/// Runs `command` with `sh -c` and returns its standard output.
async fn run(command: String) -> Result<String, String> {
    let output = tokio::task::spawn_blocking(move || std::process::Command::new("sh").arg("-c").arg(&command).output())
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot run it: {e}"))?;
    if !output.status.success() {
        return Err(format!("it exited with {}: {}", output.status, String::from_utf8_lossy(&output.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Asks on the terminal.
async fn ask(question: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || {
        eprint!("{question}");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map(|_| line.trim().to_owned())
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| format!("cannot read the answer: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::JsonPathText;

    #[test]
    fn a_command_output_is_the_value_or_a_document_the_capture_reads() {
        let path = Capture::Json(JsonPathText("$.otp".into()));
        assert_eq!(read(&path, "{\"otp\": \"123456\"}\n"), Ok(Value::from("123456")));
        assert_eq!(read(&path, " 654321\n"), Ok(Value::from("654321")));
        assert!(read(&path, "\n").is_err());
        let vars = serde_json::json!({"otp": "1", "kasisto": {"user_id": "9"}});
        let vars = vars.as_object().cloned().unwrap_or_default();
        assert_eq!((given(&vars, "otp"), given(&vars, "user_id")), (Some(Value::from("1")), Some(Value::from("9"))));
    }
}
