import { Knex } from 'knex';
import { parseJson, toIso } from './rows';

/** What the last sync with an upstream did, for operators and the API. */
export interface UpstreamSyncState {
  upstream: string;
  last_attempt_at: string | null;
  last_success_at: string | null;
  /** Why the last attempt failed (or what it had to skip); null when it went cleanly. */
  last_error: string | null;
  last_counts: Record<string, number>;
}

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
