#!/usr/bin/env bash
# A local standalone Spark cluster for trying the project on Spark and for
# the Spark test: one master, one worker and the Thrift (HiveServer2) server
# that dbt connects to (`KEFU_TARGET=spark_thrift`). Everything comes from
# the pyspark package of requirements-spark.txt (no Spark download).
#
#   bash scripts/spark_cluster.sh start    # start (waits until Thrift answers)
#   bash scripts/spark_cluster.sh status   # which processes run, the ports
#   bash scripts/spark_cluster.sh stop     # stop all three, remove pid files
#
# Sized for a small machine (2 cores): about 4.5 GB of Java heap in all
# (master and worker daemons 512 MB each, Thrift driver 2 GB - it plans
# the queries, and the largest models' plans are big -, one executor of
# 1.5 GB). State lives in KEFU_SPARK_CLUSTER_DIR (default
# data/spark-cluster): pid files, logs, the warehouse (table files) and the
# Derby metastore. Each process runs in its own process group; `stop` ends
# the group (the worker's executors included) and waits until it is gone.
# docs/readme/spark.md has the settings.
set -euo pipefail
cd "$(dirname "$0")/.."

CLUSTER_DIR=${KEFU_SPARK_CLUSTER_DIR:-data/spark-cluster}
MASTER_PORT=${KEFU_SPARK_MASTER_PORT:-7077}
THRIFT_PORT=${KEFU_SPARK_THRIFT_PORT:-10000}
# web UIs of the master and the worker; 0 = any free port
MASTER_UI_PORT=${KEFU_SPARK_MASTER_UI_PORT:-0}
WORKER_UI_PORT=${KEFU_SPARK_WORKER_UI_PORT:-0}
WORKER_CORES=${KEFU_SPARK_WORKER_CORES:-2}
WORKER_MEMORY=${KEFU_SPARK_WORKER_MEMORY:-2g}
EXECUTOR_MEMORY=${KEFU_SPARK_EXECUTOR_MEMORY:-1500m}
DRIVER_MEMORY=${KEFU_SPARK_THRIFT_DRIVER_MEMORY:-2g}
DAEMON_MEMORY=${KEFU_SPARK_DAEMON_MEMORY:-512m}
SHUFFLE_PARTITIONS=${KEFU_SPARK_SHUFFLE_PARTITIONS:-4}
START_TIMEOUT=${KEFU_SPARK_START_TIMEOUT:-180}
HOST=127.0.0.1

COMPONENTS=(master worker thrift)
declare -A MAIN_CLASS=(
    [master]=org.apache.spark.deploy.master.Master
    [worker]=org.apache.spark.deploy.worker.Worker
    [thrift]=org.apache.spark.sql.hive.thriftserver.HiveThriftServer2
)

die() { echo "[spark_cluster] $*" >&2; exit 1; }
say() { echo "[spark_cluster] $*"; }

spark_home() {
    # SPARK_HOME as given, else the pyspark package of the Spark venv
    # (.venv-spark), else of .venv
    if [ -n "${SPARK_HOME:-}" ]; then echo "$SPARK_HOME"; return; fi
    local python
    for python in "${KEFU_SPARK_PYTHON:-}" .venv-spark/bin/python .venv/bin/python; do
        [ -n "$python" ] && [ -x "$python" ] || continue
        if "$python" -c "import pyspark" 2>/dev/null; then
            "$python" -c "import os, pyspark; print(os.path.dirname(pyspark.__file__))"
            return
        fi
    done
    die "pyspark not found: pip install -r requirements-spark.txt (docs/readme/spark.md) or set SPARK_HOME"
}

pid_file() { echo "$CLUSTER_DIR/run/$1.pid"; }

# the pid a component's pid file records, if it holds a number
recorded_pid() {
    local file pid
    file=$(pid_file "$1")
    [ -f "$file" ] || return 1
    pid=$(cat "$file")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    echo "$pid"
}

