#!/usr/bin/env bash
# Builds the `fuzz` preset and runs libFuzzer targets, one after the other.
#
#   fuzz/run.sh SECONDS [TARGET...]     e.g. fuzz/run.sh 600 metrics_log rig_animation
#
# TARGET is a fuzz/fuzz_<TARGET>.cpp name (all of them when none is given). Each runs for
# SECONDS with a persistent corpus outside the repository, build-fuzz/corpus/<TARGET>, seeded
# from fuzz/corpus/<TARGET>, fuzz/crashes/<TARGET> and, when present, files derived from the
# shared data (FA_DATA_DIR, default ../shared/data) and from the main build's test outputs
# (build/test-output), copied under build-fuzz/seeds/<TARGET>. Crashes land in
# build-fuzz/artifacts/<TARGET>/; minimise one with
#   build-fuzz/bin/fuzz_<TARGET> -minimize_crash=1 -max_total_time=60 -exact_artifact_path=OUT CRASH
# and commit it under fuzz/crashes/<TARGET>/ once fixed.
#
# Environment: FA_FUZZ_JOBS (build jobs, default 1), FA_FUZZ_NO_BUILD=1 (run what is built), FA_FUZZ_FORK=1 (keep going after crashes,
# OOMs and timeouts: libFuzzer's -fork=1 -ignore_crashes=1 ...), FA_FUZZ_ARGS (more libFuzzer
# flags), FA_FUZZ_NO_LEAKS=1 (no leak reports: libFuzzer's per input and LeakSanitizer's at exit,
# for a target whose known leak would stop every job). Everything runs under `nice -n 10` (the machine is shared).
# Prints one line per target: seconds, executions, exec/s, cov and ft (edges and features that
# the final corpus reaches, measured by one pass over it), corpus files, findings (new files in
# the artifacts folder; the first sanitizer or property message in brackets).
set -euo pipefail

if [[ $# -lt 1 || ! $1 =~ ^[0-9]+$ ]]; then
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 2
fi
seconds=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=build-fuzz
data=${FA_DATA_DIR:-$root/../shared/data}
testOutput=$root/build/test-output

all=()
for f in fuzz/fuzz_*.cpp; do
    name=${f#fuzz/fuzz_}
    all+=("${name%.cpp}")
done
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=("${all[@]}")
for t in "${targets[@]}"; do
    [[ -f fuzz/fuzz_$t.cpp ]] || { echo "unknown target $t (have: ${all[*]})" >&2; exit 2; }
done

if [[ ${FA_FUZZ_NO_BUILD:-0} != 1 ]]; then
    [[ -f $build/build.ninja ]] || nice -n 10 cmake --preset fuzz >/dev/null
    nice -n 10 cmake --build $build -j "${FA_FUZZ_JOBS:-1}" --target "${targets[@]/#/fuzz_}"
fi

# seed TARGET: fills build-fuzz/seeds/TARGET from the shared data and the test outputs.
seed() {
    local t=$1 dir=$build/seeds/$1
    rm -rf "$dir"
    mkdir -p "$dir"
    case $t in
    file_name_labels)
        # The inputs are paths: the shared data's own file names.
        local i=0
        [[ -d $data ]] && find "$data" -type f | while read -r p; do
            i=$((i + 1))
            printf '%s' "$p" >"$dir/path_$i"
        done
        ;;
    gltf_file)
        # The JSON chunk of each .glb (binary chunks are never read), as .gltf text and as a
        # GLB holding only that chunk, so that seeds stay small.
        [[ -d $data ]] && find "$data/avatars" -name '*.glb' -o -name '*.gltf' | while read -r p; do
            python3 - "$p" "$dir/$(basename "$p")" <<'PY'
import struct, sys
b = open(sys.argv[1], 'rb').read()
if b[:4] == b'glTF':
    n = struct.unpack('<I', b[12:16])[0]
    js = b[20:20 + n]
    open(sys.argv[2] + '.json.gltf', 'wb').write(js)
    open(sys.argv[2] + '.json.glb', 'wb').write(b[:4] + struct.pack('<II', 2, 20 + n) + b[12:20] + js)
else:
    open(sys.argv[2], 'wb').write(b)
PY
        done
        ;;
    state_dict)
        [[ -d $testOutput ]] && find "$testOutput" -name '*.pt' -size -200k | while read -r p; do
            cp "$p" "$dir/$(echo "$p" | md5sum | cut -c1-12).pt"
        done
        ;;
    pickle_reader)
        [[ -d $testOutput ]] && find "$testOutput" -name '*.pt' -size -200k | while read -r p; do
            record=$(unzip -Z1 "$p" 2>/dev/null | grep -m1 '/data\.pkl$' || true)
            [[ -n $record ]] && unzip -p "$p" "$record" >"$dir/$(echo "$p" | md5sum | cut -c1-12).pkl" || true
        done
        ;;
    training_config)
        [[ -d $testOutput ]] && find "$testOutput" -name '*.yaml' -size -20k | head -200 | while read -r p; do
            cp "$p" "$dir/$(md5sum <"$p" | cut -c1-12).yaml"
        done
        ;;
    metrics_log)
        [[ -d $testOutput ]] && find "$testOutput" -name '*.jsonl' -size -20k | head -100 | while read -r p; do
            cp "$p" "$dir/$(md5sum <"$p" | cut -c1-12).jsonl"
        done
        ;;
    live_link_csv | generic_csv | fec_triplet_csv | reference_triplet_csv)
        [[ -d $testOutput ]] && find "$testOutput" -name '*.csv' -size -20k | head -200 | while read -r p; do
            cp "$p" "$dir/$(md5sum <"$p" | cut -c1-12).csv"
        done
        ;;
    esac
    return 0
}

