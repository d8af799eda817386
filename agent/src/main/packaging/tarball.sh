#!/usr/bin/env bash
# Builds chatops-agent-VERSION-linux-x64.tar.gz: the chatops-agent file, a Java runtime reduced to
# the modules the agent uses (jlink), and the systemd unit. Called by Maven in the package phase.
set -euo pipefail
target=$1 version=$2 java_home=$3 unit=$4

name=chatops-agent-$version
stage=$target/dist/$name
rm -rf "$target/dist"
mkdir -p "$stage"
# java.net.http for the WebSocket, jdk.unsupported for signals, jdk.crypto.ec for TLS to the hub.
"$java_home/bin/jlink" --add-modules java.base,java.net.http,jdk.unsupported,jdk.crypto.ec \
  --strip-debug --no-man-pages --no-header-files --compress zip-6 --output "$stage/runtime"
cp "$target/chatops-agent" "$unit" "$stage/"
tar -czf "$target/$name-linux-x64.tar.gz" -C "$target/dist" "$name"
