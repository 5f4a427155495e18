import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 0005 — `user_dismissed_insights`: the insights a user dismissed, replacing the browser key
 * `arise_dismissed_insights_v1`. The composite primary key makes a dismissal idempotent
 * (`INSERT … ON CONFLICT DO NOTHING`) and serves every per-user lookup; the check repeats the
 * API's insight id format.
 */
export class UserDismissedInsights1764000000005 implements MigrationInterface {
  name = 'UserDismissedInsights1764000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_dismissed_insights (
        user_id uuid NOT NULL,
        insight_id varchar(128) NOT NULL,
        dismissed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_user_dismissed_insights PRIMARY KEY (user_id, insight_id),
        CONSTRAINT fk_user_dismissed_insights_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT ck_user_dismissed_insights_insight_id CHECK (insight_id ~ '^[A-Za-z0-9_.:-]{1,128}$')
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE user_dismissed_insights`);
  }
}
