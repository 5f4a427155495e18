import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 0007 — `local_storage_imports`: one row per attempt of the one-time browser import (a replay
 * too), with what it did, so that replays are recognised (`payload_hash`) and the rollout can
 * be monitored (`status`, `summary`).
 */
export class LocalStorageImports1764000000007 implements MigrationInterface {
  name = 'LocalStorageImports1764000000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE local_storage_imports (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        device_id varchar(128),
        received_at timestamptz NOT NULL DEFAULT now(),
        keys_count integer NOT NULL,
        status varchar(20) NOT NULL,
        payload_hash bytea NOT NULL,
        summary jsonb NOT NULL,
        CONSTRAINT pk_local_storage_imports PRIMARY KEY (id),
        CONSTRAINT fk_local_storage_imports_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT ck_local_storage_imports_status CHECK (status IN ('imported', 'partial', 'unchanged', 'replayed')),
        CONSTRAINT ck_local_storage_imports_keys_count CHECK (keys_count >= 0)
      )`);
    await q.query(`CREATE INDEX ix_local_storage_imports_user ON local_storage_imports (user_id, received_at)`);
    await q.query(`CREATE INDEX ix_local_storage_imports_payload ON local_storage_imports (user_id, payload_hash)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE local_storage_imports`);
  }
}
