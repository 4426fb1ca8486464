mod cli_smoke {}
