#!/bin/sh
# Renders deploy/kafka's server.properties.in from the environment, formats the data directory on
# first start (the cluster id is kept beside the data), then runs the broker in the foreground.
set -eu
CONF=/opt/kafka/config
DATA=/var/lib/kafka/data
PROPS=/var/lib/kafka/server.properties
mkdir -p "$DATA" /var/lib/kafka/logs
sed -e "s|@PORT@|$KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" -e "s|@DATA_DIR@|$DATA|g" \
    -e "s|127.0.0.1|$KAFKA_HOST|g" "$CONF/server.properties.in" >"$PROPS"
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
    $JAVA -Xmx256m -Dlog4j2.configurationFile="$CONF/tools-log4j2.yaml" -cp "$CP" kafka.tools.StorageTool format \
        -t "$(cat /var/lib/kafka/cluster.id)" -c "$PROPS" -g >/dev/null
    echo "kafka: formatted $DATA (cluster $(cat /var/lib/kafka/cluster.id))"
fi
echo "kafka: starting on $KAFKA_HOST:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)"
exec $JAVA -Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" -Dlog4j2.configurationFile="$CONF/log4j2.yaml" -cp "$CP" kafka.Kafka "$PROPS"
