-- Run once on Spring Cloud Data Flow 2.11.5's own database, after the server created its schema: Spring Batch 6 jobs
-- (our tasks) need a sequence SCDF 2.11.5 does not create (it has BOOT3_BATCH_JOB_SEQ; Batch 6 asks for this one).
CREATE SEQUENCE IF NOT EXISTS BOOT3_BATCH_JOB_INSTANCE_SEQ MAXVALUE 9223372036854775807 NO CYCLE;
