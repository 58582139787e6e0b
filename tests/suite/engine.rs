//! Engine tests: rules, checklist validation, scoring properties, demo report.
