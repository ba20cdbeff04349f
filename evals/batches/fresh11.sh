#!/bin/bash
# Counts on batch new11 (helpers' questions, see README.md): odd ids and even ids separately.
# usage: bash evals/batches/fresh11.sh KBDIR OUTDIR TAG   (KBDIR from `python -m evals.probe build KBDIR`)
# Failures go to OUTDIR/TAG.odd and OUTDIR/TAG.even; the tenth-to-twenty-first sessions read only the odd file.
set -euo pipefail
cd "$(dirname "$0")/../.."
K=$1; OUT=$2; T=$3; B=evals/batches/new11
mkdir -p "$OUT"
ids() {  # ids of the three files whose number is odd (1) or even (0)
  .venv/bin/python -c "
import json, sys
print(','.join(json.loads(l)['id'] for f in ('tt', 'tu', 'st') for l in open(f'$B/{f}.jsonl')
               if l.strip() and int(json.loads(l)['id'][2:]) % 2 == $1))"
}
for half in odd even; do
  n=$([ $half = odd ] && echo 1 || echo 0)
  .venv/bin/python -m evals.probe run "$K" "$OUT/$T.$half" --colloquial $B/tt.jsonl --decline $B/tu.jsonl \
    --dialogues $B/st.jsonl --ids "$(ids $n)" | sed "s/^/$half /"
done
