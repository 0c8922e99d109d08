#!/bin/sh
# Renders deploy/kafka's server.properties.in from the environment, formats the data directory on
# first start (the cluster id is kept beside the data), runs the broker, and registers each
# principal's SCRAM credential (deploy/kafka/principals) once it answers.
#
# Passwords: one file per principal in $KAFKA_SECRETS_DIR (default /run/secrets/kafka, mounted
# read-only: deploy/bin/compose and the test plugin generate them), never in the environment or on
# a command line. The healthcheck reports healthy only after the credentials are registered.
set -eu
CONF=/opt/kafka/config
DATA=/var/lib/kafka/data
PROPS=/var/lib/kafka/server.properties
SECRETS=${KAFKA_SECRETS_DIR:-/run/secrets/kafka}
STATE=/var/lib/kafka/principals  # what was registered (a hash per principal), in the volume
READY=/var/lib/kafka/principals.ready
umask 077
mkdir -p "$DATA" /var/lib/kafka/logs "$STATE"
rm -f "$READY"
for name in $(grep -v '^#' "$CONF/principals"); do
    [ -s "$SECRETS/$name.password" ] || { echo "kafka: no password for principal $name in $SECRETS" >&2; exit 1; }
done
ADMIN_PASSWORD=$(cat "$SECRETS/admin.password")
# awk reads the password from its file: never in a process's arguments (sed -e would show it)
sed -e "s|@PORT@|$KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" -e "s|@DATA_DIR@|$DATA|g" \
    -e "s|127.0.0.1|$KAFKA_HOST|g" "$CONF/server.properties.in" \
    | awk 'NR == FNR { password = $0; next } { gsub(/@ADMIN_PASSWORD@/, password); print }' \
        "$SECRETS/admin.password" - >"$PROPS"
# A cluster (docker-compose.cluster.yml) overrides the node id, voters and replication.
if [ -n "${KAFKA_NODE_ID:-}" ]; then sed -i "s|^node.id=.*|node.id=$KAFKA_NODE_ID|" "$PROPS"; fi
if [ -n "${KAFKA_QUORUM_VOTERS:-}" ]; then sed -i "s|^controller.quorum.voters=.*|controller.quorum.voters=$KAFKA_QUORUM_VOTERS|" "$PROPS"; fi
if [ -n "${KAFKA_REPLICATION:-}" ]; then
    sed -i -e "s|^default.replication.factor=.*|default.replication.factor=$KAFKA_REPLICATION|" \
        -e "s|^offsets.topic.replication.factor=.*|offsets.topic.replication.factor=$KAFKA_REPLICATION|" \
        -e "s|^transaction.state.log.replication.factor=.*|transaction.state.log.replication.factor=$KAFKA_REPLICATION|" \
        -e "s|^share.coordinator.state.topic.replication.factor=.*|share.coordinator.state.topic.replication.factor=$KAFKA_REPLICATION|" "$PROPS"
fi
if [ -n "${KAFKA_MIN_INSYNC_REPLICAS:-}" ]; then
    sed -i -e "s|^min.insync.replicas=.*|min.insync.replicas=$KAFKA_MIN_INSYNC_REPLICAS|" \
        -e "s|^transaction.state.log.min.isr=.*|transaction.state.log.min.isr=$KAFKA_MIN_INSYNC_REPLICAS|" \
        -e "s|^share.coordinator.state.topic.min.isr=.*|share.coordinator.state.topic.min.isr=$KAFKA_MIN_INSYNC_REPLICAS|" "$PROPS"
fi
CP="/opt/kafka/libs/*"
JAVA="java -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true -Dkafka.logs.dir=/var/lib/kafka/logs"
if [ ! -f "$DATA/meta.properties" ]; then
    [ -s /var/lib/kafka/cluster.id ] || echo "${KAFKA_CLUSTER_ID:-$(python3 -c "$(printf 'import base64,uuid\nwhile True:\n    i = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()\n    if not i.startswith("-"):\n        break\nprint(i)')")}" >/var/lib/kafka/cluster.id
    # Every principal's SCRAM credential goes in with the format (one JVM), through an owner-only
    # argument file (`java @file`), so no password is on a command line.
    : >"$STATE/format.args"
    for name in $(grep -v '^#' "$CONF/principals"); do
        printf '%s\n' --add-scram "SCRAM-SHA-512=[name=$name,iterations=8192,password=$(cat "$SECRETS/$name.password")]" \
            >>"$STATE/format.args"
    done
    $JAVA -Xmx256m -Dlog4j2.configurationFile="$CONF/tools-log4j2.yaml" -cp "$CP" kafka.tools.StorageTool format \
        -t "$(cat /var/lib/kafka/cluster.id)" -c "$PROPS" -g "@$STATE/format.args" >/dev/null
    rm -f "$STATE/format.args"
    for name in $(grep -v '^#' "$CONF/principals"); do
        sha256sum "$SECRETS/$name.password" | cut -d' ' -f1 >"$STATE/$name"
    done
    echo "kafka: formatted $DATA (cluster $(cat /var/lib/kafka/cluster.id)) with each principal's credential"
fi
echo "kafka: starting on $KAFKA_HOST:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)"
$JAVA -Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" -Dlog4j2.configurationFile="$CONF/log4j2.yaml" -cp "$CP" kafka.Kafka "$PROPS" &
BROKER=$!
trap 'kill -TERM $BROKER 2>/dev/null' TERM INT

# The admin's client properties for the Java tool (owner-only, in the volume; removed once done).
ADMIN_PROPS=$STATE/admin.properties
printf '%s\n' "security.protocol=SASL_PLAINTEXT" "sasl.mechanism=PLAIN" \
    "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\"$ADMIN_PASSWORD\";" \
    >"$ADMIN_PROPS"
register() {  # $1: principal; its SCRAM credential, through a file, when new or changed
    sum=$(sha256sum "$SECRETS/$1.password" | cut -d' ' -f1)
    [ "$(cat "$STATE/$1" 2>/dev/null)" = "$sum" ] && return 0
    echo "SCRAM-SHA-512=iterations=8192,password=$(cat "$SECRETS/$1.password")" >"$STATE/$1.scram"
    if $JAVA -Xmx256m -Dlog4j2.configurationFile="$CONF/tools-log4j2.yaml" -cp "$CP" kafka.admin.ConfigCommand \
        --bootstrap-server "$KAFKA_HOST:$KAFKA_PORT" --command-config "$ADMIN_PROPS" --alter \
        --entity-type users --entity-name "$1" --add-config-file "$STATE/$1.scram" >/dev/null 2>&1; then
        echo "$sum" >"$STATE/$1"
        echo "kafka: registered principal $1"
    else
        rm -f "$STATE/$1.scram"
        return 1
    fi
    rm -f "$STATE/$1.scram"
}
# The broker answers once started and, in a cluster, once a quorum is there: retry until then.
pending=$(grep -v '^#' "$CONF/principals")
while [ -n "$pending" ] && kill -0 $BROKER 2>/dev/null; do
    left=""
    for name in $pending; do register "$name" || left="$left $name"; done
    pending=$left
    [ -z "$pending" ] || sleep 2
done
rm -f "$ADMIN_PROPS"
[ -z "$pending" ] && touch "$READY"
wait $BROKER || status=$?
wait $BROKER 2>/dev/null || true  # a signal interrupts the first wait: wait for the broker itself
exit "${status:-0}"
