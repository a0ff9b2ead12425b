#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ into build-fuzz/ (clang-14, ASan + UBSan) and runs them.
#
#   scripts/fuzz.sh [--smoke] [target...]   CI: replay fuzz/regressions/<target>/, run the seed
#                                           corpus, then fuzz 15 s per target (FUZZ_TIME=N)
#   scripts/fuzz.sh --long [target...]      the same with 10 minutes per target
#   scripts/fuzz.sh --build                 build only
#   scripts/fuzz.sh --list                  the target names
#
# Targets: check_head challenge_parser htpasswd basic_credentials lint_input lint_har request_head (and
# config once the YAML loader is in). Inputs found are kept in build-fuzz/corpus/<target>/
# (reused by later runs, never committed); a crash leaves build-fuzz/artifacts/<target>/crash-*
# and fails the run: fix it, then copy the file into fuzz/regressions/<target>/.
# Prints the executions per target (libFuzzer's stat::number_of_executed_units).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=smoke
targets=()
for arg in "$@"; do
  case "$arg" in
    --smoke) mode=smoke ;;
    --long) mode=long ;;
    --build) mode=build ;;
    --list) mode=list ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $arg" >&2; exit 2 ;;
    *) targets+=("$arg") ;;
  esac
done
case "$mode" in
  smoke) seconds=${FUZZ_TIME:-15} ;;
  long) seconds=${FUZZ_TIME:-600} ;;
esac

scripts/install-deps.sh --with-fuzz

source scripts/ccache-launcher.sh
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang-14 CXX=clang++-14 cmake -S fuzz -B build-fuzz -G Ninja "${launcher[@]}" >/dev/null
fi
start=$(date +%s)
cmake --build build-fuzz -j "${JOBS:-2}"
echo "fuzz.sh: build took $(( $(date +%s) - start )) s" >&2

built=()
for binary in build-fuzz/fuzz_*; do
  [ -x "$binary" ] && built+=("${binary#build-fuzz/fuzz_}")
done
if [ "$mode" = list ]; then printf '%s\n' "${built[@]}"; exit 0; fi
[ "$mode" = build ] && exit 0
[ ${#targets[@]} -eq 0 ] && targets=("${built[@]}")

mkdir -p build-fuzz/logs
summary=build-fuzz/logs/summary.txt
printf '%-18s %12s %10s  %s\n' target executions exec/s result | tee "$summary"
failed=0
for target in "${targets[@]}"; do
  binary=build-fuzz/fuzz_$target
  if [ ! -x "$binary" ]; then
    echo "fuzz.sh: no target $target (have: ${built[*]})" >&2; failed=1; continue
  fi
  log=build-fuzz/logs/$target.log
  : >"$log"
  result=ok

  # 1. Every input that once crashed must stay fixed.
  regressions=()
  if [ -d "fuzz/regressions/$target" ]; then
    while IFS= read -r -d '' f; do regressions+=("$f"); done \
      < <(find "fuzz/regressions/$target" -type f ! -name '*.md' -print0 | sort -z)
  fi
  if [ ${#regressions[@]} -gt 0 ] && ! "$binary" "${regressions[@]}" >>"$log" 2>&1; then
    result="REGRESSION (see $log)"
  fi

  # 2. The seed corpus, then fuzzing from it for the time budget.
  if [ "$result" = ok ]; then
    mkdir -p "build-fuzz/corpus/$target" "build-fuzz/artifacts/$target"
    options=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
             -artifact_prefix="build-fuzz/artifacts/$target/")
    [ -f "fuzz/dict/$target.dict" ] && options+=(-dict="fuzz/dict/$target.dict")
    if ! "$binary" "${options[@]}" "build-fuzz/corpus/$target" "fuzz/corpus/$target" >>"$log" 2>&1; then
      result="CRASH (see $log and build-fuzz/artifacts/$target/)"
    fi
  fi

  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  printf '%-18s %12s %10s  %s\n' "$target" "${executions:--}" "${per_second:--}" "$result" | tee -a "$summary"
  if [ "$result" != ok ]; then
    failed=1
    grep -E -A25 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|fuzz invariant' "$log" \
      | head -60 >&2 || true
  fi
done
exit "$failed"
