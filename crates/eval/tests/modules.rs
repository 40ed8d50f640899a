//! The crate's modules form a tree of dependencies, not a tangle: a module
//! never depends, directly or through others, on a module that depends on
//! it (docs/evaluation.md, "Where the code is"). A leaf like `env` can be
//! read, and changed, without the decision around it.

use std::collections::{BTreeMap, BTreeSet};

#[expect(
    clippy::unwrap_used,
    reason = "a test: an unreadable source tree fails it"
)]
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut pending = vec![std::path::PathBuf::from(src)];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(src)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            // `cond/compare.rs` belongs to `cond`.
            let module = rel.split(['/', '.']).next().unwrap().to_string();
            if module == "lib" {
                continue;
            }
            // Code only: doc links to `crate::Authorizer` are no dependency.
            let text: String = std::fs::read_to_string(&path)
                .unwrap()
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            let deps = graph.entry(module.clone()).or_default();
            for (at, _) in text.match_indices("crate::") {
                let name: String = text[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name != module {
                    deps.insert(name);
                }
            }
        }
    }
    graph
}

#[test]
fn modules_import_from_the_defining_module_not_the_crate_root() {
    for (module, deps) in module_graph() {
        for dep in &deps {
            assert!(
                dep.chars().next().is_some_and(|c| c.is_ascii_lowercase()),
                "`{module}` names `crate::{dep}`: import it from the module that defines it"
            );
        }
    }
}

#[test]
fn no_module_depends_on_itself_through_others() {
    let graph = module_graph();
    // Depth-first search from every module; a path back to it is a cycle.
    for start in graph.keys() {
        let mut stack: Vec<Vec<&str>> = vec![vec![start.as_str()]];
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        while let Some(path) = stack.pop() {
            let Some(&last) = path.last() else { continue };
            for dep in graph.get(last).into_iter().flatten() {
                assert!(
                    dep != start,
                    "module cycle: {} -> {start}",
                    path.join(" -> ")
                );
                if seen.insert(dep.as_str()) {
                    let mut next = path.clone();
                    next.push(dep);
                    stack.push(next);
                }
            }
        }
    }
    assert!(graph.contains_key("env") && graph.contains_key("decide"));
}