# the pid of a component if its process is alive and is that component.
# No pipe into `grep -q`: under pipefail, grep leaving at the first match
# can kill the writer with SIGPIPE (a Java command line is long), and the
# live process looked dead.
running_pid() {
    local pid cmdline
    pid=$(recorded_pid "$1") || return 1
    [ -r "/proc/$pid/cmdline" ] || return 1
    cmdline=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null) || return 1
    [[ $cmdline == *"${MAIN_CLASS[$1]}"* ]] || return 1
    echo "$pid"
}

# alive while starting: the process of the pid file exists and has not
# exited (a zombie). Not running_pid: a component's launcher execs its way
# into Java (bash, spark-class, java), and while it execs,
# /proc/<pid>/cmdline can read empty for a moment: that is no exit.
started_alive() {
    local pid stat
    pid=$(recorded_pid "$1") || return 1
    stat=$(cat "/proc/$pid/stat" 2> /dev/null) || return 1
    stat=${stat##*) }
    [ "${stat:0:1}" != Z ]
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# The Thrift server itself listens on THRIFT_PORT (its log says so), not
# some other process: the port being open alone was once answered by
# another service while the server was still starting, and dbt's first
# connection then failed with "TSocket read 0 bytes".
thrift_listening() {
    grep -q "Starting ThriftBinaryCLIService on port $THRIFT_PORT " \
        "$CLUSTER_DIR/logs/thrift.log" && port_open "$THRIFT_PORT"
}

wait_for() {  # wait_for <component> <description> <test command...>
    local component=$1 what=$2 waited=0
    shift 2
    until "$@"; do
        if ! started_alive "$component"; then
            tail -n 30 "$CLUSTER_DIR/logs/$component.log" >&2 || true
            stop_all > /dev/null
            die "$component exited before $what (log: $CLUSTER_DIR/logs/$component.log)"
        fi
        if [ "$waited" -ge "$START_TIMEOUT" ]; then
            tail -n 30 "$CLUSTER_DIR/logs/$component.log" >&2 || true
            stop_all > /dev/null
            die "timed out after ${START_TIMEOUT}s waiting for $what"
        fi
        sleep 1
        waited=$((waited + 1))
    done
}

launch() {  # launch <component> <command...>: own session, pid file, log
    local component=$1
    shift
    setsid "$@" > "$CLUSTER_DIR/logs/$component.log" 2>&1 < /dev/null &
    echo $! > "$(pid_file "$component")"
}

start_all() {
    local home
    home=$(spark_home)
    command -v java > /dev/null || die "java not found (Spark needs Java 17 or newer)"
    for component in "${COMPONENTS[@]}"; do
        if running_pid "$component" > /dev/null; then
            die "$component is already running (bash scripts/spark_cluster.sh status; stop first)"
        fi
    done
    if port_open "$MASTER_PORT" || port_open "$THRIFT_PORT"; then
        die "port $MASTER_PORT or $THRIFT_PORT is in use (set KEFU_SPARK_MASTER_PORT / KEFU_SPARK_THRIFT_PORT)"
    fi
    mkdir -p "$CLUSTER_DIR"/{run,logs,work,tmp,warehouse}
    # interrupted while starting: stop what was started
    trap 'stop_all; exit 130' INT TERM
    local dir
    dir=$(cd "$CLUSTER_DIR" && pwd)
    export SPARK_HOME=$home SPARK_LOCAL_IP=$HOST SPARK_MASTER_HOST=$HOST
    export SPARK_LOG_DIR=$dir/logs SPARK_PID_DIR=$dir/run SPARK_WORKER_DIR=$dir/work
    export SPARK_LOCAL_DIRS=$dir/tmp SPARK_DAEMON_MEMORY=$DAEMON_MEMORY
    export SPARK_NO_DAEMONIZE=1

    say "starting master on spark://$HOST:$MASTER_PORT (SPARK_HOME=$home)"
    launch master "$home/bin/spark-class" "${MAIN_CLASS[master]}" \
        --host "$HOST" --port "$MASTER_PORT" --webui-port "$MASTER_UI_PORT"
    wait_for master "the master port" port_open "$MASTER_PORT"

    say "starting worker ($WORKER_CORES cores, $WORKER_MEMORY)"
    launch worker "$home/bin/spark-class" "${MAIN_CLASS[worker]}" \
        --host "$HOST" --webui-port "$WORKER_UI_PORT" \
        --cores "$WORKER_CORES" --memory "$WORKER_MEMORY" \
        --work-dir "$dir/work" "spark://$HOST:$MASTER_PORT"
    wait_for worker "the worker to register" \
        grep -q "Successfully registered with master" "$dir/logs/worker.log"

    say "starting Thrift server on $HOST:$THRIFT_PORT"
    # Session settings every connection gets: timestamps are naive local
    # times, so the session time zone is UTC (docs/readme/spark.md). The
    # embedded (Derby) metastore cannot filter date partition keys: fall
    # back to listing the table's partitions instead of failing.
    launch thrift "$home/bin/spark-submit" \
        --class "${MAIN_CLASS[thrift]}" \
        --name "kefu-metrics Thrift server" \
        --master "spark://$HOST:$MASTER_PORT" \
        --driver-memory "$DRIVER_MEMORY" \
        --executor-memory "$EXECUTOR_MEMORY" \
        --total-executor-cores "$WORKER_CORES" \
        --conf spark.ui.enabled=false \
        --conf spark.sql.session.timeZone=UTC \
        --conf spark.sql.hive.metastorePartitionPruningFallbackOnException=true \
        --conf spark.sql.shuffle.partitions="$SHUFFLE_PARTITIONS" \
        --conf spark.sql.warehouse.dir="$dir/warehouse" \
        --conf spark.driver.extraJavaOptions="-Dderby.system.home=$dir" \
        --conf "spark.hadoop.javax.jdo.option.ConnectionURL=jdbc:derby:;databaseName=$dir/metastore_db;create=true" \
        --hiveconf hive.server2.thrift.bind.host="$HOST" \
        --hiveconf hive.server2.thrift.port="$THRIFT_PORT" \
        spark-internal
    wait_for thrift "the Thrift server to listen" thrift_listening
    trap - INT TERM
    say "ready: thrift://$HOST:$THRIFT_PORT (KEFU_TARGET=spark_thrift" \
        "KEFU_SPARK_THRIFT_HOST=$HOST KEFU_SPARK_THRIFT_PORT=$THRIFT_PORT)"
}

stop_one() {
    local component=$1 pid waited=0
    if ! pid=$(running_pid "$component"); then
        rm -f "$(pid_file "$component")"
        return
    fi
    say "stopping $component (pid $pid)"
    # the whole process group: the worker's executors go with it
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    while kill -0 -- "-$pid" 2>/dev/null; do
        if [ "$waited" -ge 30 ]; then
            kill -KILL -- "-$pid" 2>/dev/null || true
            sleep 1
            break
        fi
        sleep 1
        waited=$((waited + 1))
    done
    rm -f "$(pid_file "$component")"
}

stop_all() {
    local index
    for ((index = ${#COMPONENTS[@]} - 1; index >= 0; index--)); do
        stop_one "${COMPONENTS[$index]}"
    done
}

status_all() {
    local component pid down=0
    for component in "${COMPONENTS[@]}"; do
        if pid=$(running_pid "$component"); then
            say "$component: running (pid $pid)"
        else
            say "$component: not running"
            down=1
        fi
    done
    if [ "$down" -eq 0 ]; then
        say "master spark://$HOST:$MASTER_PORT, Thrift $HOST:$THRIFT_PORT," \
            "state in $CLUSTER_DIR"
    fi
    return "$down"
}

case "${1:-}" in
    start) start_all ;;
    stop) stop_all ;;
    status) status_all ;;
    restart) stop_all; start_all ;;
    *) die "usage: bash scripts/spark_cluster.sh start|stop|status|restart" ;;
esac
