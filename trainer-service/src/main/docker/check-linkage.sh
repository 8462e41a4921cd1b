#!/usr/bin/env bash
# Fails unless every shared library in a folder finds, on this system, every library and symbol version it needs; only
# the NVIDIA driver's libcuda.so.1 may be missing (the NVIDIA container toolkit mounts it when a container starts on a
# GPU node, so no image has it at build time).
#
#   check-linkage.sh FOLDER
#
# Why: DJL 0.36.0 System.loads every library of its libtorch folder (ai.djl.pytorch.jni.LibUtils.loadLibTorch), so one
# library with a missing dependency (libcufile_rdma needs the RDMA libraries, for instance) stops the engine at start
# on the GPU node, long after the image was built and pushed. Run in the image, at build time, it fails the build
# instead. The libraries of the folder are resolved against each other (LD_LIBRARY_PATH), as DJL has loaded them all
# by path before the ones that need them.
#
# Exit status: 0 all resolved; 1 something is missing (each missing library or symbol version is listed with the
# library that needs it); 2 usage.
set -euo pipefail

if [ "$#" -ne 1 ] || [ ! -d "$1" ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
folder=$(cd "$1" && pwd)
allowed='libcuda.so.1'

shopt -s nullglob
checked=0
problems=()
for library in "$folder"/*.so "$folder"/*.so.*; do
  [ -f "$library" ] || continue
  checked=$((checked + 1))
  if ! output=$(LD_LIBRARY_PATH="$folder" ldd "$library" 2>&1); then
    problems+=("$(basename "$library"): ldd failed: $output")
    continue
  fi
  while IFS= read -r line; do
    line=$(echo "$line" | sed 's/^[[:space:]]*//')
    case "$line" in
      "$allowed => not found") ;;
      *"not found"*) problems+=("$(basename "$library") needs $line") ;;
    esac
  done <<<"$output"
done

if [ "$checked" -eq 0 ]; then
  echo "check-linkage: $folder holds no shared library" >&2
  exit 1
fi
if [ "${#problems[@]}" -gt 0 ]; then
  echo "check-linkage: in $folder, what this image cannot provide (only $allowed may be missing):" >&2
  printf '  %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "check-linkage: the $checked libraries of $folder find everything they need (apart from the driver's $allowed)"
