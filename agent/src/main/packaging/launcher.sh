#!/bin/sh
# chatops-agent: this launcher, followed by the agent's jar in the same file (java reads a jar
# from its end, so `java -jar` runs this very file). Needs Java 17 or newer: the runtime next to
# it (the linux-x64 tarball and the Debian package have one; /usr/bin/chatops-agent is a symlink to
# it), else $JAVA_HOME, else java on PATH. CHATOPS_JAVA_OPTS adds JVM flags.
here=$(dirname "$(readlink -f "$0")")
if [ -n "${CHATOPS_JAVA:-}" ]; then
  java=$CHATOPS_JAVA
elif [ -x "$here/runtime/bin/java" ]; then
  java=$here/runtime/bin/java
elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java=$JAVA_HOME/bin/java
else
  java=java
fi
# The agent idles between samples, and every page and wake-up is taken from the server it watches
# (measured in docs/agent.md, "Resource use"):
#   -XX:+UseSerialGC -Xms2m -Xmn1m -Xmx32m   no GC threads; a sample allocates tens of kilobytes,
#                                             which a 1 MB young generation holds
#   -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30   and the heap shrinks back after a burst (down
#                                             to -Xms, hence 2 MB: the start-up's garbage is gone)
#   -Xss256k                                  the agent's threads are shallow
#   -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1   C1 only, on one thread
#   -XX:CompileThresholdScaling=0.005         compile a method on its second call: code run once per
#                                             sample would otherwise be interpreted for hours and reach
#                                             the compiler one method at a time (2 ms per sample), and
#                                             code run every 30 s (the container list) is compiled in
#                                             the first minute instead of the second (0.01: third call)
#   -XX:StringTableSize=1024 -XX:SymbolTableSize=4096   start the JVM's string and symbol tables
#                                             small (they grow when they fill): their defaults are sized
#                                             for large applications and cost 0.7 MB here (the second
#                                             is an experimental flag: UnlockExperimentalVMOptions)
#   -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=48m   bounds, far above what is used
#   -XX:-UsePerfData                          no hsperfdata file in /tmp
#   -XX:GuaranteedSafepointInterval=0         no safepoint every second
#   -XX:AsyncDeflationInterval=60000          look for idle monitors once a minute instead of four
#                                             times a second (2 ms per sample on Java 17)
#   -XX:TrimNativeHeapInterval=60000          hand the memory the compiler freed back to the system;
#                                             Java 17 updates before 17.0.9 lack it, hence
#                                             IgnoreUnrecognizedVMOptions
#   -Xshare:off                               mapping the JDK's class-data archive touches more memory
#                                             than loading the few classes the agent needs
#   MALLOC_ARENA_MAX=2                        few malloc arenas
flags='-XX:+UseSerialGC -Xms2m -Xmn1m -Xmx32m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss256k
  -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:CompileThresholdScaling=0.005
  -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=48m -XX:-UsePerfData
  -XX:+UnlockDiagnosticVMOptions -XX:+UnlockExperimentalVMOptions -XX:+IgnoreUnrecognizedVMOptions
  -XX:GuaranteedSafepointInterval=0 -XX:AsyncDeflationInterval=60000 -XX:TrimNativeHeapInterval=60000
  -XX:StringTableSize=1024 -XX:SymbolTableSize=4096 -Xshare:off'
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
# shellcheck disable=SC2086 # the flags are words on purpose
exec "$java" $flags ${CHATOPS_JAVA_OPTS:-} -jar "$0" "$@"
