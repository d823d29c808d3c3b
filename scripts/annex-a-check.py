#!/usr/bin/env python3
"""Reads an Ofsted Annex A workbook with openpyxl (an independent xlsx reader) and, when given
the folder of the same lists' CSV files, checks that each sheet says what its CSV says.

    annex-a-check.py FILE.xlsx [CSV_DIR]

Prints JSON: {"sheets": [{"name", "headings", "rows", "values": {heading: sorted distinct text
values}}], "mismatches": [...]}. Dates are compared as dd/mm/yyyy, whole numbers as integers.
Exits 1 when a sheet and its CSV differ, 2 when the files cannot be read.
"""
import csv
import datetime
import json
import pathlib
import sys

import openpyxl


def as_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    book = openpyxl.load_workbook(sys.argv[1], read_only=True)
    csv_dir = pathlib.Path(sys.argv[2]) if len(sys.argv) == 3 else None
    sheets, mismatches = [], []
    for sheet in book.worksheets:
        lines = [[as_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        headings, rows = (lines[0], lines[1:]) if lines else ([], [])
        values = {}
        for column, heading in enumerate(headings):
            distinct = {row[column] for row in rows if row[column] != ""}
            values[heading] = sorted(distinct)[:50]
        sheets.append({"name": sheet.title, "headings": headings, "rows": len(rows), "values": values})
        if csv_dir is not None:
            number = sheet.title.replace("List ", "")
            found = sorted(csv_dir.glob(f"*-list-{number}.csv"))
            if len(found) != 1:
                mismatches.append(f"{sheet.title}: {len(found)} CSV files for it in {csv_dir}")
                continue
            with found[0].open(newline="", encoding="utf-8") as handle:
                from_csv = list(csv.reader(handle))
            if from_csv[:1] != [headings]:
                mismatches.append(f"{sheet.title}: headings differ from {found[0].name}")
            if from_csv[1:] != rows:
                differing = sum(1 for a, b in zip(from_csv[1:], rows) if a != b)
                mismatches.append(
                    f"{sheet.title}: {len(rows)} rows in the sheet, {len(from_csv) - 1} in "
                    f"{found[0].name}, {differing} of those compared differ"
                )
    print(json.dumps({"sheets": sheets, "mismatches": mismatches}, indent=1))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
