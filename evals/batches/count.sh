#!/bin/bash
# Counts on a batch of helpers' questions (see README.md): odd ids and even ids separately.
# usage: bash evals/batches/count.sh BATCH C D G KBDIR OUTDIR TAG
#   BATCH: evals/batches/new12; C, D, G: the id prefixes of its colloquial, decline and dialogue files (tv tw su);
#   KBDIR from `python -m evals.probe build KBDIR`. Failures go to OUTDIR/TAG.odd and OUTDIR/TAG.even.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=$1; C=$2; D=$3; G=$4; K=$5; OUT=$6; T=$7
mkdir -p "$OUT"
ids() {  # ids of the three files whose number is odd (1) or even (0)
  .venv/bin/python -c "
import json
print(','.join(json.loads(l)['id'] for f in ('$C', '$D', '$G') for l in open(f'$B/{f}.jsonl')
               if l.strip() and int(json.loads(l)['id'][2:]) % 2 == $1))"
}
for half in odd even; do
  n=$([ $half = odd ] && echo 1 || echo 0)
  .venv/bin/python -m evals.probe run "$K" "$OUT/$T.$half" --colloquial "$B/$C.jsonl" --decline "$B/$D.jsonl" \
    --dialogues "$B/$G.jsonl" --ids "$(ids $n)" | sed "s/^/$half /"
done
