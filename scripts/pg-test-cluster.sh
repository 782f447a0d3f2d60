#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, started by their own set-up
# (tests/integration/postgres.rs) or by hand:
#
#   bash scripts/pg-test-cluster.sh DIR PORT WATCH_PID [PRIMARY_PORT | tls]
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
# provoke a recovery conflict. Only a lock they take: the standby tells the
# primary which rows its queries still read (hot_standby_feedback, each
# second), so that vacuum and pruning on a busy primary (other tests,
# autovacuum freezing a fresh push) cancel nothing at random.
# With `tls`, the server also speaks TLS (ssl=on), with a certificate for
# the name `localhost` only (so that 127.0.0.1 does not match it), signed
# by a CA made for the cluster: DIR/ca.crt is what sslrootcert names, and
# DIR/other-ca.crt a CA that signed nothing. Needs openssl.
set -euo pipefail
dir=$1 port=$2 watch=$3 primary=${4:-} tls=
if [ "$primary" = tls ]; then primary= tls=tls; fi
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
    options="$options -c hot_standby=on -c hot_standby_feedback=on -c wal_receiver_status_interval=1 -c max_standby_streaming_delay=0"
fi
if [ "$tls" = tls ]; then
    command -v openssl >/dev/null || { echo "error: openssl is needed for a TLS cluster (apt-get install openssl)" >&2; exit 2; }
    curve=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    for ca in ca other-ca; do
        openssl req -x509 "${curve[@]}" -days 2 -subj "/CN=Linkscope test $ca" \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
            -keyout "$dir/$ca.key" -out "$dir/$ca.crt" 2>"$dir/openssl.log" ||
            { cat "$dir/openssl.log" >&2; exit 1; }
    done
    openssl req "${curve[@]}" -subj "/CN=localhost" -keyout "$dir/server.key" \
        -out "$dir/server.csr" 2>"$dir/openssl.log" || { cat "$dir/openssl.log" >&2; exit 1; }
    printf '%s\n' subjectAltName=DNS:localhost basicConstraints=CA:FALSE \
        keyUsage=digitalSignature extendedKeyUsage=serverAuth >"$dir/server.ext"
    openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
        -CAcreateserial -days 2 -extfile "$dir/server.ext" -out "$dir/server.crt" \
        2>"$dir/openssl.log" || { cat "$dir/openssl.log" >&2; exit 1; }
    chmod 600 "$dir/server.key"
    [ ${#run[@]} -eq 0 ] || chown "$user" "$dir/server.key" "$dir/server.crt"
    options="$options -c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key"
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
