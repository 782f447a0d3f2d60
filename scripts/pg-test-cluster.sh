#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, started by their own set-up
# (tests/integration/postgres.rs) or by hand:
#
#   bash scripts/pg-test-cluster.sh DIR PORT WATCH_PID [PRIMARY_PORT]
#
# Creates the cluster in DIR (initdb --no-sync, as an unprivileged user when
# run as root), listens on 127.0.0.1:PORT only, with fsync off, and prints its
# URL. A watcher stops it and removes DIR once process WATCH_PID has ended,
# however the tests ended. `bash DIR/ctl stop` and `bash DIR/ctl start` take
# it away and bring it back. Needs Debian's postgresql package.
#
# With PRIMARY_PORT, DIR is instead a hot standby of the test cluster on
# 127.0.0.1:PRIMARY_PORT (pg_basebackup -R: it streams the primary's
# changes and answers read-only queries), which cancels a query in the way
# of replay at once (max_standby_streaming_delay=0), so that tests can
# provoke a recovery conflict.
set -euo pipefail
dir=$1 port=$2 watch=$3 primary=${4:-}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "error: no PostgreSQL server found under /usr/lib/postgresql (apt-get install postgresql)" >&2
    exit 2
fi
run=()
if [ "$(id -u)" -eq 0 ]; then
    user=postgres
    id "$user" >/dev/null 2>&1 || user=nobody
    run=(runuser -u "$user" --)
fi
mkdir -p "$dir"
[ ${#run[@]} -eq 0 ] || chown "$user" "$dir"
password=linkscope-test
printf '%s\n' "$password" >"$dir/password"
[ ${#run[@]} -eq 0 ] || chown "$user" "$dir/password"
options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
if [ -z "$primary" ]; then
    "${run[@]}" "$bin/initdb" --no-sync --pgdata="$dir/data" --username=linkscope \
        --pwfile="$dir/password" --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
else
    # initdb's pg_hba.conf lets the superuser replicate over loopback.
    "${run[@]}" env PGPASSWORD="$password" "$bin/pg_basebackup" --host=127.0.0.1 \
        --port="$primary" --username=linkscope --pgdata="$dir/data" \
        --write-recovery-conf --wal-method=stream --checkpoint=fast --no-sync \
        >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
    options="$options -c hot_standby=on -c hot_standby_feedback=off -c max_standby_streaming_delay=0"
fi
# DIR/ctl stop|start: what a test that takes the server away and brings it
# back runs.
cat >"$dir/ctl" <<EOF
#!/usr/bin/env bash
set -euo pipefail
case "\$1" in
    stop) ${run[*]} '$bin/pg_ctl' --pgdata='$dir/data' --mode=fast --wait stop >/dev/null ;;
    start) ${run[*]} '$bin/pg_ctl' --pgdata='$dir/data' --log='$dir/server.log' --wait --options='$options' start >/dev/null ;;
    *) echo "usage: ctl stop|start" >&2; exit 2 ;;
esac
EOF
"${run[@]}" "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait \
    --options="$options" start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
# The watcher outlives this script; its output goes nowhere, so that the
# caller's pipe closes when this script ends.
nohup bash -c "while kill -0 $watch 2>/dev/null; do sleep 1; done
    ${run[*]} '$bin/pg_ctl' --pgdata='$dir/data' --mode=immediate stop
    rm -rf '$dir'" >/dev/null 2>&1 </dev/null &
echo "postgres://linkscope:$password@127.0.0.1:$port/postgres"
