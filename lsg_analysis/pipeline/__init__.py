"""Pipeline: `lsg data build` and `lsg data check`, one explicit list of builders over data and geo."""
