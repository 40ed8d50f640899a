//! The analysis thread. The message loop hands it documents and goes back
//! to reading; the worker takes whatever has queued up, keeps only the
//! latest version of each document (a burst of keystrokes is analysed
//! once), and sends each analysis back.
//!
//! A panic inside the engine is caught and becomes a diagnostic: the server
//! keeps answering.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};
use keyward_policy::{Diagnostic, Span};

use crate::analysis::{analyse, Analysis, Input, Kind};
use crate::convert::{self, Ranges};

/// The worker's end of the loop.
#[derive(Debug)]
pub(crate) struct Worker {
    jobs: Option<Sender<Input>>,
    /// Analyses, as they finish.
    pub(crate) results: Receiver<Analysis>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    pub(crate) fn spawn() -> Result<Worker, String> {
        let (jobs, queue) = crossbeam_channel::unbounded::<Input>();
        let (done, results) = crossbeam_channel::unbounded::<Analysis>();
        let thread = std::thread::Builder::new()
            .name("keyward-analysis".into())
            .spawn(move || run(&queue, &done))
            .map_err(|e| format!("cannot start the analysis thread: {e}"))?;
        Ok(Worker {
            jobs: Some(jobs),
            results,
            thread: Some(thread),
        })
    }

    /// Queue a document; an older queued version of it is dropped unread.
    pub(crate) fn submit(&self, input: Input) {
        if let Some(jobs) = &self.jobs {
            // The worker outlives the loop; a send fails only after `stop`.
            let _ = jobs.send(input);
        }
    }

    /// Let the worker finish what it holds, and wait for it.
    pub(crate) fn stop(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop();
    }
}

fn run(queue: &Receiver<Input>, done: &Sender<Analysis>) {
    while let Ok(first) = queue.recv() {
        let mut latest: Vec<Input> = vec![first];
        latest.extend(queue.try_iter());
        for input in newest_of_each(latest) {
            let analysis = analyse_guarded(&input);
            if done.send(analysis).is_err() {
                return;
            }
        }
    }
}

/// Keep the last submitted input of each document, in submission order.
fn newest_of_each(inputs: Vec<Input>) -> Vec<Input> {
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, input) in inputs.iter().enumerate() {
        last.insert(input.uri.as_str(), i);
    }
    let keep: Vec<bool> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| last.get(input.uri.as_str()) == Some(&i))
        .collect();
    inputs
        .into_iter()
        .zip(keep)
        .filter(|(_, keep)| *keep)
        .map(|(input, _)| input)
        .collect()
}

/// Analyse, turning a panic into a diagnostic at the start of the file.
pub(crate) fn analyse_guarded(input: &Input) -> Analysis {
    match catch_unwind(AssertUnwindSafe(|| analyse(input))) {
        Ok(analysis) => analysis,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let d = Diagnostic::error(
                "keyward::internal",
                format!("keyward could not analyse this file: {what}"),
                Span::point(0),
            )
            .with_help("this is a bug in keyward; please report it with the file");
            let ranges = Ranges::of_text(&input.text, input.encoding);
            Analysis {
                uri: input.uri.clone(),
                version: input.version,
                kind: input.previous.unwrap_or(Kind::Unrelated),
                diagnostics: vec![convert::diagnostic(&d, &input.uri, &input.text, &ranges)],
                lenses: Vec::new(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::positions::Encoding;

    use super::*;

    fn input(uri: &str, version: i32) -> Input {
        Input {
            uri: uri.parse().unwrap(),
            version,
            text: Arc::from("{}"),
            previous: None,
            encoding: Encoding::Utf16,
            open: HashMap::new(),
        }
    }

    #[test]
    fn a_burst_is_analysed_once_at_its_latest_version() {
        let kept = newest_of_each(vec![
            input("file:///a.json", 1),
            input("file:///b.json", 1),
            input("file:///a.json", 2),
            input("file:///a.json", 3),
        ]);
        let kept: Vec<(String, i32)> = kept
            .iter()
            .map(|i| (i.uri.as_str().to_string(), i.version))
            .collect();
        assert_eq!(
            kept,
            [
                ("file:///b.json".to_string(), 1),
                ("file:///a.json".to_string(), 3)
            ]
        );
    }

    #[test]
    fn the_worker_answers_every_document_and_stops_cleanly() {
        let mut worker = Worker::spawn().unwrap();
        worker.submit(input("file:///a.json", 1));
        let analysis = worker.results.recv().unwrap();
        assert_eq!(analysis.version, 1);
        worker.stop();
    }
}
