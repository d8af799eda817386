#!/bin/sh
# chatops-agent: this launcher, followed by the agent's jar in the same file (java reads a jar
# from its end, so `java -jar` runs this very file). Needs Java 17 or newer: the runtime next to
# it (the linux-x64 tarball), else $JAVA_HOME, else java on PATH. CHATOPS_JAVA_OPTS adds JVM flags.
here=$(dirname "$0")
if [ -n "${CHATOPS_JAVA:-}" ]; then
  java=$CHATOPS_JAVA
elif [ -x "$here/runtime/bin/java" ]; then
  java=$here/runtime/bin/java
elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java=$JAVA_HOME/bin/java
else
  java=java
fi
# Small heap (a 1 MB young generation: a sample allocates tens of kilobytes), small code cache, one
# compiler thread, no periodic safepoints or perf-data file, few malloc arenas, and no class-data
# sharing (mapping the JDK's archive touches more memory than loading the few classes the agent
# needs, for 25 ms of start-up): the agent idles between samples, and every page and wake-up is
# taken from the server it watches.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
exec "$java" -XX:+UseSerialGC -Xms4m -Xmn1m -Xmx32m -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 \
  -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=48m -XX:-UsePerfData -XX:+UnlockDiagnosticVMOptions \
  -XX:GuaranteedSafepointInterval=0 -Xshare:off ${CHATOPS_JAVA_OPTS:-} -jar "$0" "$@"
