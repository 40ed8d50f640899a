//! keyward never talks to the network, and the playground never sends
//! anything out of the browser: checked on what the build is made of.
//!
//! - No crate in `Cargo.lock` is a network client, server or TLS stack.
//! - No Rust source opens a socket.
//! - The playground's own files (`wasm/www`, not the generated `pkg/`)
//!   name no absolute URL and use no API that sends data elsewhere; every
//!   `fetch` goes to a relative, same-origin path.
//!
//! The playground's end-to-end test (`wasm/e2e/playground.e2e.mjs`) checks
//! the same at run time: it fails on any request to another origin.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::{Path, PathBuf};

use keyward_tests::repo_root;

fn files_under(dir: &Path, extensions: &[&str], skip: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if skip.contains(&name.as_str()) {
                continue;
            }
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                pending.push(p);
            } else if p
                .extension()
                .is_some_and(|x| extensions.iter().any(|want| x == *want))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn no_network_crate_is_linked() {
    let lock = std::fs::read_to_string(repo_root().join("Cargo.lock")).unwrap();
    let packages: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert!(
        packages.contains(&"keyward-policy"),
        "not the workspace lockfile?"
    );
    let network = [
        "hyper",
        "reqwest",
        "tokio",
        "mio",
        "socket2",
        "curl",
        "curl-sys",
        "ureq",
        "h2",
        "h3",
        "quinn",
        "native-tls",
        "openssl",
        "openssl-sys",
        "rustls",
        "async-std",
        "surf",
        "isahc",
        "attohttpc",
        "tungstenite",
        "tokio-tungstenite",
        "websocket",
        "ws",
        "gloo-net",
        "reqwasm",
        "ehttp",
    ];
    let found: Vec<&&str> = packages.iter().filter(|p| network.contains(p)).collect();
    assert!(found.is_empty(), "network crates in Cargo.lock: {found:?}");
    println!(
        "{} packages, none of them a network client or server",
        packages.len()
    );
}

#[test]
fn no_rust_source_opens_a_socket() {
    let root = repo_root();
    let mut checked = 0;
    for dir in ["crates", "wasm/src"] {
        for path in files_under(&root.join(dir), &["rs"], &["target"]) {
            let text = std::fs::read_to_string(&path).unwrap();
            for needle in [
                "TcpStream",
                "TcpListener",
                "UdpSocket",
                "ToSocketAddrs",
                "UnixStream",
                "UnixListener",
            ] {
                assert!(!text.contains(needle), "{} uses {needle}", path.display());
            }
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} Rust files found");
    println!("{checked} Rust files, none opens a socket");
}

#[test]
fn the_playground_sends_nothing_out_of_the_browser() {
    let www = repo_root().join("wasm/www");
    if !www.is_dir() {
        println!("skipped: the playground: {} not found", www.display());
        return;
    }
    // Namespaces in markup are identifiers, not requests.
    let allowed_urls = ["http://www.w3.org/"];
    let files = files_under(
        &www,
        &["js", "mjs", "html", "css"],
        &["pkg", "node_modules"],
    );
    assert!(
        !files.is_empty(),
        "no playground files in {}",
        www.display()
    );
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.display();
        for api in [
            "XMLHttpRequest",
            "WebSocket",
            "sendBeacon",
            "EventSource",
            "RTCPeerConnection",
            "WebTransport",
            "importScripts(",
        ] {
            assert!(!text.contains(api), "{name} uses {api}");
        }
        for scheme in ["http://", "https://", "//cdn", "wss://", "ws://"] {
            for (at, _) in text.match_indices(scheme) {
                let rest = &text[at..];
                assert!(
                    allowed_urls.iter().any(|ok| rest.starts_with(ok)),
                    "{name} names an absolute URL: {}",
                    rest.chars().take(80).collect::<String>()
                );
            }
        }
        // Every fetch names a relative path (or a URL built from this module's own).
        for (at, _) in text.match_indices("fetch(") {
            let arg: String = text[at + "fetch(".len()..].chars().take(60).collect();
            let arg = arg.trim_start();
            assert!(
                !arg.starts_with("'http")
                    && !arg.starts_with("\"http")
                    && !arg.starts_with("`http")
                    && !arg.starts_with("'//")
                    && !arg.starts_with("\"//"),
                "{name}: fetch to another origin: {arg}"
            );
        }
    }
    println!("{} playground files checked", files.len());
}
