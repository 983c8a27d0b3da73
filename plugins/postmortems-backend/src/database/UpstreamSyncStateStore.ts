import { Knex } from 'knex';
import { UpstreamSyncState } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { parseJson, toIso } from './rows';

export type { UpstreamSyncState };

/** One row per upstream, overwritten by each sync. */
export class UpstreamSyncStateStore {
  constructor(private readonly db: Knex) {}

  async get(upstream: string): Promise<UpstreamSyncState> {
    const row = await this.db('upstream_sync_state')
      .where({ upstream })
      .first();
    return {
      upstream,
      last_attempt_at: toIso(row?.last_attempt_at),
      last_success_at: toIso(row?.last_success_at),
      last_error: row?.last_error ?? null,
      last_counts: parseJson<Record<string, number>>(row?.last_counts, {}),
    };
  }

  async recordSuccess(
    upstream: string,
    startedAt: Date,
    counts: Record<string, number>,
    warning: string | null,
  ): Promise<void> {
    await this.upsert(upstream, {
      last_attempt_at: startedAt,
      last_success_at: startedAt,
      last_error: warning,
      last_counts: JSON.stringify(counts),
    });
  }

  /** Keeps the last success time and counts: the copy they describe is still there. */
  async recordFailure(
    upstream: string,
    startedAt: Date,
    error: string,
  ): Promise<void> {
    await this.upsert(upstream, {
      last_attempt_at: startedAt,
      last_error: error,
    });
  }

  private async upsert(upstream: string, values: Record<string, unknown>) {
    await this.db('upstream_sync_state')
      .insert({ upstream, ...values })
      .onConflict('upstream')
      .merge(values);
  }
}
