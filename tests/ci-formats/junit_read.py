"""Read a JUnit XML report with junitparser, the library that JUnit-report
actions build on, and print what it understood as JSON (for
formats.test.mjs): each suite's counts and each case's outcome."""

import json
import sys

from junitparser import Error, Failure, JUnitXml, Skipped


def outcome(case):
    for result in case.result:
        if isinstance(result, Failure):
            return "failure", result.message, result.type
        if isinstance(result, Error):
            return "error", result.message, result.type
        if isinstance(result, Skipped):
            return "skipped", result.message, None
    return "passed", None, None


def main(path):
    xml = JUnitXml.fromfile(path)
    suites = []
    for suite in xml:
        cases = []
        for case in suite:
            kind, message, kind_type = outcome(case)
            cases.append(
                {
                    "name": case.name,
                    "classname": case.classname,
                    "outcome": kind,
                    "message": message,
                    "type": kind_type,
                    "system_out": case.system_out,
                }
            )
        suites.append(
            {
                "name": suite.name,
                "tests": suite.tests,
                "failures": suite.failures,
                "errors": suite.errors,
                "skipped": suite.skipped,
                "cases": cases,
            }
        )
    json.dump(
        {
            "tests": xml.tests,
            "failures": xml.failures,
            "errors": xml.errors,
            "skipped": xml.skipped,
            "suites": suites,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main(sys.argv[1])
