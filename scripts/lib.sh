# SPDX-License-Identifier: GPL-2.0
# Shell helpers shared by the scripts that build a scratch copy of the tree.

# copy_tracked_tree REPO DEST: copy the files git tracks in REPO into DEST,
# so a build there sees exactly what a clean clone has.
copy_tracked_tree() {
	(cd "$1" && git ls-files -z | xargs -0 cp --parents -t "$2")
}

# debian_kver FLAVOR: the newest installed Debian kernel ABI of FLAVOR
# (amd64 or rt-amd64) with headers, e.g. 6.1.0-56-amd64; "amd64" never
# matches the rt-amd64 ones.
debian_kver() {
	ls -d /usr/src/linux-headers-[0-9]*-"$1" 2>/dev/null | sed 's,.*/linux-headers-,,' |
		grep -E "^[0-9.]+-[0-9]+-$1\$" | sort -V | tail -n1
}
