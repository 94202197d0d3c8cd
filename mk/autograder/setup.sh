#!/bin/sh
# setup.sh - Gradescope runs this once, as root, when it builds the
# autograder's image: the kit's Debian packages, then grade and the kit it
# builds submissions against. The kit is in memlabs/ beside this file
# (/autograder/source/memlabs on Gradescope).
set -eu
kit=$(cd "$(dirname "$0")" && pwd)/memlabs
cd "$kit"
if command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
    apt-get update -q
fi
make -s deps
make -s grader
echo "setup.sh: grade is $kit/build/release/solution/bin/grade"
