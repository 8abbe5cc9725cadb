# SPDX-License-Identifier: GPL-2.0
# Shell helpers shared by the scripts that build a scratch copy of the tree.

# copy_tracked_tree REPO DEST: copy the files git tracks in REPO into DEST,
# so a build there sees exactly what a clean clone has.
copy_tracked_tree() {
	(cd "$1" && git ls-files -z | xargs -0 cp --parents -t "$2")
}
