# Sourced by ./vigil and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME, the java on PATH, then the newest JDK under /usr/lib/jvm.
vigil_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }
vigil_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"); fi
  for c in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${c%/}"); done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/javac" ] || continue
    major=$(vigil_java_major "$c")
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then export JAVA_HOME="$c"; export PATH="$c/bin:$PATH"; return 0; fi
  done
  echo "vigil: no JDK 21 or newer found (looked at \$JAVA_HOME, the javac on PATH and /usr/lib/jvm). Install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21, and set JAVA_HOME." >&2
  return 1
}

# JVM options for Vigil's own processes. Netty reads and writes its direct buffers through sun.misc.Unsafe; on
# JDK 24+ that needs --sun-misc-unsafe-memory-access=allow, else Netty falls back to java.nio.ByteBuffer accessors
# (the gateway's header encoding then goes byte by byte through bounds- and session-checked puts). The option
# exists from JDK 23 on; older JDKs would refuse to start with it.
vigil_jvm_opts() {
  local v
  v=$(awk -F'"' '/^JAVA_VERSION=/ {print $2; exit}' "$JAVA_HOME/release" 2>/dev/null)
  if [ -n "$v" ] && [ "${v%%.*}" -ge 23 ] 2>/dev/null; then echo "--sun-misc-unsafe-memory-access=allow"; fi
}
