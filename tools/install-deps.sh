#!/bin/sh
# install-deps.sh — install the Debian packages of tools/debian-packages.txt
# that are missing (less those named in $HOTICH_DEPS_SKIP): one `apt-get update`, then one `apt-get install` of the
# missing ones.  As a non-root user it uses sudo when there is one.
set -eu
list=$(sed -e 's/#.*//' "$(dirname "$0")/debian-packages.txt")
missing=
for p in $list; do
	# HOTICH_DEPS_SKIP: packages not wanted here (the Docker image skips the
	# browser and load tools of the tests)
	case " ${HOTICH_DEPS_SKIP:-} " in *" $p "*) continue ;; esac
	if ! dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing Debian packages:$missing"
sudo=
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo=sudo
	else
		echo "install-deps: not root and no sudo; install as root:$missing" >&2
		exit 1
	fi
fi
$sudo apt-get update -q
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
