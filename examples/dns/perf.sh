#!/usr/bin/env bash
# Queries per second of `podpath dns serve` for N services against BIND 9 serving the same
# zone (exported with `podpath dns zone`), both on loopback, measured with dnsperf in one run.
# Usage: examples/dns/perf.sh [N=10000] [SECONDS=10]
# Needs: dnsperf, bind9 (named), a built podpath (./podpath builds it), bench/target/benchmarks.jar.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
n="${1:-10000}"; secs="${2:-10}"
work="$(mktemp -d /tmp/podpath-dns-perf.XXXXXX)"
java="$(for d in /usr/lib/jvm/*; do [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -qE "version \"(2[1-9]|[3-9][0-9])" && echo "$d/bin/java"; done | tail -1)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

"$java" -cp "$here/bench/target/benchmarks.jar" dev.podpath.bench.dns.ScaleCluster "$n" "$work"
"$here/podpath" dns zone -f "$work/services.yaml" --pods disabled > "$work/cluster.local.zone" 2>/dev/null
echo "zone: $(grep -c . "$work/cluster.local.zone") lines; queries: $(wc -l < "$work/queries.txt")"

cat > "$work/named.conf" <<CONF
options { directory "$work"; listen-on port 5354 { 127.0.0.1; }; listen-on-v6 { none; };
          recursion no; dnssec-validation no; notify no; pid-file "$work/named.pid"; }; 
zone "cluster.local" { type primary; check-names ignore; file "$work/cluster.local.zone"; };
CONF
named -g -n 2 -c "$work/named.conf" > "$work/named.log" 2>&1 & pids+=($!)
"$java" -Xmx1g -jar "$here/cli/target/podpath.jar" dns serve -f "$work/services.yaml" --pods disabled \
  --listen 127.0.0.1:5353 --udp-threads 2 > "$work/podpath.log" 2>&1 & pids+=($!)
"$java" -Xmx1g -jar "$here/cli/target/podpath.jar" dns serve -f "$work/services.yaml" --pods disabled \
  --listen 127.0.0.1:5355 --udp-threads 2 --answer-memo 0 > "$work/podpath-nomemo.log" 2>&1 & pids+=($!)
for port in 5353 5354 5355; do
  for _ in $(seq 1 120); do
    dig +short +time=1 +tries=1 @127.0.0.1 -p "$port" svc1.ns1.svc.cluster.local A 2>/dev/null | grep -q . && break
    sleep 1
  done
done
echo "warm-up (podpath JIT): 8 s each"
dnsperf -s 127.0.0.1 -p 5353 -d "$work/queries.txt" -l 8 -c 8 -q 200 > /dev/null
dnsperf -s 127.0.0.1 -p 5355 -d "$work/queries.txt" -l 8 -c 8 -q 200 > /dev/null
for target in "podpath 5353" "bind9 5354" "podpath(--answer-memo=0) 5355"; do
  set -- $target
  echo "== $1 (port $2): dnsperf -s 127.0.0.1 -p $2 -d queries.txt -l $secs -c 8 -q 200"
  dnsperf -s 127.0.0.1 -p "$2" -d "$work/queries.txt" -l "$secs" -c 8 -q 200 | grep -E "Queries (sent|completed|lost)|Response codes|Queries per second|Average Latency"
done
