# Sourced by build.sh, sanitize.sh and fuzz.sh: sets `launcher`, the CMake argument that puts
# ccache in front of the compiler, or nothing when ccache is missing.
# - CCACHE_BASEDIR: paths relative to the checkout, so a fresh clone elsewhere (CI) hits the cache.
# - CCACHE_SLOPPINESS: without pch_defines,time_macros ccache refuses every translation unit that
#   uses a precompiled header ("could not use precompiled header"): the proxy's and the
#   integration tests' sources, the slowest of all, were never cached. include_file_mtime/ctime:
#   the precompiled header is regenerated in each fresh build tree, so it is always "too new".
# Set through `env` in the launcher, so a later plain `ninja -C build` caches the same way.
launcher=()
if command -v ccache >/dev/null; then
  launcher=("-DCMAKE_CXX_COMPILER_LAUNCHER=env;CCACHE_BASEDIR=$PWD;CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime;ccache")
fi
