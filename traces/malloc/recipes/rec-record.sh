#!/bin/sh
# rec-record.sh BIN [NAME...] - record traces/malloc/rec-NAME.rep (all of
# them by default) with the mtrace built in BIN, e.g.
#     make build && traces/malloc/recipes/rec-record.sh build/release/solution/bin
# Each trace is capped at CAP operations (then its closing frees). Address
# space randomization is turned off (setarch -R) and the programs' hash seeds
# are fixed, so a recording repeats exactly on the same machine; another
# machine, with other versions of the programs, records the same work with
# other numbers. The commands here are the ones traces/malloc/README.md
# shows.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 BIN [NAME...]" >&2; exit 2; }
bin=$(cd "$1" && pwd)
shift
recipes=$(cd "$(dirname "$0")" && pwd)
traces=$(dirname "$recipes")
repo=$(cd "$traces/../.." && pwd)
# A fixed working directory: Python hashes paths under it, so its name
# shapes the allocations.
work=/tmp/mtrace-recording.d
rm -rf "$work"
mkdir "$work"
trap 'rm -rf "$work"' EXIT
CAP=150000
export LC_ALL=C PYTHONHASHSEED=0 PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0

# record NAME MTRACE-ARGS... -- COMMAND... : run in $work, stdout discarded,
# stderr to a file shown afterwards (a program may allocate differently when
# its stderr is a pipe or a terminal).
record() {
    name=$1
    shift
    echo "== rec-$name.rep" >&2
    status=0
    (cd "$work" && setarch -R "$bin/mtrace" -n "$CAP" -o "$traces/rec-$name.rep" "$@") \
        >/dev/null 2>"$work/stderr" || status=$?
    cat "$work/stderr" >&2
    return "$status"
}

rec_python() {
    record python -- /usr/bin/python3 "$recipes/rec-python.py"
}
rec_perl() {
    record perl -- /usr/bin/perl "$recipes/rec-perl.pl"
}
rec_tcl() {
    record tcl -- /usr/bin/tclsh "$recipes/rec-tcl.tcl"
}
rec_sqlite() {
    record sqlite -- /usr/bin/sqlite3 :memory: ".read $recipes/rec-sqlite.sql"
}
rec_awk() {
    /usr/bin/mawk -f "$recipes/rec-awk-input.awk" > "$work/awk-input.txt"
    record awk -- /usr/bin/mawk -f "$recipes/rec-awk.awk" awk-input.txt
}
rec_git() {
    "$recipes/rec-gitrepo.sh" "$work/repo"
    record git -- /usr/bin/git -C repo log -p
}
rec_gcc() {
    # The kit's own reference allocator, as it was in its first commit.
    git -C "$repo" archive 4609b02 handout/malloc handout/common solution/malloc | tar -x -C "$work"
    record gcc -x cc1 -- /usr/bin/gcc -std=gnu17 -O2 -g -Wall -Isolution/malloc \
        -Ihandout/malloc -Ihandout/common -c -o mm.o solution/malloc/mm.c
}

[ $# -gt 0 ] || set -- python perl tcl sqlite awk git gcc
for name in "$@"; do
    case $name in
    python | perl | tcl | sqlite | awk | git | gcc) "rec_$name" ;;
    *) echo "$0: unknown trace '$name' (python perl tcl sqlite awk git gcc)" >&2; exit 2 ;;
    esac
done
