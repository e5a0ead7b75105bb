#!/usr/bin/env bash
# Every speed figure of docs/results.md, measured back to back so that they share the machine's
# state. Run from the repository root after scripts/build.sh, on a quiet machine.
# Usage: bench/run_all.sh [threads...]   (default: 1 2)
set -uo pipefail
cd "$(dirname "$0")/.."
bin=build/bin
video=../shared/samples/video/fr_short_hamilton_clip.mp4
threads=("$@")
[ $# -eq 0 ] && threads=(1 2)
# Debian's python3-torch lives with the system interpreter, whatever python3 is first on PATH.
py=/usr/bin/python3
[ -x "$py" ] || py=python3

for t in "${threads[@]}"; do
  echo "== $t thread(s)"
  for model in lenet_bn resnet_small; do
    "$bin/ferc" "models/$model.net" time --batch 128 --threads "$t" --json "/tmp/ferc_time_$model.json" \
      | tail -3
  done
  if "$py" -c "import torch" 2>/dev/null; then
    "$py" bench/pytorch_lenet_bn.py --batch 128 --threads "$t"
  else
    echo "PyTorch reference skipped: python3-torch is not installed"
  fi
  "$bin/bench_classify_faces" models/lenet_bn.net models/lenet_bn.ckpt "$t" 2
  if [ -f "$video" ]; then
    for every in 1 2 3; do
      echo "predict, detection on every frame $every:"
      "$bin/ferc" predict "$video" --threads "$t" --detect-every "$every" > /dev/null
    done
  fi
done
