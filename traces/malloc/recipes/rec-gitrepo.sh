#!/bin/sh
# rec-gitrepo.sh DIR - build the git repository that rec-git.rep's command
# reads: 60 commits by one author at fixed dates, each rewriting lines of
# three text files, so `git log -p` has real diffs to compute. The same
# commands give the same commit ids every time.
set -eu
dir=$1
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
export GIT_AUTHOR_NAME="Lab Author" GIT_AUTHOR_EMAIL="author@example.org"
export GIT_COMMITTER_NAME="Lab Author" GIT_COMMITTER_EMAIL="author@example.org"
export GIT_CONFIG_NOSYSTEM=1 HOME="$dir"
git init -q -b main .
i=1
while [ "$i" -le 60 ]; do
    for f in heap pages swap; do
        # Each commit changes every line whose number is a multiple of i % 7 + 2.
        awk -v c="$i" -v f="$f" 'BEGIN {
            for (l = 1; l <= 200; l++) {
                v = (l % (c % 7 + 2) == 0) ? c : int(c / 2);
                printf "%s line %d revision %d value %d\n", f, l, v, (l * 7919 + v * 104729) % 100003
            }
        }' > "$f.txt"
    done
    git add heap.txt pages.txt swap.txt
    # One commit a day from 2024-01-01 00:00 UTC.
    date="@$((1704067200 + i * 86400)) +0000"
    GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date git commit -q -m "revision $i"
    i=$((i + 1))
done
