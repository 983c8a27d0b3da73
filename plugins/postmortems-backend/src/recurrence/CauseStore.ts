import { Knex } from 'knex';

/** The cause categories each post-mortem is filed under. */
export class CauseStore {
  constructor(private readonly db: Knex) {}

  async categoriesOf(postmortemId: string): Promise<string[]> {
    const rows = await this.db('postmortem_causes')
      .where({ postmortem_id: postmortemId })
      .orderBy('category')
      .select('category');
    return rows.map(row => row.category);
  }

  /** Replaces the set in one transaction: readers see the old set or the new. */
  async replace(postmortemId: string, categories: string[]): Promise<void> {
    await this.db.transaction(async tx => {
      await tx('postmortem_causes')
        .where({ postmortem_id: postmortemId })
        .delete();
      if (categories.length) {
        await tx('postmortem_causes').insert(
          categories.map(category => ({
            postmortem_id: postmortemId,
            category,
          })),
        );
      }
    });
  }
}
