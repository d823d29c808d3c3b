#!/usr/bin/env bash
# Install the DfE's Children in Need census validator (PyPI: csc-validator-be-cin), and openpyxl
# (the independent xlsx reader scripts/annex-a-check.py checks the Annex A workbook with), into a
# virtualenv the repository ignores (.cin-validator/), with every version pinned in
# scripts/cin-validator-requirements.txt. Idempotent: does nothing when the pinned set is in.
# Optional component: the app's own checks do not need it; CI runs it on the demo's census.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${FRONTDOOR_CIN_VALIDATOR_VENV:-.cin-validator}"
requirements="scripts/cin-validator-requirements.txt"
stamp="$venv/.installed-$(sha256sum "$requirements" | cut -c1-16)"

if [ -f "$stamp" ] && "$venv/bin/python" -c 'import cin_validator, openpyxl' 2>/dev/null; then
  echo "install-cin-validator: already installed in $venv"
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$requirements"
"$venv/bin/python" -m pip check
"$venv/bin/python" -c 'import cin_validator.rules.cin2025_26' 
"$venv/bin/python" -c 'import openpyxl'
touch "$stamp"
echo "install-cin-validator: csc-validator-be-cin $("$venv/bin/pip" show csc-validator-be-cin | sed -n 's/^Version: //p') and openpyxl $("$venv/bin/pip" show openpyxl | sed -n 's/^Version: //p') in $venv"
