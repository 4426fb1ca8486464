//! Extended tier: expected verdicts for every file of ../shared/testdata/jars.
