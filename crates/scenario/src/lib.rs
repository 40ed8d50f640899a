//! Scenario runner (under construction).
