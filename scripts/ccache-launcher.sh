# Sourced by build.sh, sanitize.sh and fuzz.sh: sets `launcher`, the CMake argument that puts
# ccache in front of the compiler, or nothing when ccache is missing.
# CI builds a fresh clone at a new path each time, so everything here is about hitting the cache
# from a checkout that lives somewhere else:
# - CCACHE_BASEDIR: the clone's absolute paths in a command line become relative.
# - CCACHE_NOHASHDIR: with -g (RelWithDebInfo, the sanitizer build) ccache otherwise hashes the
#   working directory, and every object of a clone at a new path missed; the debug info still
#   names the directory of the first build, which only matters to a debugger.
# - CCACHE_SLOPPINESS: without pch_defines,time_macros ccache refuses every translation unit that
#   uses a precompiled header ("could not use precompiled header"): the proxy's and the
#   integration tests' sources, the slowest of all, were never cached. include_file_mtime/ctime:
#   the precompiled header is regenerated in each fresh build tree, so it is always "too new".
# - CCACHE_MAXSIZE: the normal, sanitizer and fuzz builds together outgrow ccache's 5 GB default,
#   which evicted one build while the next was cached.
# Set through `env` in the launcher, so a later plain `ninja -C build` caches the same way.
launcher=()
if command -v ccache >/dev/null; then
  launcher=("-DCMAKE_CXX_COMPILER_LAUNCHER=env;CCACHE_BASEDIR=$PWD;CCACHE_NOHASHDIR=1;CCACHE_MAXSIZE=15G;CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime;ccache")
fi
