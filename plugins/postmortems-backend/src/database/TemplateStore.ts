import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  DEFAULT_CAUSE_CATEGORIES,
  PostmortemTemplate,
  TemplateSection,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { parseJson, toBool, toIsoRequired } from './rows';

export interface NewTemplate {
  name: string;
  description: string;
  sections: TemplateSection[];
  actionItemCategories: string[];
  /** The default set when left out. */
  causeCategories?: string[];
  reviewers?: string[];
  isBuiltin?: boolean;
  isActive?: boolean;
}

export interface TemplateChanges {
  name?: string;
  description?: string;
  sections?: TemplateSection[];
  actionItemCategories?: string[];
  causeCategories?: string[];
  reviewers?: string[];
}

/** Post-mortem templates; exactly one is active once built-ins are seeded. */
export class TemplateStore {
  constructor(private readonly db: Knex) {}

  async create(input: NewTemplate): Promise<PostmortemTemplate> {
    const id = randomUUID();
    const now = new Date();
    await this.db('templates').insert({
      id,
      name: input.name,
      description: input.description,
      sections: JSON.stringify(input.sections),
      action_item_categories: JSON.stringify(input.actionItemCategories),
      cause_categories: JSON.stringify(
        input.causeCategories ?? DEFAULT_CAUSE_CATEGORIES,
      ),
      reviewers: JSON.stringify(input.reviewers ?? []),
      is_builtin: input.isBuiltin ?? false,
      is_active: input.isActive ?? false,
      created_at: now,
      updated_at: now,
    });
    return (await this.get(id))!;
  }

  async get(id: string): Promise<PostmortemTemplate | undefined> {
    const row = await this.db('templates').where({ id }).first();
    return row ? toTemplate(row) : undefined;
  }

  async getByName(name: string): Promise<PostmortemTemplate | undefined> {
    const row = await this.db('templates').where({ name }).first();
    return row ? toTemplate(row) : undefined;
  }

  async getActive(): Promise<PostmortemTemplate | undefined> {
    const row = await this.db('templates').where({ is_active: true }).first();
    return row ? toTemplate(row) : undefined;
  }

  async list(): Promise<PostmortemTemplate[]> {
    const rows = await this.db('templates')
      .orderBy('is_builtin', 'desc')
      .orderBy('name');
    return rows.map(toTemplate);
  }

  async update(
    id: string,
    changes: TemplateChanges,
  ): Promise<PostmortemTemplate> {
    const row: Record<string, unknown> = { updated_at: new Date() };
    if (changes.name !== undefined) row.name = changes.name;
    if (changes.description !== undefined)
      row.description = changes.description;
    if (changes.sections !== undefined)
      row.sections = JSON.stringify(changes.sections);
    if (changes.actionItemCategories !== undefined)
      row.action_item_categories = JSON.stringify(changes.actionItemCategories);
    if (changes.causeCategories !== undefined)
      row.cause_categories = JSON.stringify(changes.causeCategories);
    if (changes.reviewers !== undefined)
      row.reviewers = JSON.stringify(changes.reviewers);
    await this.db('templates').where({ id }).update(row);
    return (await this.get(id))!;
  }

  /** Makes one template the active one, in one transaction. */
  async activate(id: string): Promise<PostmortemTemplate> {
    await this.db.transaction(async tx => {
      await tx('templates')
        .where({ is_active: true })
        .update({ is_active: false });
      await tx('templates')
        .where({ id })
        .update({ is_active: true, updated_at: new Date() });
    });
    return (await this.get(id))!;
  }

  async delete(id: string): Promise<void> {
    await this.db('templates').where({ id }).delete();
  }

  async count(): Promise<number> {
    const [{ count }] = await this.db('templates').count({ count: '*' });
    return Number(count);
  }
}

function toTemplate(row: any): PostmortemTemplate {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    sections: parseJson<TemplateSection[]>(row.sections, []),
    action_item_categories: parseJson<string[]>(row.action_item_categories, []),
    cause_categories: parseJson<string[]>(row.cause_categories, []),
    reviewers: parseJson<string[]>(row.reviewers, []),
    is_builtin: toBool(row.is_builtin),
    is_active: toBool(row.is_active),
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
  };
}
