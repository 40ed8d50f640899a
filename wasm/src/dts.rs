//! `wasm/www/keyward.d.ts` is generated from the Rust types of the JSON the
//! exports take and answer (with `ts-rs`, in native test builds only): the
//! test below fails when the file and the types disagree.
//!
//! After changing a type, rewrite the file with
//! `KEYWARD_WRITE_DTS=1 cargo test -p keyward-wasm dts`.

#[cfg(all(test, feature = "engine", feature = "compare"))]
mod tests {
    use ts_rs::{Config, TS};

    use keyward_eval::answer::{
        Answer, AnsweredRequest, EffectJson, GrantJson, ReasonJson, ReasonKind, StatementJson,
    };
    use keyward_eval::{AllowPath, Decision, KmsErrorKind, SourceKind};
    use keyward_policy::{DiagnosticJson, LabelJson, Location, Position, Severity};
    use keyward_scenario::{CheckJson, ExpectedDecision, ExpectedJson, MatrixJson, RunJson};

    use keyward_analysis::json::{
        CallerPoliciesJson, ChangeJson, ChangeKind, ContextValueJson, DiffJson, KeyPropertiesJson,
        StatementAt, VerdictJson, WitnessJson,
    };

    use crate::cli_json::{CheckInput, MatrixInput};
    use crate::compare::{CompareInput, CompareReport};
    use crate::who_can::{WhatCanInput, WhoCanInput};
    use keyward_analysis::reverse_json::{
        AssumedPoliciesJson, EntryJson, EntryKindJson, NewGrantJson, ReplayJson, ReportJson,
        UndecidedJson,
    };

    use crate::evaluate::{EvaluateInput, OneOrMany, RequestIn};
    use crate::lint::{LintInput, LintReport, SuppressedJson};
    use crate::parse::ParseReport;
    use crate::scenario::{
        BenchmarkInput, BenchmarkReport, ExpectationOut, FileDiagnostics, ScenarioInput,
        ScenarioReport,
    };
    use crate::workspace::Workspace;

    /// The line after which the file is generated.
    const MARKER: &str = "// ---- Generated from the Rust types by `KEYWARD_WRITE_DTS=1 cargo test -p keyward-wasm dts`; do not edit below. ----\n";

    fn declare<T: TS + 'static>(cfg: &Config, out: &mut String) {
        out.push('\n');
        if let Some(docs) = T::docs() {
            out.push_str(&docs);
        }
        out.push_str("export ");
        out.push_str(&T::decl(cfg));
        out.push('\n');
    }

    /// Every type of every export's input and answer, in reading order.
    fn generated() -> String {
        let cfg = Config::new();
        let mut out = String::new();
        // Places and diagnostics.
        declare::<Position>(&cfg, &mut out);
        declare::<Location>(&cfg, &mut out);
        declare::<Severity>(&cfg, &mut out);
        declare::<LabelJson>(&cfg, &mut out);
        declare::<DiagnosticJson>(&cfg, &mut out);
        // Inputs.
        declare::<Workspace>(&cfg, &mut out);
        declare::<ParseReport>(&cfg, &mut out);
        declare::<LintInput>(&cfg, &mut out);
        declare::<SuppressedJson>(&cfg, &mut out);
        declare::<LintReport>(&cfg, &mut out);
        declare::<OneOrMany>(&cfg, &mut out);
        declare::<RequestIn>(&cfg, &mut out);
        declare::<EvaluateInput>(&cfg, &mut out);
        // Answers.
        declare::<Decision>(&cfg, &mut out);
        declare::<AllowPath>(&cfg, &mut out);
        declare::<KmsErrorKind>(&cfg, &mut out);
        declare::<SourceKind>(&cfg, &mut out);
        declare::<EffectJson>(&cfg, &mut out);
        declare::<StatementJson>(&cfg, &mut out);
        declare::<GrantJson>(&cfg, &mut out);
        declare::<ReasonKind>(&cfg, &mut out);
        declare::<ReasonJson>(&cfg, &mut out);
        declare::<Answer>(&cfg, &mut out);
        declare::<AnsweredRequest>(&cfg, &mut out);
        // Scenarios.
        declare::<ScenarioInput>(&cfg, &mut out);
        declare::<FileDiagnostics>(&cfg, &mut out);
        declare::<ExpectedDecision>(&cfg, &mut out);
        declare::<ExpectationOut>(&cfg, &mut out);
        declare::<ScenarioReport>(&cfg, &mut out);
        declare::<BenchmarkInput>(&cfg, &mut out);
        declare::<BenchmarkReport>(&cfg, &mut out);
        // The CLI's scenario answers (`check`, `matrix`).
        declare::<CheckInput>(&cfg, &mut out);
        declare::<ExpectedJson>(&cfg, &mut out);
        declare::<CheckJson>(&cfg, &mut out);
        declare::<RunJson>(&cfg, &mut out);
        declare::<MatrixInput>(&cfg, &mut out);
        declare::<MatrixJson>(&cfg, &mut out);
        // The compare view: `keyward diff --format json`'s changes.
        declare::<CompareInput>(&cfg, &mut out);
        declare::<VerdictJson>(&cfg, &mut out);
        declare::<ContextValueJson>(&cfg, &mut out);
        declare::<StatementAt>(&cfg, &mut out);
        declare::<CallerPoliciesJson>(&cfg, &mut out);
        declare::<KeyPropertiesJson>(&cfg, &mut out);
        declare::<WitnessJson>(&cfg, &mut out);
        declare::<ChangeKind>(&cfg, &mut out);
        declare::<ChangeJson>(&cfg, &mut out);
        declare::<DiffJson>(&cfg, &mut out);
        declare::<CompareReport>(&cfg, &mut out);
        // The who-can and what-can views: `keyward who-can --format json`'s answer.
        declare::<WhoCanInput>(&cfg, &mut out);
        declare::<WhatCanInput>(&cfg, &mut out);
        declare::<EntryKindJson>(&cfg, &mut out);
        declare::<NewGrantJson>(&cfg, &mut out);
        declare::<AssumedPoliciesJson>(&cfg, &mut out);
        declare::<ReplayJson>(&cfg, &mut out);
        declare::<EntryJson>(&cfg, &mut out);
        declare::<UndecidedJson>(&cfg, &mut out);
        declare::<ReportJson>(&cfg, &mut out);
        out
    }

    #[test]
    fn keyward_d_ts_declares_exactly_the_rust_types() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/keyward.d.ts");
        let text = std::fs::read_to_string(path).expect("wasm/www/keyward.d.ts exists");
        let Some(at) = text.find(MARKER) else {
            panic!("{path} has no line `{}`", MARKER.trim_end());
        };
        let (written, tail) = text.split_at(at + MARKER.len());
        let want = generated();
        if tail == want {
            return;
        }
        if std::env::var_os("KEYWARD_WRITE_DTS").is_some() {
            std::fs::write(path, format!("{written}{want}")).expect("the file is writable");
            return;
        }
        let line = tail
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .map_or(String::new(), |n| {
                format!(
                    " (first difference, line {} of the generated part: `{}`)",
                    n + 1,
                    want.lines().nth(n).unwrap_or("")
                )
            });
        panic!("{path} does not match the Rust types{line}; rewrite it with `KEYWARD_WRITE_DTS=1 cargo test -p keyward-wasm dts`");
    }
}
