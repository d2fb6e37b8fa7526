#!/usr/bin/env bash
# A local cluster on this one machine, built from Debian's packages and the project's
# locked Python packages: PostgreSQL primary + streaming replica, PgBouncer (transaction
# mode), Redis, an S3-compatible store (moto's server), two web processes (gunicorn)
# behind HAProxy, and two workers (manage.py db_worker).
#
#   scripts/cluster.sh start   # make cluster
#   scripts/cluster.sh test    # make cluster-test (starts the cluster first if needed)
#   scripts/cluster.sh stop    # make cluster-stop
#   scripts/cluster.sh revive  # start again the web processes and workers that are not running
#   scripts/cluster.sh env     # the environment a process of the cluster runs with
#
# Everything lives in $CLUSTER_DIR (default /tmp/hoiccb-cluster); ports come from
# CLUSTER_PORT_BASE (default 15400: +1 primary, +2 replica, +3 PgBouncer, +4 Redis,
# +5 S3, +11/+12 the web processes) and CLUSTER_HTTP_PORT (default 18400, the balancer).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=${CLUSTER_DIR:-/tmp/hoiccb-cluster}
BASE=${CLUSTER_PORT_BASE:-15400}
PG1=$((BASE + 1)) PG2=$((BASE + 2)) BOUNCER=$((BASE + 3)) REDIS=$((BASE + 4)) S3=$((BASE + 5))
WEB1=$((BASE + 11)) WEB2=$((BASE + 12))
HTTP=${CLUSTER_HTTP_PORT:-18400}
PY=$ROOT/.venv/bin/python
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
# PostgreSQL and PgBouncer refuse to run as root: they run as the `postgres` system user.
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cluster_env() {
  cat <<EOF
DEBUG=0
SECRET_KEY=cluster-only-$(cat "$DIR/secret" 2>/dev/null || echo unset)
ALLOWED_HOSTS=127.0.0.1,localhost
SECURE_SSL_REDIRECT=0
SECURE_COOKIES=0
SECURE_HSTS_SECONDS=0
OTP_REQUIRED=0
TRUSTED_PROXIES=127.0.0.1
DATABASE_URL=postgres://postgres@127.0.0.1:$BOUNCER/hoiccb
DATABASE_POOLER=1
DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$BOUNCER/hoiccb_replica
DATABASE_REPLICA_POOLER=1
CACHE_URL=redis://127.0.0.1:$REDIS/0
STORAGE_URL=s3://cluster:cluster-secret@127.0.0.1:$S3/hoiccb?secure=0
JOB_HEARTBEAT_SECONDS=2
JOB_WORKER_DEAD_AFTER_SECONDS=10
JOB_REAP_SECONDS=5
LOG_LEVEL=WARNING
EOF
}

load_env() {
  set -a
  # shellcheck disable=SC1090
  source <(cluster_env)
  set +a
}

wait_port() { # port, what
  for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "!!! $2 không lên ở cổng $1 (xem $DIR/*.log)" >&2
  return 1
}

