"""Run the DfE's Children in Need census rules (csc-validator-be-cin) on a census XML file and
print what they found as JSON: every issue with its rule code, type (ERROR or QUERY), child
and message, the whole-return issues, and any rule that failed to run.

    .cin-validator/bin/python scripts/cin-validate.py FILE.xml [--ruleset cin2025_26]

The same rules `python -m cin_validator run FILE.xml -r cin2025_26` runs; this prints them
whole (that command truncates its table and leaves out the rule types). Exit status: 0 when
no ERROR rule fired and every rule ran, 1 otherwise, 2 when the file cannot be read.
"""

import argparse
import warnings
import contextlib
import importlib
import io
import json
import re
import sys
import xml.etree.ElementTree as ET

from cin_validator import cin_validator


def main() -> int:
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--ruleset", default="cin2025_26")
    args = parser.parse_args()
    try:
        root = ET.parse(args.file).getroot()
    except (OSError, ET.ParseError) as e:
        print(f"cin-validate: cannot read {args.file}: {e}", file=sys.stderr)
        return 2
    registry = importlib.import_module(f"cin_validator.rules.{args.ruleset}").registry
    types = {str(rule.code): rule.rule_type.name for _, rule in registry.items()}
    data = cin_validator.process_data(cin_validator.convert_data(root))
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        validator = cin_validator.CinValidator(data, registry)
    # The validator prints (rather than raises) when a rule itself fails to run.
    crashed = re.findall(r"Error with rule (\w+): (.*)", captured.getvalue())

    issues = []
    seen = set()
    for row in validator.full_issue_df.to_dict("records"):
        code = str(row.get("rule_code"))
        child = row.get("child_id")
        child = None if child is None or str(child) in ("nan", "<NA>", "None") else str(child)
        key = (code, child)
        if key in seen:
            continue
        seen.add(key)
        issues.append(
            {
                "code": code,
                "type": types.get(code, "ERROR"),
                "child": child,
                "message": row.get("rule_description"),
            }
        )
    whole_return = []
    for row in validator.multichild_issues.to_dict("records"):
        code = str(row.get("rule_code"))
        whole_return.append(
            {"code": code, "type": types.get(code, "ERROR"), "message": row.get("rule_description")}
        )
    report = {
        "ruleset": args.ruleset,
        "rules": len(types),
        "issues": issues,
        "whole_return": whole_return,
        "rules_that_failed_to_run": [{"code": c, "error": e} for c, e in crashed],
    }
    errors = [i for i in issues + whole_return if i["type"] == "ERROR"]
    queries = [i for i in issues + whole_return if i["type"] == "QUERY"]
    json.dump(report, sys.stdout, indent=1, default=str)
    print()
    print(
        f"cin-validate: {len(types)} rules of {args.ruleset}: {len(errors)} error(s), "
        f"{len(queries)} query(ies), {len(crashed)} rule(s) failed to run",
        file=sys.stderr,
    )
    return 1 if errors or crashed else 0


if __name__ == "__main__":
    sys.exit(main())
