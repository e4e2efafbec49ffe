#!/usr/bin/env bash
# Builds and runs kamplan's fuzz targets on stable Rust (see docs/fuzzing.md).
#
#   fuzz/fuzz.sh build                 build every target
#   fuzz/fuzz.sh run TARGET [SECONDS]  fuzz one target on one core (default 600 s),
#                                      growing fuzz/corpus/TARGET
#   fuzz/fuzz.sh smoke [SECONDS]       every target for SECONDS (default 10), from
#                                      its committed corpus, new inputs thrown away;
#                                      fails on a failure not in fuzz/known-failures
#   fuzz/fuzz.sh minimize TARGET       shrink fuzz/corpus/TARGET to the inputs that
#                                      reach new edges
#   fuzz/fuzz.sh targets               list the targets
set -euo pipefail
cd "$(dirname "$0")"

TARGETS=(sales_line sales_file header rules accounts expression)
export RUSTC_WRAPPER="$PWD/rustc-wrapper"
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release"

# The fuzz crate is a workspace of its own; starting from the main crate's
# lock file gives kamplan the very dependency versions of the main build
# (whose compiled dependencies a copied target folder then reuses), and adds
# only libFuzzer's crates.
build() {
    cp ../Cargo.lock Cargo.lock
    cargo build --release --bins
}

check_target() {
    local t
    for t in "${TARGETS[@]}"; do
        [ "$t" = "$1" ] && return 0
    done
    echo "unknown target $1 (targets: ${TARGETS[*]})" >&2
    exit 2
}

# Options shared by every run: inputs up to 4 KiB (8 KiB for rule files), a
# dictionary per target, no leak checks (there is no sanitizer runtime).
options() {
    local t="$1" len=4096
    if [ "$t" = rules ]; then len=8192; fi
    echo "-max_len=$len -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1"
    if [ -f "dict/$t.dict" ]; then echo "-dict=dict/$t.dict"; fi
}

case "${1:-}" in
build)
    build
    ;;
run)
    check_target "${2:?target}"
    build
    mkdir -p "corpus/$2" "artifacts/$2"
    # One worker process that survives crashes, timeouts and running out of
    # memory, leaving each such input in fuzz/artifacts/TARGET.
    # shellcheck disable=SC2046
    "$BIN/$2" $(options "$2") -max_total_time="${3:-600}" \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -artifact_prefix="artifacts/$2/" "corpus/$2"
    ;;
smoke)
    build
    failed=()
    for t in "${TARGETS[@]}"; do
        scratch="$(mktemp -d)"
        mkdir -p "artifacts/$t"
        # New inputs go to the scratch folder; the committed corpus is only
        # read. A failing input is kept in fuzz/artifacts/TARGET.
        # shellcheck disable=SC2046
        if "$BIN/$t" $(options "$t") -max_total_time="${2:-10}" \
            -artifact_prefix="artifacts/$t/" "$scratch" "corpus/$t" >"$scratch.log" 2>&1; then
            echo "$t: $(grep -a -E '^#[0-9]+[[:space:]]+DONE' "$scratch.log" | tail -1)"
        else
            place="$(grep -a -m1 -oE 'panicked at [^ ]*:[0-9]+:[0-9]+' "$scratch.log" | sed 's|.*/src/|src/|')"
            if [ -n "$place" ] && grep -q "^$t ${place#panicked at } " known-failures; then
                echo "$t: known failure at ${place#panicked at } (fuzz/known-failures)"
            else
                echo "$t FAILED:"
                grep -a -A1 'panicked at' "$scratch.log" | head -2
                grep -a -v '^INFO:' "$scratch.log" | grep -a -E -A3 '^(==[0-9]+==|SUMMARY|artifact_prefix)'
                failed+=("$t")
            fi
        fi
        rm -rf "$scratch" "$scratch.log"
    done
    if [ "${#failed[@]}" != 0 ]; then
        echo "fuzz targets failed: ${failed[*]}; the inputs are in fuzz/artifacts/" >&2
        exit 1
    fi
    ;;
minimize)
    check_target "${2:?target}"
    build
    rm -rf "corpus/$2.min"
    mkdir -p "corpus/$2.min"
    # Inputs are kept for the edges they reach, not for how often they run
    # them (-use_counters=0): a corpus a tenth the size, with the same edges.
    # shellcheck disable=SC2046
    "$BIN/$2" $(options "$2") -merge=1 -use_counters=0 "corpus/$2.min" "corpus/$2"
    rm -rf "corpus/$2"
    mv "corpus/$2.min" "corpus/$2"
    ;;
targets)
    printf '%s\n' "${TARGETS[@]}"
    ;;
*)
    sed -n '2,14s/^# \{0,1\}//p' fuzz.sh
    exit 2
    ;;
esac