start() {
  scripts/install-system-deps.sh --cluster
  make -s install >/dev/null
  if [ -f "$DIR/running" ]; then
    echo "Cụm đã chạy ($DIR); dừng bằng make cluster-stop."
    return 0
  fi
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  [ -f "$DIR/secret" ] || head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$DIR/secret"
  chown postgres "$DIR"

  echo "→ PostgreSQL chính (cổng $PG1) và bản sao (cổng $PG2, streaming replication)"
  if [ ! -d "$DIR/pg-primary" ]; then
    as_postgres "$PGBIN/initdb" -D "$DIR/pg-primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$DIR/pg-primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG1
unix_socket_directories = '$DIR'
wal_level = replica
max_wal_senders = 5
hot_standby = on
fsync = off
EOF
    echo "host replication postgres 127.0.0.1/32 trust" >>"$DIR/pg-primary/pg_hba.conf"
  fi
  as_postgres "$PGBIN/pg_ctl" -D "$DIR/pg-primary" -l "$DIR/pg-primary.log" -w start >/dev/null
  as_postgres "$PGBIN/psql" -h 127.0.0.1 -p "$PG1" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='hoiccb'" | grep -q 1 ||
    as_postgres "$PGBIN/createdb" -h 127.0.0.1 -p "$PG1" -U postgres hoiccb
  if [ ! -d "$DIR/pg-replica" ]; then
    as_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PG1" -U postgres -D "$DIR/pg-replica" -R -X stream --checkpoint=fast
    sed -i "s/^port = .*/port = $PG2/" "$DIR/pg-replica/postgresql.conf"
  fi
  as_postgres "$PGBIN/pg_ctl" -D "$DIR/pg-replica" -l "$DIR/pg-replica.log" -w start >/dev/null

  echo "→ PgBouncer (cổng $BOUNCER, pool_mode=transaction)"
  cat >"$DIR/pgbouncer.ini" <<EOF
[databases]
hoiccb = host=127.0.0.1 port=$PG1 dbname=hoiccb
hoiccb_replica = host=127.0.0.1 port=$PG2 dbname=hoiccb
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER
unix_socket_dir =
auth_type = trust
auth_file = $DIR/userlist.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 400
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
EOF
  echo '"postgres" ""' >"$DIR/userlist.txt"
  chown postgres "$DIR/pgbouncer.ini" "$DIR/userlist.txt"
  as_postgres pgbouncer -d "$DIR/pgbouncer.ini"
  wait_port "$BOUNCER" PgBouncer

  echo "→ Redis (cổng $REDIS)"
  redis-server --port "$REDIS" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --dir "$DIR"
  wait_port "$REDIS" Redis

  echo "→ Kho S3 (moto server, cổng $S3)"
  nohup "$ROOT/.venv/bin/moto_server" -H 127.0.0.1 -p "$S3" >"$DIR/s3.log" 2>&1 &
  echo $! >"$DIR/s3.pid"
  wait_port "$S3" "Kho S3"

  load_env
  echo "→ Bucket riêng tư, migrate trên máy chính, dữ liệu mẫu, tệp tĩnh"
  "$PY" - <<EOF
import boto3
s3 = boto3.client("s3", endpoint_url="http://127.0.0.1:$S3", aws_access_key_id="cluster",
                  aws_secret_access_key="cluster-secret", region_name="us-east-1")
if "hoiccb" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
    s3.create_bucket(Bucket="hoiccb")
EOF
  # Migrations run against the primary itself, not through the pooler (README: upgrade order).
  DATABASE_URL=postgres://postgres@127.0.0.1:$PG1/hoiccb DATABASE_POOLER=0 "$PY" manage.py migrate --no-input -v0
  # Demo data is refused with DEBUG off (a real installation): this cluster is a local one.
  DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:$PG1/hoiccb DATABASE_POOLER=0 "$PY" manage.py seed_demo --if-empty
  "$PY" manage.py collectstatic --no-input -v0

  echo "→ Hai tiến trình web (gunicorn, cổng $WEB1 và $WEB2), hai tiến trình nền"
  revive
  wait_port "$WEB1" "Web 1"
  wait_port "$WEB2" "Web 2"

  echo "→ HAProxy (cổng $HTTP): cân bằng hai tiến trình web, kiểm tra /healthz"
  cat >"$DIR/haproxy.cfg" <<EOF
global
  pidfile $DIR/haproxy.pid
  maxconn 1000
defaults
  mode http
  timeout connect 5s
  timeout client 120s
  timeout server 120s
  retries 2
  option redispatch
  option forwardfor
frontend www
  bind 127.0.0.1:$HTTP
  default_backend web
backend web
  balance roundrobin
  option httpchk
  http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
  # A web process busy with slow requests still answers /healthz, only later: give it time.
  timeout check 10s
  default-server inter 2s fall 3 rise 2
  # The cluster test asks for one process by name; a user never needs to.
  use-server web1 if { req.hdr(X-Cluster-Web) -m str web1 }
  use-server web2 if { req.hdr(X-Cluster-Web) -m str web2 }
  http-response set-header X-Cluster-Web %s
  server web1 127.0.0.1:$WEB1 check
  server web2 127.0.0.1:$WEB2 check
EOF
  haproxy -D -f "$DIR/haproxy.cfg"
  wait_port "$HTTP" HAProxy
  # Ready once the balancer's own health checks have let a web process in.
  for _ in $(seq 1 50); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP/healthz")" = 200 ] && break
    sleep 0.2
  done
  touch "$DIR/running"
  echo ""
  echo "  Cụm HoiCCB chạy tại http://127.0.0.1:$HTTP/  (admin / khoi / coso1 / coso2, mật khẩu ${DEMO_PASSWORD:-hoiccb-demo})"
  echo "  Tệp và nhật ký: $DIR ; dừng: make cluster-stop"
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Start each web process and worker that is not running (all of them at start; after
# cluster-test stopped one of each, those).
revive() {
  load_env
  for n in 1 2; do
    alive "$DIR/web$n.pid" || "$ROOT/.venv/bin/gunicorn" hoiccb.wsgi -b "127.0.0.1:$((BASE + 10 + n))" \
      -w "${CLUSTER_GUNICORN_WORKERS:-2}" --threads 2 --daemon --pid "$DIR/web$n.pid" \
      --error-logfile "$DIR/web$n.log" --name "hoiccb-web$n"
    if ! alive "$DIR/worker$n.pid"; then
      nohup "$PY" manage.py db_worker --queue-name default --worker-id "worker$n" --interval 0.5 \
        >>"$DIR/worker$n.log" 2>&1 &
      echo $! >"$DIR/worker$n.pid"
    fi
  done
  wait_port "$WEB1" "Web 1"
  wait_port "$WEB2" "Web 2"
}

kill_pidfile() { # file
  [ -f "$1" ] || return 0
  local pid
  pid=$(cat "$1")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$1"
}

stop() {
  [ -d "$DIR" ] || { echo "Không có cụm nào ở $DIR."; return 0; }
  for name in haproxy web1 web2 worker1 worker2 s3 redis pgbouncer; do kill_pidfile "$DIR/$name.pid"; done
  for pg in pg-replica pg-primary; do
    [ -f "$DIR/$pg/postmaster.pid" ] && as_postgres "$PGBIN/pg_ctl" -D "$DIR/$pg" -m fast -w stop >/dev/null || true
  done
  rm -f "$DIR/running"
  if [ "${1:-}" = "--purge" ]; then rm -rf "$DIR"; fi
  echo "Đã dừng cụm ($DIR)."
}

case "${1:-}" in
start) start ;;
stop) stop "${2:-}" ;;
revive) revive ;;
env) cluster_env ;;
test)
  if [ -f "$DIR/running" ]; then revive; sleep 2.5; else start; fi  # HAProxy lets a revived process in after 2 checks
  load_env
  CLUSTER_DIR=$DIR CLUSTER_PORT_BASE=$BASE CLUSTER_HTTP_PORT=$HTTP PGBIN=$PGBIN "$PY" bench/cluster_test.py
  ;;
*)
  echo "Dùng: $0 start|test|stop [--purge]|env" >&2
  exit 2
  ;;
esac
