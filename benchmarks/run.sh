#!/usr/bin/env bash
# Runs Quell's benchmarks beside their baselines and prints one table.
# Installs PostgreSQL from Debian's packages if it is missing and runs a throw-away cluster on
# loopback for the pg_cancel_backend baseline. Usage:
#   benchmarks/run.sh [--runs 200] [--scale 0.1] [--sessions 100,1000,10000] [--only 123456789]
# --runs and --scale are figure 1's cancels per system and TPC-H scale; a quick look:
#   benchmarks/run.sh --only 1 --runs 14 --scale 0.05
# Maven options (e.g. -Dmaven.repo.local=...) go in MAVEN_OPTS, which mvn passes on.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | tail -1)")
PGDATA=$(mktemp -d /tmp/quell-bench-pg.XXXXXX)
PGPORT=55432
[ "$(id -u)" -eq 0 ] && chown postgres "$PGDATA"
as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
as_pg "$PGBIN/initdb -D $PGDATA -A trust -U bench >/dev/null"
as_pg "$PGBIN/pg_ctl -D $PGDATA -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1' -l $PGDATA/log -w start >/dev/null"
# the cluster holds figure 1's TPC-H rows (about 300 MB at scale 0.1): removed with it
trap 'as_pg "$PGBIN/pg_ctl -D $PGDATA -m immediate stop >/dev/null" || true; rm -rf "$PGDATA"' EXIT
# Quell's own classes from this tree's target directories, libraries from the local repository.
mvn -B -q package -DskipTests
# -am: the modules' dependencies as this tree declares them, not as a stale local install does
mvn -B -q -pl benchmarks -am dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
  -Dmdep.excludeGroupIds=io.quell
CP=benchmarks/target/classes:jdbc-driver/target/classes:client/target/classes:core/target/classes
CP=$CP:parser-extension/target/classes:$(cat benchmarks/target/classpath.txt)
# ZGC: Quell's cancel promise is milliseconds, and G1's young pauses reach 60-425 ms here while a
# query's large intermediate results survive (figure 1 at scale 0.1; see docs/benchmarks.md). A server for
# which cancel latency matters runs with it too (JAVA_OPTS=-XX:+UseZGC bin/quell-server).
# JOL (figure 4c's footprints) reads the fields of records and JDK classes through these.
java ${QUELL_BENCH_JAVA_OPTS:--XX:+UseZGC} -Xmx8g -Djol.magicFieldOffset=true \
  -Djdk.attach.allowAttachSelf=true -cp "$CP" io.quell.benchmarks.BenchmarkMain \
  --pg-url "jdbc:postgresql://127.0.0.1:$PGPORT/postgres?user=bench" "$@"
