#!/usr/bin/env bash
# Reproduce the answer selector from the public data: training/README.md says what each step
# does. Usage: training/selector.sh SHARED_DATA FRIENDSQA_TEST_JSON RUN_DIR
# (run from the repository root in an environment with `pip install -e '.[train]'`).
set -euo pipefail
data=${1:?the shared data folder (../shared/data)}
friends=${2:?FriendsQA's dat/friendsqa_tst.json (github.com/emorynlp/FriendsQA)}
run=${3:?a folder for the training run}
mkdir -p "$run"
cl="$data/changelog"
[ -s "$run/qmsum.jsonl" ] || python training/selector_pairs.py "$run/qmsum.jsonl" --qmsum "$data"/qmsum/train/*.json
[ -s "$run/friendsqa.jsonl" ] || python training/selector_pairs.py "$run/friendsqa.jsonl" --friendsqa "$friends"
[ -s "$run/dialogue.jsonl" ] || python training/selector_pairs.py "$run/dialogue.jsonl" --per-source 80 --dialogue \
    "$cl/gotime_go-time-329.md" "$cl/gotime_go-time-331.md" "$cl/jsparty_js-party-344.md" \
    "$cl/jsparty_js-party-346.md" "$cl/jsparty_js-party-347.md"
python training/train_selector.py "$run/run" "$run/qmsum.jsonl" "$run/friendsqa.jsonl" "$run/dialogue.jsonl" --epochs 2
python training/export_selector.py "$run/run/model.pt" "$run"/answer_selector.onnx --int8
python training/calibrate_selector.py "$data"/qmsum/val/*.json --graph "$run"/answer_selector.onnx
