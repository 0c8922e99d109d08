-- How far reporting had applied each source topic partition when a claim closed (issue 13: a claim can
-- be reproduced). A claim closes only when every position equals the partition's end in Kafka, so the
-- ledger asked at the claim's closing moment holds everything the claim was built from.
CREATE TABLE claim_positions (
    period          TEXT    NOT NULL REFERENCES claims (period),
    topic           TEXT    NOT NULL,
    kafka_partition INTEGER NOT NULL,
    applied_offset  BIGINT  NOT NULL,  -- the next offset to apply: every event before it was applied
    PRIMARY KEY (period, topic, kafka_partition)
);
