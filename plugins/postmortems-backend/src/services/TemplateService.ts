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

/**
 * How long a replica trusts its copy of a template when no change has been
 * announced to it (changes made through any replica are announced at once
 * when the events service connects them; this bounds staleness otherwise).
 */
const TEMPLATE_CACHE_MS = 10_000;

/**
 * Rules for post-mortem templates: unique names, protected built-ins, one
 * active. Reads and saves of post-mortems resolve their template on every
 * request and templates rarely change, so reads come from a copy in memory,
 * forgotten on every change made here or announced by another replica.
 */
export class TemplateService {
  private readonly cache = new Map<
    string,
    { template: Promise<PostmortemTemplate | undefined>; at: number }
  >();

  constructor(
    private readonly store: TemplateStore,
    private readonly options: {
      /** Tells the other replicas that templates changed. */
      onChange?: () => void;
      cacheMs?: number;
      now?: () => number;
    } = {},
  ) {}

  /** Drops the copies in memory (a change was announced by another replica). */
  forget(): void {
    this.cache.clear();
  }

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
    this.forget();
  }

  list(): Promise<PostmortemTemplate[]> {
    return this.store.list();
  }

  async get(id: string): Promise<PostmortemTemplate> {
    const template = await this.cached(id, () => this.store.get(id));
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
    const active = await this.cached('', () => this.store.getActive());
    if (!active) {
      throw new NotFoundError('No active template');
    }
    return active;
  }

  /** A template as read less than the cache time ago ('' is the active one). */
  private cached(
    key: string,
    read: () => Promise<PostmortemTemplate | undefined>,
  ): Promise<PostmortemTemplate | undefined> {
    const now = (this.options.now ?? Date.now)();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < (this.options.cacheMs ?? TEMPLATE_CACHE_MS)) {
      return hit.template;
    }
    const template = read();
    const slot = { template, at: now };
    this.cache.set(key, slot);
    // A failed read, or a template not there (yet), is not kept.
    const forgetSlot = () => {
      if (this.cache.get(key) === slot) this.cache.delete(key);
    };
    template.then(found => found || forgetSlot(), forgetSlot);
    return template;
  }

  /** The template as stored now, for changes that must not act on a stale copy. */
  private async current(id: string): Promise<PostmortemTemplate> {
    const template = await this.store.get(id);
    if (!template) {
      throw new NotFoundError(`No template with id ${id}`);
    }
    return template;
  }

  /** Forgets the copies here and tells the other replicas to. */
  private changed<T>(result: T): T {
    this.forget();
    this.options.onChange?.();
    return result;
  }

  async create(input: TemplateInput): Promise<PostmortemTemplate> {
    await this.assertNameFree(input.name);
    try {
      const created = await this.store.create({
        name: input.name,
        description: input.description ?? '',
        sections: normalizeSections(input.sections),
        actionItemCategories: input.action_item_categories ?? [],
        causeCategories: input.cause_categories
          ? uniqueCategories(input.cause_categories)
          : undefined,
        reviewers: uniqueRefs(input.reviewers ?? []),
      });
      return this.changed(created);
    } catch (error) {
      await this.assertNameFree(input.name);
      throw error;
    }
  }

  async update(
    id: string,
    input: Partial<TemplateInput>,
  ): Promise<PostmortemTemplate> {
    const template = await this.current(id);
    if (template.is_builtin) {
      throw new ConflictError(
        `Built-in template "${template.name}" cannot be changed; copy it with POST /v1/post-mortem-templates/${id}/copy and change the copy`,
      );
    }
    if (input.name !== undefined && input.name !== template.name) {
      await this.assertNameFree(input.name);
    }
    const updated = await this.store.update(id, {
      name: input.name,
      description: input.description,
      sections: input.sections ? normalizeSections(input.sections) : undefined,
      actionItemCategories: input.action_item_categories,
      causeCategories: input.cause_categories
        ? uniqueCategories(input.cause_categories)
        : undefined,
      reviewers: input.reviewers ? uniqueRefs(input.reviewers) : undefined,
    });
    return this.changed(updated);
  }

  async copy(id: string, name?: string): Promise<PostmortemTemplate> {
    const source = await this.current(id);
    const copyName = name ?? (await this.freeCopyName(source.name));
    await this.assertNameFree(copyName);
    const copied = await this.store.create({
      name: copyName,
      description: source.description,
      sections: source.sections,
      actionItemCategories: source.action_item_categories,
      causeCategories: source.cause_categories,
      reviewers: source.reviewers,
    });
    return this.changed(copied);
  }

  async activate(id: string): Promise<PostmortemTemplate> {
    await this.current(id);
    return this.changed(await this.store.activate(id));
  }

  async delete(id: string): Promise<void> {
    const template = await this.current(id);
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
    this.changed(undefined);
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
