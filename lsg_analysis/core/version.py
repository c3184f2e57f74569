"""Which version of the suite wrote this file? (printed in briefs, dashboard and the data-build stamp)."""

VERSION = "0.1.0"
