#!/usr/bin/env bash
# Every speed figure of docs/results.md, measured back to back so that they share the machine's
# state. Run from the repository root after scripts/build.sh, on a quiet machine.
# Usage: bench/run_all.sh [threads...]   (default: 1 2)
set -uo pipefail
cd "$(dirname "$0")/.."
bin=build/bin
video=../shared/samples/video/fr_short_hamilton_clip.mp4
threads=("${@:-1 2}")
[ $# -eq 0 ] && threads=(1 2)

for t in "${threads[@]}"; do
  echo "== $t thread(s)"
  for model in lenet_bn resnet_small; do
    "$bin/ferc" "models/$model.net" time --batch 128 --threads "$t" --json "/tmp/ferc_time_$model.json" \
      | tail -3
  done
  if python3 -c "import torch" 2>/dev/null; then
    python3 bench/pytorch_lenet_bn.py --batch 128 --threads "$t"
  else
    echo "PyTorch reference skipped: python3-torch is not installed"
  fi
  "$bin/bench_classify_faces" models/lenet_bn.net models/lenet_bn.ckpt "$t" 2
  if [ -f "$video" ]; then
    "$bin/ferc" predict "$video" --threads "$t" > /dev/null
  fi
done
