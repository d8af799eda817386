#!/usr/bin/env bash
# Builds chatops-agent-VERSION-linux-x64.tar.gz: the chatops-agent file, a Java runtime reduced to
# the modules the agent uses (jlink), and the systemd unit. Called by Maven in the package phase.
# The runtime is linked from a JDK 17 when one with jmods is installed (AGENT_RUNTIME_JDK, or
# Debian's openjdk-17), because the agent needs about 8 MB less memory on 17 than on newer JDKs;
# otherwise from the JDK that runs the build.
set -euo pipefail
target=$1 version=$2 java_home=$3 unit=$4

for candidate in "${AGENT_RUNTIME_JDK:-}" /usr/lib/jvm/java-17-openjdk-*; do
  if [ -n "$candidate" ] && [ -d "$candidate/jmods" ] && [ -x "$candidate/bin/jlink" ]; then
    java_home=$candidate
    break
  fi
done

name=chatops-agent-$version
stage=$target/dist/$name
rm -rf "$target/dist"
mkdir -p "$stage"
# JDK 21 renamed the compression levels; 17 only knows the old numbers.
case "$("$java_home/bin/jlink" --version)" in
  17*) compress=2 ;;
  *) compress=zip-6 ;;
esac
# jdk.unsupported for signals, jdk.crypto.ec for TLS to the hub (the WebSocket client is the agent's own).
"$java_home/bin/jlink" --add-modules java.base,jdk.unsupported,jdk.crypto.ec \
  --strip-debug --no-man-pages --no-header-files --compress="$compress" --output "$stage/runtime"
cp "$target/chatops-agent" "$unit" "$stage/"
tar -czf "$target/$name-linux-x64.tar.gz" -C "$target/dist" "$name"