printf '%-22s %7s %12s %8s %7s %7s %7s %s\n' target seconds execs exec/s cov ft corpus findings
for t in "${targets[@]}"; do
    corpus=$build/corpus/$t
    artifacts=$build/artifacts/$t
    log=$build/logs/$t-$(date +%Y%m%d-%H%M%S).log
    mkdir -p "$corpus" "$artifacts" "$build/logs"
    seed "$t"
    inputs=("$corpus" "fuzz/corpus/$t" "$build/seeds/$t")
    [[ -d fuzz/crashes/$t ]] && inputs+=("fuzz/crashes/$t")
    flags=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -max_len=65536
           -artifact_prefix="$artifacts/")
    if [[ ${FA_FUZZ_NO_LEAKS:-0} == 1 ]]; then
        flags+=(-detect_leaks=0)
        export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
    fi
    [[ ${FA_FUZZ_FORK:-0} == 1 ]] && flags+=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
    before=$(find "$artifacts" -type f | wc -l)
    start=$(date +%s)
    # shellcheck disable=SC2086
    nice -n 10 "$build/bin/fuzz_$t" "${flags[@]}" ${FA_FUZZ_ARGS:-} "${inputs[@]}" >"$log" 2>&1 || true
    elapsed=$(($(date +%s) - start))
    # Executions: libFuzzer's final stats (one process), else the last status line (fork mode).
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    [[ -z $execs ]] && execs=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -o '^#[0-9]*' | tr -d '#' || true)
    rate=$(( ${execs:-0} / (elapsed > 0 ? elapsed : 1) ))
    # Coverage: one pass over the whole corpus without mutations (-runs=0), the same measure
    # whether the run forked or not (fork mode's status lines count features differently).
    status=$(nice -n 10 "$build/bin/fuzz_$t" -runs=0 -max_len=65536 "${inputs[@]}" 2>&1 | grep -E 'INITED|DONE' | tail -1 || true)
    cov=$(grep -o 'cov: [0-9]*' <<<"$status" | grep -o '[0-9]*' || true)
    ft=$(grep -o 'ft: [0-9]*' <<<"$status" | grep -o '[0-9]*' || true)
    after=$(find "$artifacts" -type f | wc -l)
    findings=$((after - before))
    what=$(grep -m1 -oE 'ERROR: (AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer|libFuzzer): [^ ]+|runtime error: .*|fa-fuzz: property failed: .*' "$log" || true)
    printf '%-22s %7s %12s %8s %7s %7s %7s %s\n' "$t" "$elapsed" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
        "${ft:-?}" "$(find "$corpus" -type f | wc -l)" "$findings${what:+ ($what)}"
    echo "    log: $log" >&2
done
