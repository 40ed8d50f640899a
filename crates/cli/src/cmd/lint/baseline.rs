//! `--baseline FILE` and `--write-baseline FILE` (the format is described
//! in `keyward_lint::baseline`).

use keyward_lint::baseline::Baseline;
use keyward_lint::report::Report;

/// Leave out of `report` the findings of the baseline read from `read`, or
/// record every finding in `write` and leave them all out. The error is
/// ready to print; the run then exits 2.
pub fn apply(report: &mut Report, read: Option<&str>, write: Option<&str>) -> Result<(), String> {
    let baseline = match (write, read) {
        (Some(path), _) => {
            let baseline = Baseline::of(report);
            std::fs::write(path, baseline.to_json())
                .map_err(|e| format!("error: cannot write the baseline `{path}`: {e}"))?;
            baseline
        }
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("error: cannot read the baseline `{path}`: {e}"))?;
            Baseline::parse(&text).map_err(|e| {
                format!(
                    "error: invalid baseline `{path}`: {e}\n  help: write a new one with `keyward lint --write-baseline {path}`"
                )
            })?
        }
        (None, None) => return Ok(()),
    };
    baseline.filter(report);
    Ok(())
}
