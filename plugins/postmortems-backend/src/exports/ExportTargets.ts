import { Config } from '@backstage/config';
import {
  EXPORT_TARGET_TYPES,
  ExportTarget,
  ExportTargetType,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ConfluenceTarget } from './ConfluenceTarget';
import { NotionTarget } from './NotionTarget';
import { PageTarget } from '@postmortems-oss/backstage-plugin-postmortems-node';

/** A configured target; page targets come with their client. */
export interface ConfiguredTarget extends ExportTarget {
  page?: PageTarget;
}

const DEFAULT_TITLES: Record<ExportTargetType, string> = {
  confluence: 'Confluence',
  notion: 'Notion',
  markdown: 'Markdown file',
  pdf: 'PDF file',
};

/**
 * The export targets under `postmortems.exports.<id>`, each with a `type`.
 * A wrong type or a missing credential fails start-up, naming the key,
 * rather than the first export.
 */
export class ExportTargets {
  private constructor(
    private readonly targets: Map<string, ConfiguredTarget>,
  ) {}

  static fromConfig(config: Config): ExportTargets {
    const section = config.getOptionalConfig('postmortems.exports');
    const targets = new Map<string, ConfiguredTarget>();
    for (const id of section?.keys() ?? []) {
      const target = section!.getConfig(id);
      targets.set(id, configuredTarget(id, target));
    }
    return new ExportTargets(targets);
  }

  list(): ExportTarget[] {
    return [...this.targets.values()].map(({ id, type, title, kind }) => ({
      id,
      type,
      title,
      kind,
    }));
  }

  get(id: string): ConfiguredTarget | undefined {
    return this.targets.get(id);
  }
}

function configuredTarget(id: string, config: Config): ConfiguredTarget {
  const type = config.getString('type');
  if (!(EXPORT_TARGET_TYPES as readonly string[]).includes(type)) {
    throw new Error(
      `postmortems.exports.${id}.type must be one of ${EXPORT_TARGET_TYPES.join(
        ', ',
      )}, not "${type}"`,
    );
  }
  const timeoutMs = (config.getOptionalNumber('timeoutSeconds') ?? 15) * 1000;
  const base = {
    id,
    type: type as ExportTargetType,
    title:
      config.getOptionalString('title') ??
      DEFAULT_TITLES[type as ExportTargetType],
  };
  switch (type) {
    case 'confluence': {
      const spaceKey = config.getString('spaceKey');
      return {
        ...base,
        title: config.getOptionalString('title') ?? `Confluence (${spaceKey})`,
        kind: 'page',
        page: new ConfluenceTarget({
          baseUrl: config.getString('baseUrl'),
          spaceKey,
          parentPageId: config.getOptionalString('parentPageId'),
          email: config.getString('email'),
          apiToken: config.getString('apiToken'),
          timeoutMs,
        }),
      };
    }
    case 'notion':
      return {
        ...base,
        kind: 'page',
        page: new NotionTarget({
          token: config.getString('token'),
          parentPageId: config.getString('parentPageId'),
          baseUrl: config.getOptionalString('baseUrl'),
          timeoutMs,
        }),
      };
    default:
      return { ...base, kind: 'file' };
  }
}
