#!/usr/bin/env bash
# Makes the libtorch folder that DJL 0.36.0 loads through PYTORCH_LIBRARY_PATH, and refuses to make the wrong one.
#
#   stage-libtorch.sh SOURCE_LIB FLAVOR JNI_JAR OUT
#
# SOURCE_LIB  the lib/ folder of an unpacked official libtorch archive (its build-version file one level up, as in
#             the archive, e.g. "2.7.1+cu128")
# FLAVOR      DJL's flavour name: cu128 for the CUDA image (the CUDA build DJL 0.36.0 pairs with libtorch 2.7.1), cpu
# JNI_JAR     DJL's pytorch-jni jar (pytorch-jni-2.7.1-0.36.0.jar), which holds jnilib/<os>-<arch>/<flavor>/libdjl_torch.so
# OUT         the folder to create, named as DJL names its own cache folders: <version>-<flavor>-<os>-<arch>
#
# What DJL 0.36.0 does with such a folder (ai.djl.pytorch.jni.LibUtils, read at tag v0.36.0): with PYTORCH_LIBRARY_PATH
# set, findOverrideLibrary() takes the first folder holding libtorch.so, before looking at the classpath; it loads every
# library of the folder, then the JNI library, which it looks for first in that same folder as
# "<djl_version>-libdjl_torch.so" (PYTORCH_FLAVOR only matters when it has to extract the JNI library from the jar
# instead). With the JNI library placed here, DJL extracts and downloads nothing at run time.
#
# Which files: the set DJL publishes for a flavour (its pytorch-native build.gradle.kts at v0.36.0 copies these name
# patterns from the official archive's lib/ folder: libc10*, libc10_cuda.so, libcaffe2_nvrtc.so, libcu*, libnv*,
# libgomp*, libiomp*, libgfortran-*, libopenblasp-*, libarm_compute*, libtorch_cpu.*, libtorch_cuda*.so, libtorch.*).
# The archive's test and backend libraries are left out, because DJL would load every library in the folder; so is
# libcufile_rdma (cuFile's GPUDirect Storage over RDMA plugin, in the archives since PyTorch 2.7 with libcufile): neither
# libtorch nor libcufile is linked against it (pytorch/pytorch#148465), it needs the RDMA libraries (libibverbs,
# librdmacm) that a CUDA base image lacks, and its System.load would stop DJL.
#
# Timestamps: the copies keep the archive's modification times, and the JNI library (extracted from the jar) and the
# folder take the archive's build-version time; with SOURCE_DATE_EPOCH set, every file and the folder take that time.
# Either way two runs on the same inputs give the same bytes and times, so an image layer made of OUT is the same blob
# on every build (a plain cp would stamp each file with the time of the build).
#
# Exit status: 0 done; 1 the result would not be the requested flavour or version (nothing is left in OUT); 2 usage.
set -euo pipefail

if [ "$#" -ne 4 ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
source_lib=$1
flavor=$2
jni_jar=$3
out=$4

created=0
fail() {
  echo "stage-libtorch: $*" >&2
  if [ "$created" = 1 ]; then
    rm -rf "$out"
  fi
  exit 1
}

[ -d "$source_lib" ] || fail "no folder $source_lib"
[ -f "$jni_jar" ] || fail "no JNI jar $jni_jar"
case "$flavor" in
  cpu | cu[0-9][0-9][0-9]) ;;
  *) fail "unknown flavour '$flavor' (cpu or cuNNN, e.g. cu128)" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) classifier=linux-x86_64 ;;
  aarch64 | arm64) classifier=linux-aarch64 ;;
  *) fail "unsupported machine $(uname -m)" ;;
esac

read_from_jar() { # entry -> stdout
  if command -v unzip >/dev/null 2>&1; then
    unzip -p "$jni_jar" "$1"
  else
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && jar xf "$jni_jar" "$1") && cat "$tmp/$1"
    rm -rf "$tmp"
  fi
}

# jni_version=<libtorch version>-<djl version>, e.g. 2.7.1-0.36.0
jni_version=$(read_from_jar jnilib/pytorch.properties | sed -n 's/^jni_version=//p' | tr -d '\r')
[ -n "$jni_version" ] || fail "$jni_jar has no jnilib/pytorch.properties: not DJL's pytorch-jni jar"
torch_version=${jni_version%-*}
djl_version=${jni_version##*-}

build_version_file="$source_lib/../build-version"
[ -f "$build_version_file" ] || fail "no build-version next to $source_lib: not an unpacked official libtorch archive"
build_version=$(tr -d '\r\n' <"$build_version_file")
# Official archives say e.g. 2.7.1+cu128 (CPU: 2.7.1+cpu).
[ "${build_version%%+*}" = "$torch_version" ] \
  || fail "libtorch in $source_lib is $build_version, but $jni_jar was built for libtorch $torch_version"
[ "${build_version#*+}" = "$flavor" ] \
  || fail "libtorch in $source_lib is the ${build_version#*+} build ($build_version), not the requested $flavor"

if [ "$flavor" != cpu ]; then
  # The CUDA libraries DJL must load; a CPU archive has none of them. This is the check that keeps a GPU image from
  # ever carrying a CPU libtorch, whatever the archive's name or version file says.
  for lib in libtorch_cuda.so libc10_cuda.so; do
    [ -f "$source_lib/$lib" ] || fail "$source_lib has no $lib: this is not a $flavor build of libtorch"
  done
fi

jni_entry="jnilib/$classifier/$flavor/libdjl_torch.so"
rm -rf "$out"
mkdir -p "$out"
created=1
read_from_jar "$jni_entry" >"$out/$djl_version-libdjl_torch.so" 2>/dev/null || true
[ -s "$out/$djl_version-libdjl_torch.so" ] || fail "$jni_jar has no $jni_entry: DJL $djl_version has no $flavor JNI for $classifier"

shopt -s nullglob
copied=0
left_out=()
for pattern in 'libc10*' libc10_cuda.so libcaffe2_nvrtc.so 'libcu*' 'libnv*' 'libgomp*' 'libiomp*' 'libgfortran-*' \
  'libopenblasp-*' 'libarm_compute*' 'libtorch_cpu.*' 'libtorch_cuda*.so' 'libtorch.*'; do
  for file in "$source_lib"/$pattern; do
    name=$(basename "$file")
    case "$name" in
      libcufile_rdma*)
        left_out+=("$name")
        continue
        ;;
    esac
    if [ -f "$file" ] && [ ! -e "$out/$name" ]; then
      cp -L --preserve=timestamps "$file" "$out/"
      copied=$((copied + 1))
    fi
  done
done
[ -f "$out/libtorch.so" ] || fail "$source_lib has no libtorch.so"
cp --preserve=timestamps "$build_version_file" "$out/build-version"
touch -r "$build_version_file" "$out/$djl_version-libdjl_torch.so" "$out"
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  [[ "$SOURCE_DATE_EPOCH" =~ ^[0-9]+$ ]] || fail "SOURCE_DATE_EPOCH is not a number of seconds: $SOURCE_DATE_EPOCH"
  find "$out" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
fi
if [ "${#left_out[@]}" -gt 0 ]; then
  echo "stage-libtorch: left out (not needed, and its dependencies are not in the image): ${left_out[*]}"
fi

if [ "$flavor" != cpu ]; then
  echo "stage-libtorch: CUDA libraries bundled with libtorch: $(cd "$out" && echo libcu* libnv* | tr ' ' '\n' | grep -v '\*' | tr '\n' ' ')"
fi
echo "stage-libtorch: $out holds libtorch $build_version ($copied libraries) and the $flavor JNI library of DJL $djl_version"
