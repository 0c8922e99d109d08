-- How far each consumer has applied each topic partition: the next offset it will read, written in the
-- same transaction as the batch's effect (linkwell_runtime.positions). Unlike the group's committed
-- offsets in Kafka, it can never be ahead of or behind what the database holds, so a service can say
-- "everything recorded before this moment is applied" (a claim closes only then: issue 13).
CREATE TABLE consumer_positions (
    consumer        TEXT        NOT NULL,
    topic           TEXT        NOT NULL,
    kafka_partition INTEGER     NOT NULL,
    next_offset     BIGINT      NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, topic, kafka_partition)
);

-- A database that already consumed: start from the events it recorded (messages passed over or
-- dead-lettered after the last recorded one are read again by the next batch's position).
INSERT INTO consumer_positions (consumer, topic, kafka_partition, next_offset)
SELECT consumer, topic, kafka_partition, max(kafka_offset) + 1
FROM processed_events
WHERE kafka_offset >= 0
GROUP BY consumer, topic, kafka_partition;
