#!/usr/bin/env bash
# One command for a fresh Debian bookworm machine: install what is missing, configure, build,
# then either run the main job on the bundled sample or run the whole test suite.
#
#   installer/bootstrap.sh sample   # retarget Megamind.avi (opencv-doc) onto the mannequin head
#   installer/bootstrap.sh test     # build everything and run all tests (CTest; GUI tests under xvfb-run)
#   installer/bootstrap.sh build    # install and build only
set -euo pipefail
mode=${1:-sample}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# 1. Debian packages (installer/debian-packages.txt), only those not yet installed.
wanted=$(grep -vE '^\s*(#|$)' installer/debian-packages.txt | tr '\n' ' ')
missing=""
for p in $wanted; do
    dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing="$missing $p"
done
if [ -n "$missing" ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing Debian packages: $missing"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# 2. Configure and build (CMake presets; ccache is used when present).
cmake --preset release
cmake --build --preset release

# 3. Run.
case "$mode" in
sample)
    mkdir -p out
    build/bin/freeavatar retarget /usr/share/doc/opencv-doc/examples/data/Megamind.avi \
        --csv out/megamind_livelink.csv --fbx out/megamind.fbx
    echo "Wrote out/megamind_livelink.csv and out/megamind.fbx"
    ;;
test)
    ctest --preset release
    ;;
build)
    ;;
*)
    echo "usage: $0 [sample|test|build]" >&2
    exit 2
    ;;
esac
