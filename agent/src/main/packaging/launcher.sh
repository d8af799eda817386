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
# Small heap and code cache, one compiler thread, no periodic safepoints or perf-data file:
# the agent idles between samples, and every wake-up costs CPU on the server it watches.
exec "$java" -XX:+UseSerialGC -Xms8m -Xmx32m -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 \
  -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=48m -XX:-UsePerfData -XX:+UnlockDiagnosticVMOptions \
  -XX:GuaranteedSafepointInterval=0 -Xshare:auto ${CHATOPS_JAVA_OPTS:-} -jar "$0" "$@"
