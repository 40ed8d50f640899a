#!/usr/bin/env python3
"""Take the screenshots of docs/editor.md: Neovim (Debian's 0.7, its built-in
LSP client, editors/neovim/init.lua) runs in tmux against `keyward lsp`; the
screen is captured with its colours and rendered to PNG by headless Chromium.

    python3 editors/neovim/screenshot.py [KEYWARD_BIN_DIR]

Needs nvim, tmux and chromium (apt-get install neovim tmux chromium).
"""

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "docs", "editor")
DEMO = os.path.join(OUT, "demo")
INIT = os.path.join(ROOT, "editors", "neovim", "init.lua")
COLS, ROWS = 185, 31

BASIC = ["#1e1e1e", "#e06c75", "#98c379", "#e5c07b", "#61afef", "#c678dd", "#56b6c2", "#dcdfe4",
         "#5c6370", "#ff7b86", "#b5e890", "#ffd68a", "#7cc4ff", "#e29bf5", "#74d4e0", "#ffffff"]


def color256(n):
    if n < 16:
        return BASIC[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[n // 6 % 6], steps[n % 6])
    g = 8 + 10 * (n - 232)
    return "#%02x%02x%02x" % (g, g, g)


def to_html(ansi):
    """Render tmux's `capture-pane -e` output (SGR colours) as HTML."""
    out = []
    style = {}
    for part in re.split(r"(\x1b\[[0-9;]*m)", ansi):
        if not part.startswith("\x1b["):
            if part:
                css = ";".join(f"{k}:{v}" for k, v in style.items() if k != "reverse")
                if style.get("reverse"):
                    fg, bg = style.get("color", "#dcdfe4"), style.get("background", "#1e1e1e")
                    css += f";color:{bg};background:{fg}"
                out.append(f'<span style="{css}">{html.escape(part)}</span>')
            continue
        codes = [int(c) if c else 0 for c in part[2:-1].split(";")]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                style = {}
            elif c == 1:
                style["font-weight"] = "bold"
            elif c == 3:
                style["font-style"] = "italic"
            elif c == 4:
                style["text-decoration"] = "underline"
            elif c == 7:
                style["reverse"] = True
            elif c == 22:
                style.pop("font-weight", None)
            elif c == 23:
                style.pop("font-style", None)
            elif c == 24:
                style.pop("text-decoration", None)
            elif c == 27:
                style.pop("reverse", None)
            elif 30 <= c <= 37 or 90 <= c <= 97:
                style["color"] = BASIC[c - 30 if c < 90 else c - 82]
            elif 40 <= c <= 47 or 100 <= c <= 107:
                style["background"] = BASIC[c - 40 if c < 100 else c - 92]
            elif c in (38, 48):
                key = "color" if c == 38 else "background"
                if codes[i + 1] == 5:
                    style[key] = color256(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2:
                    style[key] = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5])
                    i += 4
            elif c == 39:
                style.pop("color", None)
            elif c == 49:
                style.pop("background", None)
            i += 1
    body = "".join(out)
    return (
        "<!doctype html><meta charset=utf-8><style>body{margin:0;background:#1e1e1e}"
        "pre{margin:0;padding:10px;font:14px/1.25 'DejaVu Sans Mono',monospace;color:#dcdfe4}</style>"
        f"<pre>{body}</pre>"
    )


def shoot(name, file, keys):
    """Open `file` in Neovim, type `keys` (tmux send-keys arguments, with
    pauses), capture the screen and save docs/editor/NAME.png."""
    session = "keyward-shot"
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    env = f"env TERM=xterm-256color PATH={os.environ['PATH']}"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", str(COLS), "-y", str(ROWS), "-c", DEMO,
         f"{env} nvim -u {INIT} -c 'set number termguicolors' -c 'colorscheme desert'"
         f" -c 'highlight NormalFloat guibg=#2b2f38 guifg=#dcdfe4' -c 'highlight SignColumn guibg=#333333' {file}"],
        check=True,
    )
    try:
        time.sleep(4)
        for step in keys:
            if isinstance(step, (int, float)):
                time.sleep(step)
            else:
                subprocess.run(["tmux", "send-keys", "-t", session, *step], check=True)
                time.sleep(0.4)
        screen = subprocess.run(["tmux", "capture-pane", "-t", session, "-e", "-p"],
                                check=True, capture_output=True, text=True).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "screen.html")
        with open(page, "w", encoding="utf-8") as f:
            f.write(to_html(screen))
        png = os.path.join(OUT, f"{name}.png")
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--user-data-dir={tmp}/profile", f"--window-size={COLS * 9 + 20},{ROWS * 18 + 20}",
             f"--screenshot={png}", f"file://{page}"],
            check=True, capture_output=True,
        )
    print("wrote", os.path.relpath(png, ROOT))


def main():
    if len(sys.argv) > 1:
        os.environ["PATH"] = os.path.abspath(sys.argv[1]) + os.pathsep + os.environ["PATH"]
    for tool in ("nvim", "tmux", "chromium", "keyward"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found")
    # Diagnostics as virtual text, and the hover of a condition key.
    shoot("policy", "key-policy.json",
          [["/GenerateDataKey", "Enter"], [":nohlsearch", "Enter"], ["K"], 2])
    # A scenario: each expectation's decision as a code lens, one failing.
    shoot("scenario", "scenario.json", [3, [":echo ''", "Enter"], 1])


if __name__ == "__main__":
    main()
