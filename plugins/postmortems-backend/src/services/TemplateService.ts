import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  PostmortemTemplate,
  TemplateSection,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { TemplateStore } from '../database/TemplateStore';
import { builtinTemplates, DEFAULT_ACTIVE_TEMPLATE } from './builtinTemplates';
import { sectionKey } from './document';
import { uniqueRefs } from '../reviews/reviewState';

export interface TemplateInput {
  name: string;
  description?: string;
  sections: Array<Omit<TemplateSection, 'key'> & { key?: string }>;
  action_item_categories?: string[];
  cause_categories?: string[];
  reviewers?: string[];
}

/** Rules for post-mortem templates: unique names, protected built-ins, one active. */
export class TemplateService {
  constructor(private readonly store: TemplateStore) {}

  /** Adds missing built-ins and makes sure one template is active. */
  async seedBuiltins(): Promise<void> {
    for (const template of builtinTemplates) {
      if (!(await this.store.getByName(template.name))) {
        try {
          await this.store.create({ ...template, isBuiltin: true });
        } catch (error) {
          // Another replica seeded it at the same moment.
          if (!(await this.store.getByName(template.name))) throw error;
        }
      }
    }
    if (!(await this.store.getActive())) {
      const fallback = await this.store.getByName(DEFAULT_ACTIVE_TEMPLATE);
      if (fallback) await this.store.activate(fallback.id);
    }
  }

  list(): Promise<PostmortemTemplate[]> {
    return this.store.list();
  }

  async get(id: string): Promise<PostmortemTemplate> {
    const template = await this.store.get(id);
    if (!template) {
      throw new NotFoundError(`No template with id ${id}`);
    }
    return template;
  }

  /** The template chosen by id, or the active one when none is given. */
  async resolve(id?: string | null): Promise<PostmortemTemplate> {
    if (id) {
      return this.get(id);
    }
    const active = await this.store.getActive();
    if (!active) {
      throw new NotFoundError('No active template');
    }
    return active;
  }

  async create(input: TemplateInput): Promise<PostmortemTemplate> {
    await this.assertNameFree(input.name);
    try {
      return await this.store.create({
        name: input.name,
        description: input.description ?? '',
        sections: normalizeSections(input.sections),
        actionItemCategories: input.action_item_categories ?? [],
        causeCategories: input.cause_categories
          ? uniqueCategories(input.cause_categories)
          : undefined,
        reviewers: uniqueRefs(input.reviewers ?? []),
      });
    } catch (error) {
      await this.assertNameFree(input.name);
      throw error;
    }
  }

  async update(
    id: string,
    input: Partial<TemplateInput>,
  ): Promise<PostmortemTemplate> {
    const template = await this.get(id);
    if (template.is_builtin) {
      throw new ConflictError(
        `Built-in template "${template.name}" cannot be changed; copy it with POST /v1/post-mortem-templates/${id}/copy and change the copy`,
      );
    }
    if (input.name !== undefined && input.name !== template.name) {
      await this.assertNameFree(input.name);
    }
    return this.store.update(id, {
      name: input.name,
      description: input.description,
      sections: input.sections ? normalizeSections(input.sections) : undefined,
      actionItemCategories: input.action_item_categories,
      causeCategories: input.cause_categories
        ? uniqueCategories(input.cause_categories)
        : undefined,
      reviewers: input.reviewers ? uniqueRefs(input.reviewers) : undefined,
    });
  }

  async copy(id: string, name?: string): Promise<PostmortemTemplate> {
    const source = await this.get(id);
    const copyName = name ?? (await this.freeCopyName(source.name));
    await this.assertNameFree(copyName);
    return this.store.create({
      name: copyName,
      description: source.description,
      sections: source.sections,
      actionItemCategories: source.action_item_categories,
      causeCategories: source.cause_categories,
      reviewers: source.reviewers,
    });
  }

  async activate(id: string): Promise<PostmortemTemplate> {
    await this.get(id);
    return this.store.activate(id);
  }

  async delete(id: string): Promise<void> {
    const template = await this.get(id);
    if (template.is_builtin) {
      throw new ConflictError(
        `Built-in template "${template.name}" cannot be deleted`,
      );
    }
    if (template.is_active) {
      throw new ConflictError(
        `Template "${template.name}" is the active template; activate another one first`,
      );
    }
    await this.store.delete(id);
  }

  private async assertNameFree(name: string) {
    if (await this.store.getByName(name)) {
      throw new ConflictError(`A template named "${name}" already exists`);
    }
  }

  private async freeCopyName(name: string): Promise<string> {
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? `Copy of ${name}` : `Copy of ${name} (${n})`;
      if (!(await this.store.getByName(candidate))) return candidate;
    }
  }
}

function normalizeSections(
  sections: TemplateInput['sections'],
): TemplateSection[] {
  const used = new Set<string>();
  return sections.map(section => {
    let key = section.key ?? sectionKey(section.title);
    for (let n = 2; used.has(key); n++)
      key = `${sectionKey(section.title)}_${n}`;
    used.add(key);
    return {
      key,
      title: section.title,
      required: section.required ?? false,
      guiding_questions: section.guiding_questions ?? [],
    };
  });
}

/** Categories as given, trimmed, each once whatever its case. */
function uniqueCategories(categories: string[]): string[] {
  const seen = new Set<string>();
  return categories
    .map(c => c.trim())
    .filter(c => {
      const key = c.toLowerCase();
      if (!c || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
