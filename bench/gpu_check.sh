#!/usr/bin/env bash
# One pass on a CUDA machine: Release build with the CUDA plugin, the CUDA tests, inference
# timings of two models and a one-epoch training timing. Every step logs to $OUT/<step>.log,
# its exit status goes to $OUT/summary.txt, and a failed step does not stop the next one.
# Usage (from anywhere): OUT=/some/dir bench/gpu_check.sh   - worst case about 8 minutes.
set -x
cd "$(dirname "$0")/.." || exit 1
OUT=${OUT:-$PWD/gpu-check}
BUILD=${BUILD:-$PWD/build-gpu}
mkdir -p "$OUT"
DATA=${DATA:-}
for candidate in ../shared/data/fer2013.zip shared/data/fer2013.zip; do
  [ -z "$DATA" ] && [ -f "$candidate" ] && DATA=$candidate
done

# step NAME SECONDS COMMAND...: runs COMMAND under a time limit, logs it and records its status.
step() {
  local name=$1 limit=$2
  shift 2
  local start=$SECONDS
  timeout "$limit" "$@" >"$OUT/$name.log" 2>&1
  local rc=$?
  echo "$name rc=$rc seconds=$((SECONDS - start))" | tee -a "$OUT/summary.txt"
}

: >"$OUT/summary.txt"
step gpu 20 nvidia-smi
step configure 90 cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFERC_CUDA=ON
# -k 0: parts of the tree that fail to build must not hide the plugin and its tests.
step build 210 ninja -C "$BUILD" -j16 -k 0
step build_cuda 60 ninja -C "$BUILD" -j16 ferc_plugin_cuda ferc_plugin_cpu test_cuda_load test_cuda_host \
  test_cuda_ops
step ctest_cuda 90 ctest --test-dir "$BUILD" -R cuda --output-on-failure -V

FERC=$BUILD/bin/ferc
step plugins 20 "$FERC" plugins
for model in lenet_bn resnet_small; do
  step "time_$model" 45 "$FERC" "models/$model.net" time --device cuda --batch 128 \
    --json "$OUT/time_$model.json"
done
if [ -n "$DATA" ]; then
  step train_lenet_bn 150 "$FERC" models/lenet_bn.net train --device cuda --epochs 1 \
    --data "$DATA" --out "$OUT/run"
  # One plain pass over the 28,709 training images, the epoch the GPU target speaks of.
  step train_lenet_bn_plain 150 "$FERC" models/lenet_bn.net train --device cuda --epochs 1 \
    --batch 128 --set balance=none --data "$DATA" --out "$OUT/run_plain"
else
  echo "train_lenet_bn skipped: fer2013.zip not found" | tee -a "$OUT/summary.txt"
fi
cat "$OUT/summary.txt"
